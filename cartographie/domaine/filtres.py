"""Territorial filters, accent-insensitive search, and the view state kept in the URL.

Pure functions over the QPV table: the same code serves the map, the table, the exports
and the contrats de ville page, and is tested on small frames.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import ClassVar

import numpy as np
import pandas as pd

from cartographie.domaine.territoires import STATUTS
from cartographie.domaine.texte import fold
from cartographie.domaine.vocabulaires import COUCHES, COULEURS_QPV


@dataclass(frozen=True)
class Selection:
    """What the user has chosen: territories, statuses, the selected QPV or contrat, the layers.

    Empty tuples mean "no restriction". Every field round-trips through the URL query string.
    """

    departements: tuple[str, ...] = ()
    contrats: tuple[str, ...] = ()
    epci: tuple[str, ...] = ()
    communes: tuple[str, ...] = ()
    statuts: tuple[str, ...] = ()
    qpv: str = ""
    contrat: str = ""
    couches: tuple[str, ...] = ()
    #: Year of the credits layer; 0 = the default year (the latest without a data-quality alert).
    annee: int = 0
    mesure: str = "montant"
    #: What the map's QPV are coloured by: "" (their status) or an INSEE indicator (``COULEURS_QPV``).
    indicateur: str = ""

    # Short query-string names, stable so that shared links keep working.
    _QUERY: ClassVar[dict[str, str]] = {
        "departements": "dep",
        "contrats": "cv",
        "epci": "epci",
        "communes": "com",
        "statuts": "statut",
        "qpv": "qpv",
        "contrat": "contrat",
        "couches": "couches",
        "annee": "annee",
        "mesure": "mesure",
        "indicateur": "ind",
    }

    def to_query(self) -> dict[str, str]:
        """Query parameters of this view (empty values left out)."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            default = f.default
            if value == default:
                continue
            out[self._QUERY[f.name]] = ",".join(value) if isinstance(value, tuple) else str(value)
        return out

    @classmethod
    def from_query(cls, params: Mapping[str, object]) -> Selection:
        """Read a view back from query parameters; unknown or malformed values are dropped."""
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = params.get(cls._QUERY[f.name])
            if raw is None:
                continue
            if isinstance(raw, list | tuple):
                raw = ",".join(str(r) for r in raw)
            text = str(raw).strip()
            if isinstance(f.default, tuple):
                values[f.name] = tuple(dict.fromkeys(p.strip() for p in text.split(",") if p.strip()))
            elif isinstance(f.default, int):
                if text.isdigit():
                    values[f.name] = int(text)
            else:
                values[f.name] = text
        selection = cls(**values)
        return replace(
            selection,
            statuts=tuple(s for s in selection.statuts if s in STATUTS),
            couches=tuple(c for c in selection.couches if c in COUCHES),
            mesure=selection.mesure if selection.mesure in ("montant", "postes") else "montant",
            indicateur=selection.indicateur if selection.indicateur in COULEURS_QPV else "",
        )

    def restricts(self) -> bool:
        """Whether any territorial or status filter is set."""
        return bool(self.departements or self.contrats or self.epci or self.communes or self.statuts)

    def label(self) -> str:
        """Short description for file names: ``dep-57_statut-nouveau`` (``region`` when nothing is set)."""
        parts = []
        for name, prefix in (
            ("departements", "dep"),
            ("contrats", "cv"),
            ("epci", "epci"),
            ("communes", "com"),
            ("statuts", "statut"),
        ):
            values = getattr(self, name)
            if values:
                parts.append(f"{prefix}-{'-'.join(fold(v).replace(' ', '') for v in values[:3])}")
                if len(values) > 3:
                    parts[-1] += f"-et{len(values) - 3}"
        return "_".join(parts) or "region"


_FILTER_COLUMNS = {
    "departements": "insee_dep",
    "contrats": "code_cv_2024",
    "epci": "siren_epci",
    "statuts": "statut_2024_vs_2015",
}


def _mask(qpv: pd.DataFrame, selection: Selection, qpv_communes: pd.DataFrame) -> pd.Series:
    mask = pd.Series(True, index=qpv.index)
    for name, column in _FILTER_COLUMNS.items():
        values = getattr(selection, name)
        if values:
            mask &= qpv[column].isin(values)
    if selection.communes:
        in_communes = set(qpv_communes.loc[qpv_communes["insee_com"].isin(selection.communes), "code_qp"])
        mask &= qpv["code_qp"].isin(in_communes)
    return mask


def filter_qpv(qpv: pd.DataFrame, selection: Selection, qpv_communes: pd.DataFrame) -> pd.DataFrame:
    """The QPV matching every filter of ``selection`` (all of them when none is set).

    ``qpv_communes`` is the QPV ↔ commune table (a QPV spanning two communes matches either).
    """
    return qpv[_mask(qpv, selection, qpv_communes)]


@dataclass(frozen=True)
class FilterOptions:
    """Choices offered by each filter, narrowed by the other filters (code → label)."""

    departements: dict[str, str] = field(default_factory=dict)
    contrats: dict[str, str] = field(default_factory=dict)
    epci: dict[str, str] = field(default_factory=dict)
    communes: dict[str, str] = field(default_factory=dict)
    statuts: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class FilterIndex:
    """The QPV table reduced to what the filters need, built once per data folder.

    ``codes`` holds, per filter with one value per QPV (department, contrat, EPCI, status), the
    code of each QPV; ``commune_rows`` and ``commune_codes`` every (QPV, commune) pair;
    ``labels`` the display label of every code; ``order`` every code in display order (labels
    sorted with accents and case ignored; statuses in their own order).
    """

    codes: dict[str, np.ndarray]
    commune_rows: np.ndarray
    commune_codes: np.ndarray
    labels: dict[str, dict[str, str]]
    order: dict[str, tuple[str, ...]]


_FIELDS = ("departements", "contrats", "epci", "statuts", "communes")


_ONE_PER_QPV = {
    "departements": "insee_dep",
    "contrats": "code_cv_2024",
    "epci": "siren_epci",
    "statuts": "statut_2024_vs_2015",
}


_STATUS_RANK = {code: i for i, code in enumerate(STATUTS)}


def filter_index(qpv: pd.DataFrame, qpv_communes: pd.DataFrame) -> FilterIndex:
    """Build the :class:`FilterIndex` of a QPV table and its QPV ↔ commune table."""
    labels: dict[str, dict[str, str]] = {name: {} for name in _FIELDS}
    for dep, lib_dep, cv, lib_cv, epci, lib_epci, statut in zip(
        qpv["insee_dep"],
        qpv["lib_dep"],
        qpv["code_cv_2024"],
        qpv["lib_cv_2024"],
        qpv["siren_epci"],
        qpv["lib_epci"],
        qpv["statut_2024_vs_2015"],
        strict=True,
    ):
        labels["departements"][dep] = f"{lib_dep} ({dep})"
        labels["contrats"][cv] = lib_cv
        labels["epci"][epci] = lib_epci
        labels["statuts"][statut] = STATUTS.get(statut, statut)
    row_of = {code: row for row, code in enumerate(qpv["code_qp"])}
    pairs = qpv_communes[qpv_communes["code_qp"].isin(row_of)]
    commune_rows = [row_of[code] for code in pairs["code_qp"]]
    commune_codes = list(pairs["insee_com"])
    labels["communes"].update(zip(pairs["insee_com"], pairs["lib_com"], strict=True))
    order = {
        name: tuple(sorted(values, key=lambda code, v=values: (fold(v[code]), code))) for name, values in labels.items()
    }
    order["statuts"] = tuple(sorted(labels["statuts"], key=lambda code: (_STATUS_RANK.get(code, len(STATUTS)), code)))
    return FilterIndex(
        codes={name: qpv[column].to_numpy(dtype=object) for name, column in _ONE_PER_QPV.items()},
        commune_rows=np.asarray(commune_rows, dtype=np.intp),
        commune_codes=np.asarray(commune_codes, dtype=object),
        labels=labels,
        order=order,
    )


def filter_options(
    qpv: pd.DataFrame | FilterIndex, selection: Selection, qpv_communes: pd.DataFrame | None = None
) -> FilterOptions:
    """Options of each filter given the others: choosing a department limits the EPCI list, etc.

    Values already chosen stay offered even when the other filters exclude them, so that a
    choice never silently disappears from its own widget. Pass a :class:`FilterIndex` (built
    once) to keep reruns fast on large territories.
    """
    index = qpv if isinstance(qpv, FilterIndex) else filter_index(qpv, qpv_communes)
    size = len(index.codes["departements"])
    chosen = {name: set(getattr(selection, name)) for name in _FIELDS}

    # For every QPV, whether it passes each filter on its own; a value of a filter is offered
    # when some QPV passes all the *other* filters.
    passes = {}
    for name in _FIELDS:
        if not chosen[name]:
            passes[name] = np.ones(size, dtype=bool)
        elif name == "communes":
            passes[name] = np.zeros(size, dtype=bool)
            passes[name][index.commune_rows[np.isin(index.commune_codes, list(chosen[name]))]] = True
        else:
            passes[name] = np.isin(index.codes[name], list(chosen[name]))
    out = {}
    for name in _FIELDS:
        others = np.logical_and.reduce([passes[other] for other in _FIELDS if other != name])
        if name == "communes":
            present = set(index.commune_codes[others[index.commune_rows]].tolist())
        else:
            present = set(index.codes[name][others].tolist())
        present |= chosen[name]
        ordered = [code for code in index.order[name] if code in present]
        ordered += sorted(present.difference(index.labels[name]))  # chosen from a link, unknown here
        out[name] = {code: index.labels[name].get(code, code) for code in ordered}
    return FilterOptions(**out)


@dataclass(frozen=True)
class SearchHit:
    """One search result: a QPV (to open its sheet) or a commune (to filter on it)."""

    kind: str  # "qpv" or "commune"
    code: str
    label: str


def search(
    qpv: pd.DataFrame, communes: pd.DataFrame, query: str, qpv_communes: pd.DataFrame, limit: int = 12
) -> list[SearchHit]:
    """QPV by name or code and communes by name, ignoring accents, case and punctuation.

    Every word of the query must appear; names that start with the query come first.
    ``communes`` needs ``insee_com`` and ``nom``; only communes hosting a QPV (in the
    QPV ↔ commune table) are returned.
    """
    words = fold(query).split()
    if not words:
        return []

    def score(text: str) -> int | None:
        folded = fold(text)
        if not all(w in folded for w in words):
            return None
        return 0 if folded.startswith(words[0]) else 1

    hits: list[tuple[int, str, SearchHit]] = []
    for code, name, commune in zip(qpv["code_qp"], qpv["lib_qp"], qpv["lib_com"], strict=True):
        rank = score(f"{name} {code}")
        if rank is not None:
            label = f"QPV {name} ({commune}) – {code}"
            hits.append((rank, fold(name), SearchHit("qpv", code, label)))
    hosting = set(qpv_communes["insee_com"])
    subset = communes[communes["insee_com"].isin(hosting)]
    for code, name in zip(subset["insee_com"], subset["nom"], strict=True):
        rank = score(name)
        if rank is not None:
            hits.append((rank, fold(name), SearchHit("commune", code, f"Commune {name} ({code})")))
    hits.sort(key=lambda item: (item[0], item[2].kind != "commune", item[1]))
    return [hit for _, _, hit in hits[:limit]]
