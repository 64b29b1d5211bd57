"""Adultes-relais and FONJEP credits: the one deduplication rule, and the data-quality checks.

The ANCT source (Dauphin platform, via Ci.Ville) has defects that would show as wrong figures
if summed as published: posts listed twice in a year (FONJEP 2025), and years whose amounts
are of another nature than the rest of the series (adultes-relais 2025 at the FONJEP unit
amount). The rule is applied once, where the credits are loaded:

* **one row per scheme, year and post** (``dispositif``, ``annee``, ``id_poste``);
* a row identical to an earlier one is an *exact repeat*: dropped, and counted;
* rows of the same post that disagree (amount, organisation or contrat) are *discordant
  repeats*: the first row in the file is kept, the others are set aside and reported.

The checks then run per scheme and year on the deduplicated rows. Their findings
(:class:`Finding`) travel with the figures they concern: an alert makes every figure of its year
doubtful; a note sits only on the figures it is about (the contrats and departments of the posts
involved, and the regional total). The default year of a credits view is the latest one without
an alert.

Every credits figure is then computed once, for every territory, year and scheme, by
:func:`credits_ledger`: the region, each department, each contrat 2015–2023 and each contrat
2024–2030 (its 2020–2023 credits through its predecessors). Lists, sheets, maps, slides, printed
sheets and exports read their figures from that ledger and never sum the credits again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from cartographie.domaine.formats import format_euros, format_nombre

#: Key of one post in one year.
POST_KEY = ["dispositif", "annee", "id_poste"]


#: A year whose amount per post differs from the median of the scheme's other years by more than this is a break.
RUPTURE_MONTANT_PAR_POSTE = 0.25


#: Likewise for the number of posts.
RUPTURE_NOMBRE_DE_POSTES = 0.30


#: Repeated rows above this share of a year's rows make the year doubtful (an alert, not a note).
PART_DOUBLONS_ALERTE = 0.05


#: Levels of a finding: an alert makes the figure doubtful; a note explains a small correction.
ALERTE = "alerte"


NOTE = "note"


DISPOSITIFS = {"adultes-relais": "Adultes-relais", "FONJEP": "FONJEP"}


@dataclass(frozen=True)
class Finding:
    """One data-quality finding on the credits of one scheme and year."""

    dispositif: str
    annee: int
    nature: str  # "doublons", "poste_discordant", "rupture_montant", "rupture_postes", "sans_contrat"
    niveau: str  # ALERTE or NOTE
    message: str  # French, names the problem and what the app did
    #: What a note is about: the contrats (codes as in the source: 2015 codes before 2024) and the
    #: departments whose figures it concerns; every note also concerns the regional total. An alert
    #: concerns every figure of its year, whatever these say.
    contrats: tuple[str, ...] = ()
    departements: tuple[str, ...] = ()

    def concerns(self, niveau: str, code: str, source_codes: tuple[str, ...] = ()) -> bool:
        """Whether this finding belongs to the figure of a territory (``region``, ``dep``, ``cv2015``, ``cv``).

        ``source_codes``: the contrat codes of the source summed into the figure (a 2024 contrat's
        predecessors before 2024, its own code after).
        """
        if self.niveau == ALERTE or niveau == "region":
            return True
        if niveau == "dep":
            return code in self.departements
        return bool(set(self.contrats) & {code, *source_codes})

    @property
    def court(self) -> str:
        """A few words for a legend or a tooltip: ``FONJEP 2025 : postes répétés dans la source``."""
        what = {
            "doublons": "postes répétés dans la source",
            "poste_discordant": "poste listé deux fois",
            "rupture_montant": "montant par poste anormal",
            "rupture_postes": "nombre de postes anormal",
            "sans_contrat": "postes sans contrat de ville",
        }.get(self.nature, self.nature)
        return f"{DISPOSITIFS.get(self.dispositif, self.dispositif)} {self.annee} : {what}"

    @property
    def texte(self) -> str:
        """``Adultes-relais 2025 : …`` (for lists that mix schemes and years)."""
        return f"{DISPOSITIFS.get(self.dispositif, self.dispositif)} {self.annee} : {self.message}"


@dataclass(frozen=True)
class CreditsQuality:
    """What the checks found, and how many rows the deduplication dropped."""

    findings: tuple[Finding, ...] = ()
    lignes_source: int = 0
    lignes_retenues: int = 0
    repetitions_exactes: int = 0
    repetitions_discordantes: int = 0
    annees: tuple[int, ...] = field(default_factory=tuple)

    def of(
        self, annee: int | None = None, dispositif: str | None = None, *, niveau: str | None = None
    ) -> list[Finding]:
        """The findings of a year (all years when ``None``), of one scheme or both, of one level or both."""
        return [
            f
            for f in self.findings
            if (annee is None or f.annee == annee)
            and (dispositif is None or f.dispositif == dispositif)
            and (niveau is None or f.niveau == niveau)
        ]

    def has_alert(self, annee: int, dispositif: str | None = None) -> bool:
        """Whether the figures of this year (and scheme) are doubtful."""
        return bool(self.of(annee, dispositif, niveau=ALERTE))

    def default_year(self) -> int | None:
        """The latest year without an alert on either scheme (the latest year if every year has one)."""
        clean = [a for a in self.annees if not self.has_alert(a)]
        if clean:
            return max(clean)
        return max(self.annees) if self.annees else None

    def year_label(self, annee: int) -> str:
        """``2025 (données douteuses)`` for a year picker."""
        return f"{annee} (données douteuses)" if self.has_alert(annee) else str(annee)

    def about(
        self, niveau: str, code: str, annee: int, *, source_codes: tuple[str, ...] = (), level: str | None = None
    ) -> list[Finding]:
        """The findings of one year that belong to one territory's figure (see :meth:`Finding.concerns`)."""
        return [f for f in self.of(annee, niveau=level) if f.concerns(niveau, code, source_codes)]

    def warning(self, annee: int, dispositif: str | None = None) -> str:
        """One French paragraph with the alerts of a year (empty when there is none)."""
        alerts = self.of(annee, dispositif, niveau=ALERTE)
        return " ".join(f.texte for f in alerts)

    def short_warning(self, annee: int, dispositif: str | None = None) -> str:
        """The alerts of a year in a few words each (for a map legend)."""
        return " ; ".join(f.court for f in self.of(annee, dispositif, niveau=ALERTE))

    def notes(self, annee: int, dispositif: str | None = None) -> str:
        """One French paragraph with the notes of a year (empty when there is none)."""
        return " ".join(f.texte for f in self.of(annee, dispositif, niveau=NOTE))

    def column(self, annee: int, dispositif: str | None = None) -> str:
        """What an export's quality column says for a year: alerts, then notes (or « aucune anomalie détectée »)."""
        texts = [f.texte for f in self.of(annee, dispositif, niveau=ALERTE)]
        texts += [f.texte for f in self.of(annee, dispositif, niveau=NOTE)]
        return " ".join(texts) or "aucune anomalie détectée"

    def summary(self) -> str:
        """What the deduplication did, in one French sentence."""
        dropped = self.lignes_source - self.lignes_retenues
        if not dropped:
            return f"{format_nombre(self.lignes_source)} lignes lues, aucune répétition de poste."
        return (
            f"{format_nombre(self.lignes_source)} lignes lues, {format_nombre(self.lignes_retenues)} retenues "
            f"(une par dispositif, année et poste) : {format_nombre(self.repetitions_exactes)} copie(s) exacte(s) "
            f"retirée(s), {format_nombre(self.repetitions_discordantes)} ligne(s) discordante(s) écartée(s) "
            "(la première ligne du poste est retenue)."
        )


def deduplicate(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One row per scheme, year and post; returns the kept rows and, per scheme and year, what was dropped.

    The second frame has ``dispositif``, ``annee``, ``lignes``, ``exactes`` (identical repeats),
    ``discordantes`` (rows of a post that disagree with its first row), ``postes_discordants``
    and ``montant_ecarte`` (amount of the discordant rows set aside).
    """
    exact = frame.duplicated(keep="first")
    without_exact = frame[~exact]
    discordant = without_exact.duplicated(POST_KEY, keep="first")
    kept = without_exact[~discordant]
    set_aside = without_exact[discordant]
    groups = frame.groupby(["dispositif", "annee"]).size().rename("lignes")
    report = pd.concat(
        [
            groups,
            frame[exact].groupby(["dispositif", "annee"]).size().rename("exactes"),
            set_aside.groupby(["dispositif", "annee"]).size().rename("discordantes"),
            set_aside.groupby(["dispositif", "annee"])["id_poste"].nunique().rename("postes_discordants"),
            set_aside.groupby(["dispositif", "annee"])["montant"].sum().rename("montant_ecarte"),
        ],
        axis=1,
    ).fillna(0)
    report = report.astype({"exactes": int, "discordantes": int, "postes_discordants": int, "lignes": int})
    return kept.reset_index(drop=True), report.reset_index()


def discordant_posts(frame: pd.DataFrame) -> pd.DataFrame:
    """Every row of a post listed several times with different values (after exact copies are removed).

    Columns of the source, plus ``retenue`` (the first row of the post in the file, the one counted).
    """
    without_exact = frame[~frame.duplicated(keep="first")]
    rows = without_exact[without_exact.duplicated(POST_KEY, keep=False)].copy()
    rows["retenue"] = ~rows.duplicated(POST_KEY, keep="first")
    return rows


def year_totals(frame: pd.DataFrame) -> pd.DataFrame:
    """Per scheme and year: number of posts, amount, amount per post (of deduplicated rows)."""
    totals = (
        frame.groupby(["dispositif", "annee"])
        .agg(postes=("id_poste", "nunique"), montant=("montant", "sum"))
        .reset_index()
    )
    totals["par_poste"] = totals["montant"] / totals["postes"].where(totals["postes"] > 0)
    return totals


def _break(value: float, reference: float, threshold: float) -> float | None:
    """The relative gap when it exceeds ``threshold``, else ``None``."""
    if not reference or reference != reference or value != value:
        return None
    gap = value / reference - 1
    return gap if abs(gap) > threshold else None


def _percent(gap: float) -> str:
    return f"{'+' if gap > 0 else '−'}{format_nombre(abs(gap) * 100)} %"


def check_credits(raw: pd.DataFrame) -> tuple[pd.DataFrame, CreditsQuality]:
    """Apply the deduplication rule and check every scheme and year; returns the clean rows and the findings.

    Parameters
    ----------
    raw
        The credits file as read (``dispositif``, ``annee``, ``id_poste``, ``montant``, ``code_cv``…).
    """
    clean, report = deduplicate(raw)
    findings = [
        *_repeat_findings(report),
        *_discordant_findings(discordant_posts(raw)),
        *_break_findings(year_totals(clean)),
        *_orphan_findings(clean),
    ]
    order = {"doublons": 0, "poste_discordant": 1, "rupture_montant": 2, "rupture_postes": 3, "sans_contrat": 4}
    findings.sort(key=lambda f: (f.annee, f.dispositif, order.get(f.nature, 9)))
    quality = CreditsQuality(
        findings=tuple(findings),
        lignes_source=len(raw),
        lignes_retenues=len(clean),
        repetitions_exactes=int(report["exactes"].sum()) if len(report) else 0,
        repetitions_discordantes=int(report["discordantes"].sum()) if len(report) else 0,
        annees=tuple(sorted(int(a) for a in clean["annee"].unique())),
    )
    return clean, quality


def _repeat_findings(report: pd.DataFrame) -> list[Finding]:
    """One finding per scheme and year whose source repeats posts (an alert beyond :data:`PART_DOUBLONS_ALERTE`)."""
    findings = []
    for row in report.itertuples():
        repeated = row.exactes + row.discordantes
        if not repeated:
            continue
        parts = []
        if row.exactes:
            plural = "s" if row.exactes > 1 else ""
            parts.append(
                f"{format_nombre(row.exactes)} copie{plural} exacte{plural} d'un poste déjà listé, retirée{plural}"
            )
        if row.discordantes:
            plural = "s" if row.postes_discordants > 1 else ""
            parts.append(
                f"{format_nombre(row.postes_discordants)} poste{plural} listé{plural} plusieurs fois avec des "
                f"valeurs différentes (montant, structure ou contrat) : la première ligne est retenue, "
                f"{format_euros(row.montant_ecarte)} écartés"
            )
        level = ALERTE if repeated / row.lignes > PART_DOUBLONS_ALERTE else NOTE
        message = (
            f"la source répète des postes ({format_nombre(repeated)} ligne{'s' if repeated > 1 else ''} "
            f"sur {format_nombre(row.lignes)}) : " + " ; ".join(parts) + "."
        )
        if level == ALERTE:
            message += " Chaque poste n'est compté qu'une fois, mais la source de cette année est douteuse."
        # A summary of the whole year's source: it belongs to the regional total (exact copies change no
        # figure; each discordant post has a note of its own on the figures it touches).
        findings.append(Finding(row.dispositif, int(row.annee), "doublons", level, message))
    return findings


def _discordant_findings(rows: pd.DataFrame) -> list[Finding]:
    """One note per post listed several times with different values: on the contrats and departments it touches."""
    findings = []
    for (dispositif, annee, poste), group in rows.groupby(POST_KEY, sort=True):
        lines = []
        for row in group.sort_values("retenue", ascending=False).itertuples():
            contrat = str(row.code_cv) if isinstance(row.code_cv, str) and row.code_cv.strip() else "aucun contrat"
            what = "retenue" if row.retenue else "écartée"
            lines.append(f"contrat {contrat}, {row.raison_sociale}, {format_euros(row.montant)} ({what})")
        message = (
            f"le poste {poste} figure {format_nombre(len(group))} fois dans la source avec des valeurs "
            f"différentes : {' ; '.join(lines)}. Il n'est compté qu'une fois, sur la première ligne de la source."
        )
        contrats = tuple(sorted({str(c) for c in group["code_cv"].dropna() if str(c).strip()}))
        departements = tuple(sorted({str(d) for d in group["insee_dep"].dropna()})) if "insee_dep" in group else ()
        findings.append(Finding(dispositif, int(annee), "poste_discordant", NOTE, message, contrats, departements))
    return findings


def _break_findings(totals: pd.DataFrame) -> list[Finding]:
    """Alerts for a year whose amount per post or number of posts breaks from the median of the other years."""
    findings = []
    for dispositif, rows in totals.groupby("dispositif"):
        for row in rows.itertuples():
            others = rows[rows["annee"] != row.annee]
            if others.empty:
                continue
            periode = f"{int(others['annee'].min())}–{int(others['annee'].max())}"
            median_per_post = float(others["par_poste"].median())
            gap = _break(row.par_poste, median_per_post, RUPTURE_MONTANT_PAR_POSTE)
            if gap is not None:
                message = (
                    f"montant moyen par poste de {format_euros(row.par_poste)}, contre "
                    f"{format_euros(median_per_post)} en médiane des autres années ({periode}), "
                    f"soit {_percent(gap)}. Un tel écart vient probablement de la source (montants d'une "
                    "autre nature ou incomplets) : ne pas le lire comme une évolution réelle."
                )
                findings.append(Finding(dispositif, int(row.annee), "rupture_montant", ALERTE, message))
            median_posts = float(others["postes"].median())
            gap = _break(row.postes, median_posts, RUPTURE_NOMBRE_DE_POSTES)
            if gap is not None:
                message = (
                    f"{format_nombre(row.postes)} postes, contre {format_nombre(median_posts)} en médiane des "
                    f"autres années ({periode}), soit {_percent(gap)} : écart à vérifier dans la source."
                )
                findings.append(Finding(dispositif, int(row.annee), "rupture_postes", ALERTE, message))
    return findings


def _orphan_findings(clean: pd.DataFrame) -> list[Finding]:
    """Notes for posts without a contrat code: in the totals of the region and of their department, on no contrat."""
    orphans = clean[clean["code_cv"].isna() | (clean["code_cv"].astype(str).str.strip() == "")]
    findings = []
    for (dispositif, annee), rows in orphans.groupby(["dispositif", "annee"]):
        n = len(rows)
        departements = tuple(sorted({str(d) for d in rows["insee_dep"].dropna()})) if "insee_dep" in rows else ()
        s = "s" if n > 1 else ""
        message = (
            f"{format_nombre(n)} poste{s} sans code de contrat de ville ({format_euros(rows['montant'].sum())}) : "
            f"compté{s} dans le total de la région et dans celui de {'leur' if n > 1 else 'son'} département, "
            "sur aucun contrat."
        )
        findings.append(Finding(dispositif, int(annee), "sans_contrat", NOTE, message, (), departements))
    return findings


#: First year whose credits carry the 2024–2030 contrat codes (before it, the 2015 codes).
PREMIERE_ANNEE_CONTRATS_2024 = 2024


#: Columns of the credits ledger (see :func:`credits_ledger`).
LEDGER_COLUMNS = ["niveau", "code", "annee", "dispositif", "montant", "postes", "codes_source"]


def credits_ledger(
    clean: pd.DataFrame,
    *,
    departements: list[str],
    contrats_2015: list[str],
    predecessors: dict[str, tuple[str, ...] | None],
) -> pd.DataFrame:
    """Every credits figure, computed once: one row per territory, year and scheme.

    Parameters
    ----------
    clean
        The deduplicated credits (one row per scheme, year and post).
    departements
        The departments of the region (a row each, even without posts).
    contrats_2015
        The contrats 2015–2023 of the reference layer (a row each for 2020–2023).
    predecessors
        For each contrat 2024–2030, the codes of the contrats 2015–2023 whose 2020–2023 credits are
        its own, or ``None`` when the data do not document them (its 2020–2023 figures are then
        unknown, not zero).

    Returns
    -------
    pandas.DataFrame
        ``niveau`` (``region``, ``dep``, ``cv2015``, ``cv``), ``code`` (empty for the region),
        ``annee``, ``dispositif``, ``montant`` (euros, rounded to the cent; NaN when unknown),
        ``postes`` (NaN when unknown) and ``codes_source`` (the contrat codes of the source summed
        into a contrat's figure).
    """
    years = sorted(int(a) for a in clean["annee"].unique())
    schemes = sorted(DISPOSITIFS)

    def sums(keys: list[str]) -> dict:
        grouped = clean.groupby(keys, dropna=True).agg(montant=("montant", "sum"), postes=("id_poste", "size"))
        return {key: (float(m), int(p)) for key, m, p in zip(grouped.index, grouped["montant"], grouped["postes"],
                                                               strict=True)}  # fmt: skip

    by_dep, by_contrat = sums(["insee_dep", "annee", "dispositif"]), sums(["code_cv", "annee", "dispositif"])
    by_year = sums(["annee", "dispositif"])
    rows = []

    def add(niveau: str, code: str, annee: int, dispositif: str, value, codes: tuple[str, ...] = ()) -> None:
        montant, postes = value if value is not None else (float("nan"), float("nan"))
        rows.append((niveau, code, annee, dispositif, round(montant, 2), postes, codes))

    for annee in years:
        for dispositif in schemes:
            add("region", "", annee, dispositif, by_year.get((annee, dispositif), (0.0, 0)))
            for dep in departements:
                add("dep", dep, annee, dispositif, by_dep.get((dep, annee, dispositif), (0.0, 0)))
            if annee < PREMIERE_ANNEE_CONTRATS_2024:
                codes_2015 = sorted(set(contrats_2015) | {c for c, a, _ in by_contrat if a == annee and
                                                             str(c).startswith("CV")})  # fmt: skip
                for code in codes_2015:
                    add("cv2015", code, annee, dispositif, by_contrat.get((code, annee, dispositif), (0.0, 0)), (code,))
            for code, before in predecessors.items():
                if annee >= PREMIERE_ANNEE_CONTRATS_2024:
                    add("cv", code, annee, dispositif, by_contrat.get((code, annee, dispositif), (0.0, 0)), (code,))
                elif before is None:
                    add("cv", code, annee, dispositif, None)
                else:
                    parts = [by_contrat.get((c, annee, dispositif), (0.0, 0)) for c in before]
                    total = (sum(m for m, _ in parts), sum(p for _, p in parts))
                    add("cv", code, annee, dispositif, total, tuple(before))
    ledger = pd.DataFrame(rows, columns=LEDGER_COLUMNS)
    return ledger.astype({"annee": int})
