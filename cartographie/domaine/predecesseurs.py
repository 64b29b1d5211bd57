"""Which contrats de ville 2015–2023 preceded each contrat 2024–2030: the rule, computed once at load.

No official table links the two generations; the rule reads the perimeters (the QPV 2024 and
where they lie in the 2015–2023 layer, and the contrats' territories) and never asserts what
the data do not show.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    import geopandas as gpd

    from cartographie.domaine.territoires import ReferenceData


#: Share of a QPV 2024's area that must lie inside a 2015–2023 contrat for that contrat to have covered it.
PART_QPV_COUVERT = 0.5


#: ... and how many times larger that share must be than the QPV's share in any other 2015–2023 contrat:
#: a QPV split almost evenly between two contrats (51 % / 49 %) documents neither.
AVANCE_QPV_COUVERT = 2.0


#: A QPV not clearly covered is *undecided* between the 2015–2023 contrats that each hold at least this share of it.
PART_QPV_CANDIDAT = 0.25


#: Share of a 2024 contrat's territory that must lie inside a 2015–2023 contrat for it to be a predecessor.
PART_TERRITOIRE_COUVERT = 0.5


#: Columns of the predecessors table (one row per 2024 contrat and 2015–2023 contrat linked to it).
PREDECESSOR_COLUMNS = ["code_cv", "code_cv_2015", "qpv_couverts", "part_territoire", "qpv_indecis", "predecesseur"]


def _qpv_shares(geometry, old) -> dict[str, float]:
    """Share of a QPV's area inside each 2015–2023 contrat it touches."""
    area = geometry.area
    if not area:
        return {}
    return {
        previous.code_cv: geometry.intersection(previous.geometry).area / area
        for previous in old.itertuples()
        if geometry.intersects(previous.geometry)
    }


def covering_contrat(shares: dict[str, float]) -> tuple[str | None, tuple[str, ...]]:
    """The 2015–2023 contrat that clearly covered a QPV, or the candidates of a split too close to call.

    A contrat covered the QPV when at least :data:`PART_QPV_COUVERT` of the QPV lies in it, and
    :data:`AVANCE_QPV_COUVERT` times more than in any other. Otherwise the contrats holding at
    least :data:`PART_QPV_CANDIDAT` of it are returned as candidates (two or more: undecided).
    """
    ranked = sorted(shares.items(), key=lambda item: -item[1])
    if not ranked:
        return None, ()
    best, share = ranked[0]
    second = ranked[1][1] if len(ranked) > 1 else 0.0
    if share >= PART_QPV_COUVERT and share >= AVANCE_QPV_COUVERT * second:
        return best, ()
    candidates = tuple(code for code, part in ranked if part >= PART_QPV_CANDIDAT)
    return None, candidates if len(candidates) > 1 else ()


def predecessors_table(
    contrats_2024: gpd.GeoDataFrame, contrats_2015: gpd.GeoDataFrame, qpv: gpd.GeoDataFrame
) -> pd.DataFrame:
    """Which 2015–2023 contrats preceded each 2024–2030 contrat, and why.

    No official table links the two generations. A 2015–2023 contrat is a predecessor of a
    2024 contrat when it clearly covered at least one of its QPV 2024 (see :func:`covering_contrat`:
    a QPV that succeeds a 2015 QPV lies where its predecessor lay), or most of its territory
    (:data:`PART_TERRITOIRE_COUVERT`). A QPV split too evenly between two 2015–2023 contrats
    documents neither: both are listed as undecided (``predecesseur`` false unless another
    reason makes them predecessors). Computed once when the reference data are loaded.

    Returns
    -------
    pandas.DataFrame
        ``code_cv`` (2024), ``code_cv_2015``, ``qpv_couverts`` (codes joined by ``;``),
        ``part_territoire`` (share of the 2024 territory inside the 2015 perimeter),
        ``qpv_indecis`` (``code:share`` of the QPV split between this contrat and another, joined
        by ``;``) and ``predecesseur``.
    """
    if contrats_2024.empty or contrats_2015.empty:
        return pd.DataFrame(columns=PREDECESSOR_COLUMNS)
    metric = contrats_2015.estimate_utm_crs()
    old = contrats_2015[["code_cv", "geometry"]].to_crs(metric)
    new = contrats_2024[["code_cv", "geometry"]].to_crs(metric)
    quartiers = qpv[["code_qp", "code_cv_2024", "geometry"]].to_crs(metric)
    rows = []
    for contrat in new.itertuples():
        own = quartiers[quartiers["code_cv_2024"] == contrat.code_cv]
        covered: dict[str, list[str]] = {}
        undecided: dict[str, list[str]] = {}
        for q in own.itertuples():
            shares = _qpv_shares(q.geometry, old)
            best, candidates = covering_contrat(shares)
            if best:
                covered.setdefault(best, []).append(q.code_qp)
            for code in candidates:
                undecided.setdefault(code, []).append(f"{q.code_qp}:{round(shares[code], 3)}")
        area = contrat.geometry.area
        for previous in old.itertuples():
            if not contrat.geometry.intersects(previous.geometry) and previous.code_cv not in covered | undecided:
                continue
            share = contrat.geometry.intersection(previous.geometry).area / area if area else 0.0
            qpv_covered = sorted(covered.get(previous.code_cv, []))
            is_predecessor = bool(qpv_covered) or share >= PART_TERRITOIRE_COUVERT
            qpv_undecided = sorted(undecided.get(previous.code_cv, []))
            if is_predecessor or qpv_undecided:
                rows.append((contrat.code_cv, previous.code_cv, ";".join(qpv_covered), round(float(share), 3),
                             ";".join(qpv_undecided), is_predecessor))  # fmt: skip
    return pd.DataFrame(rows, columns=PREDECESSOR_COLUMNS)


@dataclass(frozen=True)
class Predecessors:
    """The 2015–2023 contrats that preceded a 2024 contrat, or why the data cannot name them."""

    contrats: pd.DataFrame  # rows of the 2015 layer, with "qpv_couverts", "part_territoire", "partage_avec"
    statut: str  # "documente", "non_documente" or "sans_qpv_2015"
    explication: str
    #: QPV split too evenly between 2015–2023 contrats, said on the sheet (their credits are not counted).
    indecis: str = ""

    @property
    def credits_origin(self) -> str:
        """Whose credits the contrat's 2020–2023 figures sum, in a few words (the sheet says it at length)."""
        if self.statut == "non_documente":
            return "non documenté : les données ne relient ce territoire à aucun contrat 2015–2023 (voir la fiche)"
        if self.statut == "sans_qpv_2015":
            return "aucun contrat 2015–2023 sur ce territoire dans les données"
        rows = sorted(zip(self.contrats["code_cv"], self.contrats["lib_cv"], self.contrats["partage_avec"],
                          strict=True))  # fmt: skip
        parts = ["contrat(s) 2015–2023 qui l'ont précédé : " + ", ".join(f"{name} ({code})" for code, name, _ in rows)]
        parts += [f"{code} compté aussi pour {shared.replace(';', ', ')}" for code, _, shared in rows if shared]
        if self.indecis:
            parts.append("un QPV partagé trop également entre deux contrats 2015–2023 : voir la fiche")
        return " ; ".join(parts)

    @property
    def codes(self) -> set[str]:
        """Codes of the predecessors (whose 2020–2023 credits the sheet shows)."""
        return set(self.contrats["code_cv"])


def _undecided_sentence(ref: ReferenceData, links: pd.DataFrame) -> str:
    """« Le QPV … se partage presque également entre CV182 (51,5 %) et CV183 (48,5 %) : … »."""
    from cartographie.domaine.formats import format_nombre

    by_qpv: dict[str, list[tuple[str, float]]] = {}
    for row in links.itertuples():
        for item in filter(None, str(row.qpv_indecis).split(";")):
            code, _, share = item.partition(":")
            by_qpv.setdefault(code, []).append((row.code_cv_2015, float(share)))
    names = dict(zip(ref.contrats_2015["code_cv"], ref.contrats_2015["lib_cv"], strict=True))
    qpv_names = dict(zip(ref.qpv["code_qp"], ref.qpv["lib_qp"], strict=True))
    counted = set(links.loc[links["predecesseur"].astype(bool), "code_cv_2015"])
    sentences = []
    for code, candidates in sorted(by_qpv.items()):
        candidates.sort(key=lambda c: -c[1])
        listed = " et ".join(f"{names.get(c, c)} ({c}, {format_nombre(s * 100, 1)} %)" for c, s in candidates)
        left_out = [c for c, _ in candidates if c not in counted]
        sentence = (
            f"Le QPV {qpv_names.get(code, code)} ({code}) se partage entre les périmètres 2015–2023 de {listed} : "
            "un partage trop serré pour dire lequel le couvrait, les données ne le documentent pas."
        )
        if left_out:
            sentence += f" Les crédits 2020–2023 de {', '.join(left_out)} ne sont donc pas comptés sur cette fiche."
        sentences.append(sentence)
    return " ".join(sentences)


def predecessors_of(ref: ReferenceData, code_cv: str) -> Predecessors:
    """The predecessors of one 2024 contrat, with a sentence that never asserts what the data do not show.

    Read from ``ref.predecesseurs`` (computed once at load by :func:`all_predecessors`) when it is there.
    """
    known = ref.predecesseurs.get(code_cv) if ref.predecesseurs else None
    return known if known is not None else _predecessors_of(ref, code_cv)


def all_predecessors(ref: ReferenceData) -> dict[str, Predecessors]:
    """Every 2024 contrat's predecessors (code → :class:`Predecessors`), computed once when the data are loaded."""
    return {code: _predecessors_of(ref, code) for code in ref.contrats_2024["code_cv"]}


def _predecessors_of(ref: ReferenceData, code_cv: str) -> Predecessors:
    table = ref.contrats_predecesseurs
    if "predecesseur" not in table:  # a table without undecided links (every row is a predecessor)
        table = table.assign(qpv_indecis="", predecesseur=True)
    links = table[table["code_cv"] == code_cv]
    undecided = _undecided_sentence(ref, links)
    links = links[links["predecesseur"].astype(bool)]
    kept = table[table["predecesseur"].astype(bool)]
    shared = kept.groupby("code_cv_2015")["code_cv"].agg(lambda codes: ";".join(sorted(codes)))
    contrats = ref.contrats_2015.merge(
        links.drop(columns=["qpv_indecis", "predecesseur"]).rename(
            columns={"code_cv": "code_cv_2024", "code_cv_2015": "code_cv"}
        ),
        on="code_cv",
        how="inner",
    )
    contrats = contrats.assign(
        partage_avec=contrats["code_cv"].map(
            lambda c: ";".join(x for x in shared.get(c, "").split(";") if x and x != code_cv)
        )
    )
    if not contrats.empty:
        return Predecessors(contrats, "documente", "", undecided)
    if undecided:
        return Predecessors(contrats, "non_documente", undecided, undecided)
    qpv = ref.qpv[ref.qpv["code_cv_2024"] == code_cv]
    successors = qpv[qpv["statut_2024_vs_2015"] != "NOUVEAU"]
    if not successors.empty:
        row = successors.iloc[0]
        anciens = str(row["codes_qp_2015"]).replace(";", ", ")
        return Predecessors(
            contrats,
            "non_documente",
            f"Les données ne documentent pas le contrat de ville 2015–2023 de ce territoire : le QPV "
            f"{row['lib_qp']} ({row['code_qp']}) succède au QPV 2015 {anciens}, qui relevait d'un contrat de "
            "ville 2015–2023, mais la couche des périmètres 2015–2023 n'en contient aucun à cet endroit. "
            "Ses crédits 2020–2023 ne peuvent donc pas être rattachés à cette fiche.",
        )
    return Predecessors(
        contrats,
        "sans_qpv_2015",
        "Aucun périmètre de contrat 2015–2023 des données ne couvre ce territoire, et ses quartiers sont tous "
        "nouveaux en 2024 (aucun ne succède à un QPV 2015).",
    )


def predecessor_codes(ref: ReferenceData) -> dict[str, tuple[str, ...] | None]:
    """For each contrat 2024–2030, the 2015–2023 contrats whose credits are its own (``None``: not documented)."""
    codes = {}
    for code in ref.contrats_2024["code_cv"]:
        before = predecessors_of(ref, code)
        codes[code] = tuple(sorted(before.codes)) if before.statut != "non_documente" or before.codes else None
    return codes
