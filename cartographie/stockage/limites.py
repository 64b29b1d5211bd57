"""Limits shared by every process of a deployment, kept in the database: a room's keywords, sign-in budgets.

A process's memory is not enough behind a reverse proxy that spreads a room over several app
processes: each would let the room send its own share. Here every check reads and writes the
database, in one transaction, serialised per session (keywords) or per budget (sign-ins).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time

import sqlalchemy as sa

from cartographie.domaine.contributions import validate_keyword
from cartographie.domaine.salle import Verdict
from cartographie.stockage.connexion import LoginThrottle
from cartographie.stockage.schema import budgets, mots_cles
from cartographie.stockage.store import Store, lock_key
from cartographie.stockage.store import now as now_utc


def add_keyword_within(
    store: Store,
    session: str,
    mot: str,
    *,
    participant: str,
    reseau: str,
    opened: dt.datetime | None = None,
    now: dt.datetime | None = None,
    **rules,
) -> Verdict:
    """Store a keyword if the room's limits allow it, counted in the database: the same in every process.

    The participant's count and pace and their network's recent keywords are read from the
    stored keywords themselves, in the transaction that writes the new one: the keyword is
    written first (on SQLite, that takes the write lock; on PostgreSQL, an advisory lock per
    session makes concurrent sends wait in turn), then the limits are checked without it, and
    a refusal rolls it back. ``opened``: when the participant's page was opened; ``rules``: the
    limits of :func:`cartographie.domaine.salle.keyword_verdict`.
    """
    from cartographie.domaine.salle import NETWORK_WINDOWS, keyword_verdict

    value = validate_keyword(mot)
    now = now or now_utc()
    windows = rules.get("windows", NETWORK_WINDOWS)
    longest, most = max(s for _, s in windows), max(n for n, _ in windows)

    def age(moment: dt.datetime) -> float:
        return (now - (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC))).total_seconds()

    class _Refused(Exception):
        pass

    verdict = None
    try:
        with store.engine.begin() as conn:
            if store.engine.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key("mots_cles", session)})
            new = conn.execute(
                mots_cles.insert().values(session=session[:60], mot=value, cree_le=now,
                                          participant=participant[:32], reseau=reseau[:32])
            ).inserted_primary_key[0]  # fmt: skip
            others = (mots_cles.c.session == session[:60]) & (mots_cles.c.id != new)
            sent, last = conn.execute(
                sa.select(sa.func.count(), sa.func.max(mots_cles.c.cree_le)).where(
                    others & (mots_cles.c.participant == participant[:32])
                )
            ).one()
            recent = conn.execute(
                sa.select(mots_cles.c.cree_le)
                .where(others & (mots_cles.c.reseau == reseau[:32]))
                .where(mots_cles.c.cree_le >= now - dt.timedelta(seconds=longest))
                .order_by(mots_cles.c.cree_le.desc())
                .limit(most)
            ).scalars()
            verdict = keyword_verdict(
                int(sent),
                None if last is None else age(last),
                [age(t) for t in recent],
                None if opened is None else age(opened),
                **rules,
            )
            if not verdict.accepted:
                raise _Refused
            verdict = Verdict(True, sent=int(sent) + 1)
    except _Refused:
        pass
    return verdict


#: The budget of every source together.
OVERALL = "tous"


class SharedLoginThrottle(LoginThrottle):
    """:class:`LoginThrottle`'s budgets kept in the database (table ``budgets``): the same for every process.

    A crowd spread over several app processes gets no more guesses than one process would give.
    Sources are kept as hashes of their network address; a budget full again is forgotten.
    """

    def __init__(self, store: Store, clock=time.time, **budgets) -> None:
        super().__init__(clock=clock, **budgets)
        self.store = store

    @staticmethod
    def _key(source: str) -> str:
        return "source:" + hashlib.sha256(source.encode()).hexdigest()[:32]

    def _read(self, conn, keys: list[str]) -> dict[str, tuple[float, float]]:
        rows = conn.execute(sa.select(budgets).where(budgets.c.cle.in_(keys))).mappings()
        return {r["cle"]: (float(r["jetons"]), float(r["a"])) for r in rows}

    def _levels(self, conn, source: str, now: float) -> tuple[float, float]:
        stored = self._read(conn, [self._key(source), OVERALL])
        mine = self._refill(stored.get(self._key(source), (self.per_source, now)), self.per_source,
                            self.source_refill, now)  # fmt: skip
        everyone = self._refill(stored.get(OVERALL, (self.overall, now)), self.overall, self.overall_refill, now)
        return mine, everyone

    def wait(self, source: str) -> float:
        """Seconds before ``source`` may try again (0 when it may now)."""
        with self.store.engine.connect() as conn:
            mine, everyone = self._levels(conn, source, self._clock())
        return max(0.0, (1 - mine) * self.source_refill, (1 - everyone) * self.overall_refill)

    def _write(self, conn, values: dict[str, float], now: float) -> None:
        for key, tokens in values.items():
            updated = conn.execute(budgets.update().where(budgets.c.cle == key).values(jetons=tokens, a=now))
            if updated.rowcount == 0:
                conn.execute(budgets.insert().values(cle=key, jetons=tokens, a=now))

    def _take(self, source: str) -> bool:
        with self.store.engine.begin() as conn:
            now = self._clock()
            # The first statement writes: on SQLite it takes the write lock; on PostgreSQL the lock waits in turn.
            if self.store.engine.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": lock_key("budgets")})
            else:
                conn.execute(budgets.update().where(budgets.c.cle == OVERALL).values(a=budgets.c.a))
            mine, everyone = self._levels(conn, source, now)
            if mine < 1 or everyone < 1:
                return False
            self._write(conn, {self._key(source): mine - 1, OVERALL: everyone - 1}, now)
            full_again = now - self.per_source * self.source_refill
            conn.execute(budgets.delete().where((budgets.c.cle != OVERALL) & (budgets.c.a < full_again)))
            return True

    def _restore(self, source: str) -> None:
        with self.store.engine.begin() as conn:
            self._write(conn, {self._key(source): float(self.per_source)}, self._clock())
