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
(:class:`Finding`) travel with the figures: every view of the credits shows the findings of the
year it shows, and the default year of a credits view is the latest one without an alert.
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
    nature: str  # "doublons", "rupture_montant", "rupture_postes", "sans_contrat"
    niveau: str  # ALERTE or NOTE
    message: str  # French, names the problem and what the app did

    @property
    def court(self) -> str:
        """A few words for a legend or a tooltip: ``FONJEP 2025 : postes répétés dans la source``."""
        what = {
            "doublons": "postes répétés dans la source",
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
    findings = [*_repeat_findings(report), *_break_findings(year_totals(clean)), *_orphan_findings(clean)]
    order = {"doublons": 0, "rupture_montant": 1, "rupture_postes": 2, "sans_contrat": 3}
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
        findings.append(Finding(row.dispositif, int(row.annee), "doublons", level, message))
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
    """Notes for posts without a contrat code: in the regional totals, on no contrat."""
    orphans = clean[clean["code_cv"].isna() | (clean["code_cv"].astype(str).str.strip() == "")]
    findings = []
    for (dispositif, annee), rows in orphans.groupby(["dispositif", "annee"]):
        n = len(rows)
        message = (
            f"{format_nombre(n)} poste{'s' if n > 1 else ''} sans code de contrat de ville "
            f"({format_euros(rows['montant'].sum())}) : compté{'s' if n > 1 else ''} dans les totaux régionaux, "
            "sur aucun contrat."
        )
        findings.append(Finding(dispositif, int(annee), "sans_contrat", NOTE, message))
    return findings
