"""Who lives in the QPV: INSEE's population, youth, employment and poverty figures, and comparable neighbourhoods.

The figures come from the optional indicators file of the reference folder
(:mod:`cartographie.lecture.indicateurs`), credited to INSEE through the channel the loaded
folder names; their vintage is the one the source states (the team's mirror states none).
Every view renders the :class:`~cartographie.domaine.chiffres.Figure` objects built here:

* a QPV: its four figures, « non diffusé (secret statistique) » where INSEE publishes none;
* a contrat, a department, the region: the population of its QPV (a sum, exact when every QPV
  has one), its share of the territory's population (two sources, two vintages: said), and
  poverty as the range and the median of its QPV's rates — never an average of rates, which
  would need the population each rate is computed on.

Comparable neighbourhoods (:func:`comparable_qpv`): see :data:`METHOD`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cartographie.domaine.chiffres import Figure, Scope
from cartographie.domaine.formats import format_nombre
from cartographie.domaine.vocabulaires import COULEURS_QPV

if TYPE_CHECKING:
    from cartographie.domaine.territoires import ReferenceData, Territory

#: The manifest key of the indicators file.
SOURCE = "qpv_indicateurs"
#: What an empty cell means.
SECRET = "non diffusé (secret statistique)"
#: Said where the figures would be when the loaded folder has no indicators file.
ABSENT = "indicateurs de l'INSEE absents du dossier de données"


@dataclass(frozen=True)
class Indicator:
    """One INSEE indicator of a QPV: its column, its name, its unit, how it reads."""

    column: str
    label: str
    unit: str
    definition: str
    decimals: int = 1


INDICATORS = {
    "population": Indicator("population", "Population du quartier", "habitants", "population municipale", 0),
    "taux_pauvrete": Indicator(
        "taux_pauvrete", "Taux de pauvreté", "%", "part des habitants sous 60 % du niveau de vie médian"
    ),
    "taux_emploi": Indicator("taux_emploi", "Taux d'emploi", "%", "taux d'emploi tel que l'INSEE le publie, en %"),
    "indice_jeunesse": Indicator(
        "indice_jeunesse", "Indice de jeunesse", "indice", "moins de 20 ans pour une personne de 60 ans ou plus"
    ),
}


def available(ref: ReferenceData) -> bool:
    """Whether the loaded folder has the indicators file."""
    return getattr(ref, "indicateurs", None) is not None


def indicator_text(indicator: Indicator, value) -> str:
    """A value in French: « 2 250 », « 51 % », « 0,9 »; « non diffusé (secret statistique) » when empty."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return SECRET
    if indicator.unit == "habitants":
        return format_nombre(int(value))
    text = format_nombre(float(value), indicator.decimals if float(value) != int(value) else 0)
    return f"{text}\u00a0%" if indicator.unit == "%" else text


def _vintage(ref: ReferenceData) -> str:
    return ref.source(SOURCE).millesime


def _channel(ref: ReferenceData) -> str:
    """How the loaded folder got INSEE's figures, for a slide's card: « , copie tierce : dépôt public … »."""
    producer = ref.source(SOURCE).producteur
    inside = producer.partition(" (")[2].removesuffix(")")
    return f", {inside}" if inside else ""


def _scope(territory: Territory) -> Scope:
    return Scope(territory.kind, territory.code, territory.label)


def table(ref: ReferenceData) -> pd.DataFrame | None:
    """The indicators of every QPV, indexed by code (``None`` without the file)."""
    return ref.indicateurs.set_index("code_qp") if available(ref) else None


def qpv_figures(ref: ReferenceData, territory: Territory) -> dict[str, Figure]:
    """The four figures of a QPV's sheet (key → figure), each with its source, vintage and meaning."""
    values = table(ref)
    figures = {}
    for key, indicator in INDICATORS.items():
        if values is None:
            value, notes = None, (ABSENT,)
        else:
            raw = values.at[territory.code, indicator.column]
            value = None if pd.isna(raw) else (int(raw) if indicator.unit == "habitants" else float(raw))
            notes = (indicator.definition,) if value is not None else (indicator.definition, SECRET)
        text = indicator_text(indicator, value) if values is not None else "–"
        figures[f"insee_{key}"] = Figure(
            f"insee_{key}",
            text,
            "texte",
            indicator.label,
            _scope(territory),
            (SOURCE,),
            _vintage(ref),
            notes,
        )
    return figures


@dataclass(frozen=True)
class Spread:
    """How a rate spreads over a territory's QPV: lowest, median, highest, and how many QPV have a value."""

    lowest: float | None
    median: float | None
    highest: float | None
    known: int
    total: int

    def text(self, indicator: Indicator) -> str:
        """« de 28 % à 62 %, médiane 45 % (11 QPV sur 12) »."""
        if not self.known:
            return SECRET
        if self.known == 1:
            return f"{indicator_text(indicator, self.median)} (1 QPV sur {self.total})"
        low, mid, high = (indicator_text(indicator, v) for v in (self.lowest, self.median, self.highest))
        return f"de {low} à {high}, médiane {mid} ({self.known} QPV sur {self.total})"


def spread(values: pd.Series, codes) -> Spread:
    """The :class:`Spread` of one column over the QPV ``codes``."""
    codes = list(codes)
    known = values.reindex(codes).dropna().astype(float)
    if known.empty:
        return Spread(None, None, None, 0, len(codes))
    return Spread(float(known.min()), float(known.median()), float(known.max()), len(known), len(codes))


def territory_figures(ref: ReferenceData, territory: Territory) -> dict[str, Figure]:
    """A contrat's, a department's or the region's figures: population of its QPV, its share, poverty's spread."""
    from cartographie.domaine.indicateurs import population_of

    codes = sorted(territory.qpv_codes)
    values = table(ref)
    scope = _scope(territory)
    vintage = _vintage(ref)
    if values is None:
        return {
            "insee_population_qpv": Figure(
                "insee_population_qpv", None, "habitants", "Habitants des QPV", scope, (SOURCE,), vintage, (ABSENT,)
            )
        }
    population = values["population"].reindex(codes)
    missing = int(population.isna().sum())
    total = int(population.dropna().sum())
    notes = ["population municipale de chaque QPV, additionnée"]
    if missing:
        notes.append(f"{missing} QPV sans population publiée : somme incomplète")
    figures = {
        "insee_population_qpv": Figure(
            "insee_population_qpv",
            total,
            "habitants",
            f"Habitants des {len(codes)} QPV" if len(codes) > 1 else "Habitants du QPV",
            scope,
            (SOURCE,),
            vintage,
            tuple(notes),
            brief=f"population municipale des QPV{_channel(ref)}",
        )
    }
    whole = population_of(ref, territory.kind, territory.code)
    if whole is not None and whole.valeur and not missing:
        share = 100 * total / whole.valeur
        where = {"region": "de la région", "dep": "du département", "cv": "du territoire du porteur"}[territory.kind]
        figures["insee_part_population_qpv"] = Figure(
            "insee_part_population_qpv",
            f"{format_nombre(share, 1)}\u00a0%",
            "texte",
            f"Part des habitants {where} vivant en QPV",
            scope,
            (SOURCE, "communes"),
            f"{vintage} ; {ref.source('communes').millesime}",
            (
                f"{format_nombre(total)} habitants des QPV pour {format_nombre(whole.valeur)} habitants {where}",
                "deux sources et deux millésimes différents (INSEE pour les QPV, population légale des communes) : "
                "un ordre de grandeur",
            ),
        )
    poverty = spread(values["taux_pauvrete"], codes)
    figures["insee_pauvrete_qpv"] = Figure(
        "insee_pauvrete_qpv",
        poverty.text(INDICATORS["taux_pauvrete"]),
        "texte",
        "Taux de pauvreté de ses QPV",
        scope,
        (SOURCE,),
        vintage,
        (
            "le plus bas, la médiane et le plus haut des taux de ses quartiers ; pas une moyenne, "
            "qu'il faudrait pondérer par la population sur laquelle chaque taux est calculé",
        ),
    )
    return figures


# --------------------------------------------------------------------------------------------- comparable QPV

#: How comparable neighbourhoods are found, as the QPV sheet and the README say it.
METHOD = (
    "Les quartiers sont comparés sur les quatre indicateurs de l'INSEE (population, en logarithme ; indice de "
    "jeunesse ; taux d'emploi ; taux de pauvreté), chacun ramené à l'écart à sa moyenne régionale divisé par son "
    "écart-type, et deux quartiers sont d'autant plus proches que l'écart moyen de ces valeurs est petit, sur les "
    "indicateurs publiés pour les deux. Les cinq plus proches hors de son contrat de ville sont proposés, avec leur "
    "contrat, leurs rencontres et leurs expériences de coopération : un indicateur non diffusé est laissé de côté, "
    "et la fiche le dit."
)
#: Indicators compared (population on a log scale: quarters of 1 000 and 15 000 people differ by their order of size).
COMPARED = ("population", "indice_jeunesse", "taux_emploi", "taux_pauvrete")


@dataclass(frozen=True)
class Neighbour:
    """A QPV comparable to another: its code, how far (0 = identical), and on which indicators."""

    code: str
    distance: float
    compared: tuple[str, ...]
    same_contrat: bool


def standardised(values: pd.DataFrame) -> pd.DataFrame:
    """Each compared indicator as (value − mean) / standard deviation over the QPV having it (population in log10)."""
    frame = values[list(COMPARED)].astype(float).copy()
    frame["population"] = np.log10(frame["population"])
    return (frame - frame.mean()) / frame.std(ddof=0).replace(0, 1)


def nearest(z: pd.DataFrame, code: str, contrat_of: dict[str, str], n: int = 5) -> list[Neighbour]:
    """The ``n`` QPV nearest ``code`` (root mean square of the differences on the indicators both have).

    QPV outside its contrat come first; a pair compared on fewer than two indicators is left out.
    Computed on arrays (a fraction of a millisecond for the region).
    """
    if code not in z.index:
        return []
    codes = [str(c) for c in z.index]
    values = z.to_numpy(dtype=float)
    row = codes.index(code)
    differences = values - values[row]
    shared = ~np.isnan(differences)
    counts = shared.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        distance = np.sqrt(np.where(shared, differences**2, 0.0).sum(axis=1) / counts)
    own_contrat = contrat_of.get(code)
    same = np.array([contrat_of.get(c) == own_contrat for c in codes])
    keep = (counts >= 2) & np.isfinite(distance)
    keep[row] = False
    chosen = [i for i in np.lexsort((np.array(codes), distance, same)) if keep[i]][:n]
    return [
        Neighbour(
            codes[i],
            float(distance[i]),
            tuple(c for c, ok in zip(COMPARED, shared[i], strict=True) if ok),
            bool(same[i]),
        )
        for i in chosen
    ]


def comparable_qpv(ref: ReferenceData, code: str, n: int = 5) -> list[Neighbour]:
    """The QPV of the region most alike ``code`` on INSEE's indicators (:data:`METHOD`); empty without the file."""
    if not available(ref):
        return []
    z = standardised(table(ref))
    contrat_of = dict(zip(ref.qpv["code_qp"], ref.qpv["code_cv_2024"], strict=True))
    return nearest(z, code, contrat_of, n)


def compared_note(neighbour: Neighbour) -> str:
    """« comparé sur 3 indicateurs (indice de jeunesse non diffusé) » when one was left out, else empty."""
    left = [INDICATORS[c].label.lower() for c in COMPARED if c not in neighbour.compared]
    if not left:
        return ""
    return f"comparé sur {len(neighbour.compared)} indicateurs ({', '.join(left)} non diffusé pour l'un des deux)"


# --------------------------------------------------------------------------------------------- the map's colours

#: Indicators the map can colour the QPV by (besides their status).
MAP_INDICATORS = tuple(key for key in COULEURS_QPV if key)
#: Four classes, light to dark (each at least 3:1 against the white map), and the colour of « non diffusé ».
CLASS_COLOURS = ("#e6803c", "#c8501e", "#962d0f", "#5a1405")
MISSING_COLOUR = "#6b6b6b"


@dataclass(frozen=True)
class MapClasses:
    """The QPV coloured by one indicator: classes (quartiles of the region's QPV), each QPV's class, missing values."""

    key: str
    title: str
    labels: tuple[str, ...]
    colours: tuple[str, ...]
    #: QPV code → index of its class, or -1 when INSEE publishes no value.
    class_of: dict[str, int]
    missing: int

    def colour_of(self) -> dict[str, str]:
        """QPV code → its colour."""
        return {code: MISSING_COLOUR if i < 0 else self.colours[i] for code, i in self.class_of.items()}


def map_classes(ref: ReferenceData, key: str) -> MapClasses | None:
    """The classes of ``key`` over the region's QPV (quartiles, bounds as published), ``None`` without the file."""
    if key not in MAP_INDICATORS or not available(ref):
        return None
    indicator = INDICATORS[key]
    values = table(ref)[indicator.column].astype(float)
    known = values.dropna()
    bounds = sorted({float(v) for v in known.quantile([0.25, 0.5, 0.75]).round(indicator.decimals)})
    edges = [float(known.min()), *[b for b in bounds if known.min() < b < known.max()], float(known.max())]
    labels = []
    for i in range(len(edges) - 1):
        low, high = indicator_text(indicator, edges[i]), indicator_text(indicator, edges[i + 1])
        labels.append(f"de {low} à {high}" if i == 0 else f"plus de {low} à {high}")
    class_of = {}
    for code, value in values.items():
        if pd.isna(value):
            class_of[str(code)] = -1
            continue
        index = next((i for i in range(len(edges) - 1) if value <= edges[i + 1]), len(edges) - 2)
        class_of[str(code)] = index
    count = len(labels)
    colours = CLASS_COLOURS[-count:] if count < len(CLASS_COLOURS) else CLASS_COLOURS
    return MapClasses(
        key, f"{indicator.label} des quartiers", tuple(labels), tuple(colours), class_of, int(values.isna().sum())
    )


#: The title of the size key in every legend (screen and image).
SIZE_TITLE = "Taille : population du quartier"
#: The QPV's symbol on the maps is graduated by its population, in three classes (upper bound excluded,
#: size as a multiple of the map's symbol radius, label): a délégué sees the large neighbourhoods at a glance.
#: Classes rather than areas proportional to the population: from 982 to 26 880 inhabitants, a true
#: proportion would shrink most QPV below a visible, touchable symbol. The sizes keep the symbols' total
#: area that of one size for all (half the QPV are in the smallest class): the map is no more crowded,
#: and the names keep their room.
POPULATION_SIZES = (
    (2_000, 0.85, "moins de 2 000 habitants"),
    (5_000, 1.0, "de 2 000 à moins de 5 000 habitants"),
    (None, 1.25, "5 000 habitants ou plus"),
)
#: The same classes in the few words a slide's narrow legend has room for.
POPULATION_SHORT = ("moins de 2 000", "2 000 à 4 999", "5 000 ou plus")
#: The legend's sizes and labels, in order.
SIZE_LEGEND = tuple((size, label) for _, size, label in POPULATION_SIZES)


@dataclass(frozen=True)
class SymbolSizes:
    """Each QPV's symbol size (× the map's radius) by its population class, for the maps and their legends."""

    size_of: dict[str, float]
    missing: int
    #: INSEE's figures and the copy the folder got them from (the manifest's mention).
    source: str
    legend: tuple[tuple[float, str], ...] = SIZE_LEGEND
    short: tuple[str, ...] = POPULATION_SHORT

    def of(self, code: str) -> float:
        """A QPV's size: the smallest class's when its population is not published."""
        return self.size_of.get(code, POPULATION_SIZES[0][1])


def size_of_population(population: float) -> float:
    """The symbol size of a population's class."""
    return next(size for bound, size, _ in POPULATION_SIZES if bound is None or population < bound)


def symbol_sizes(ref: ReferenceData) -> SymbolSizes | None:
    """The QPV's symbol sizes by population class; ``None`` without the indicators file (one size for all)."""
    if not available(ref):
        return None
    population = table(ref)["population"]
    size_of = {str(code): size_of_population(value) for code, value in population.dropna().items()}
    return SymbolSizes(size_of, int(population.isna().sum()), ref.source(SOURCE).mention)
