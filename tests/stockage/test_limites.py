"""The room's keyword limits and the sign-in budgets, counted in the database (SQLite and PostgreSQL): what one
process allows, every process sharing the database allows, and no more."""

from __future__ import annotations

import datetime as dt
import random

from cartographie.domaine.salle import NETWORK_WINDOWS
from cartographie.stockage.limites import SharedLoginThrottle, add_keyword_within
from cartographie.stockage.store import Store

T0 = dt.datetime(2026, 10, 2, 9, 0, tzinfo=dt.UTC)


class Room:
    """Keywords sent to a session at chosen moments (seconds after T0), from any process."""

    def __init__(self, store: Store, session: str = "journee", **rules) -> None:
        self.store, self.session, self.rules = store, session, rules

    def send(self, participant: str, network: str, at: float, opened: float | None = None):
        return add_keyword_within(
            self.store, self.session, "Confiance", participant=participant, reseau=network,
            opened=None if opened is None else T0 + dt.timedelta(seconds=opened),
            now=T0 + dt.timedelta(seconds=at), **self.rules,
        )  # fmt: skip


def _stored(store: Store) -> int:
    return len(store.keywords("journee"))


def test_a_participant_sends_three_keywords_even_through_two_processes(store, database_url):
    other = Store(database_url)  # another app process on the same database
    rooms = [Room(store), Room(other)]
    verdicts = [rooms[n % 2].send("p1", "10.0.0.1", at=10.0 * (n + 1)) for n in range(4)]
    assert [v.accepted for v in verdicts] == [True, True, True, False]
    assert [v.sent for v in verdicts[:3]] == [1, 2, 3]
    assert "déjà proposé 3 mots-clés" in verdicts[3].message and _stored(store) == 3  # the refused one is not kept
    assert Room(store, session="autre").send("p1", "10.0.0.1", at=100.0).accepted  # another session, another count
    other.engine.dispose()


def test_a_room_of_300_phones_behind_one_router_is_stored_whole(store):
    """300 phones arriving within 20 s from the venue's one address, each opening the page then typing a word;
    two in three send a second one."""
    rng = random.Random(300)
    events = []
    for phone in range(300):
        opened = rng.uniform(0, 20)
        first = opened + rng.uniform(3, 15)  # a person reads the question and types
        events += [(first + gap, f"p{phone}", opened) for gap in ((0, rng.uniform(5, 30)) if phone % 3 else (0,))]
    room = Room(store)
    refused = [(p, at) for at, p, opened in sorted(events) if not room.send(p, "routeur", at, opened).accepted]
    assert refused == [] and _stored(store) == 500


def test_a_script_is_held_to_a_person_s_pace(store):
    room = Room(store)
    # One participant (its cookie kept): three words, then refusals.
    assert sum(room.send("script", "10.0.0.9", at=n * 0.25, opened=0.0).accepted for n in range(40)) == 3
    # A new session (cookie cleared) for every word, sent as soon as the page is open: none stored.
    refused = [room.send(f"s{n}", "10.0.0.9", at=100 + n * 0.2, opened=100 + n * 0.2 - 0.1) for n in range(30)]
    assert not any(v.accepted for v in refused)
    assert all("Prenez le temps d'écrire votre mot : réessayez dans 2 secondes" in v.message for v in refused)


def test_the_network_windows_hold_many_scripted_sessions_together_in_every_process(store, database_url):
    other = Store(database_url)
    rooms = [Room(store, windows=((20, 60.0), (50, 600.0))), Room(other, windows=((20, 60.0), (50, 600.0)))]
    accepted = sum(
        rooms[n % 2].send(f"script{n}", "script", at=1_000 + n * 0.1, opened=1_000 + n * 0.1 - 2.5).accepted
        for n in range(60)
    )
    assert accepted == 20 and _stored(store) == 20  # the first window's worth, whichever process took them
    verdict = rooms[0].send("script-suivant", "script", at=1_010, opened=0.0)
    assert not verdict.accepted and "réessayez dans" in verdict.message and verdict.retry_after >= 1
    assert NETWORK_WINDOWS[0][0] >= 600  # the real windows let a room of 300 phones through (above)
    other.engine.dispose()


class Clock:
    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def test_sign_in_budgets_are_shared_by_every_process(store, database_url):
    clock = Clock()
    other = Store(database_url)
    throttles = [SharedLoginThrottle(store, clock=clock), SharedLoginThrottle(other, clock=clock)]
    tries = [throttles[n % 2].attempt_with("10.0.0.1", lambda: False) for n in range(6)]
    assert tries == [False] * 5 + [None]  # five guesses from one address, whichever process answers
    assert throttles[1].wait("10.0.0.1") == 60.0
    clock.now += 60  # one more a minute
    assert throttles[1].attempt_with("10.0.0.1", lambda: True) is True
    assert throttles[0].wait("10.0.0.1") == 0.0  # a success gives the address its budget back
    # A crowd of addresses gets no more than the common budget.
    crowd = [throttles[n % 2].attempt_with(f"10.1.0.{n}", lambda: False) for n in range(40)]
    assert crowd.count(False) == 29 and crowd.count(None) == 11  # 30, less 6 tries, 6 back after a minute
    other.engine.dispose()
