"""Meetings, regional days and workshops: the catalogue's objects, the timeline frame and the filters.

The catalogue is authored in ``data/rencontres.toml`` and read by :mod:`cartographie.lecture.rencontres`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from cartographie.domaine.texte import fold
from cartographie.domaine.vocabulaires import MODALITES, NON_PRECISE, TYPES_EVENEMENT, TYPES_RENCONTRE


@dataclass(frozen=True)
class Contributeur:
    """An organisation taking part, and its role."""

    organisation: str
    role: str


@dataclass(frozen=True)
class Evenement:
    """One meeting, day, exchange, workshop or survey."""

    id: str
    titre: str
    type: str
    date_debut: dt.date | None
    precision: str  # "jour", "mois" or "inconnue"
    date_fin: dt.date | None = None
    modalite: str = ""
    commune: str = ""
    epci: str = ""
    lieu: str = ""
    hors_region: bool = False
    themes: tuple[str, ...] = ()
    organisateurs: tuple[str, ...] = ()
    partenaires: tuple[str, ...] = ()
    contributeurs: tuple[Contributeur, ...] = ()
    enseignements: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    parent: str = ""
    territoires: tuple[tuple[str, str], ...] = ()
    methode: str = ""
    programme: tuple[str, ...] = ()
    public: str = ""
    departement: str = ""
    latitude: float | None = None
    longitude: float | None = None

    @property
    def type_libelle(self) -> str:
        """French label of the type."""
        return TYPES_EVENEMENT[self.type]

    @property
    def date_libelle(self) -> str:
        """``2 octobre 2025``, ``mars 2021``, or ``date non précisée``."""
        from cartographie.domaine.formats import MOIS, format_date

        def one(day: dt.date, precision: str) -> str:
            return format_date(day) if precision == "jour" else f"{MOIS[day.month - 1]} {day.year}"

        if self.date_debut is None:
            return "date non précisée"
        text = one(self.date_debut, self.precision)
        if self.date_fin is not None:
            text = f"{text} – {one(self.date_fin, self.precision)}"
        return text


@dataclass(frozen=True)
class Methode:
    """A cooperation method of the catalogue."""

    id: str
    nom: str
    resume: str
    etapes: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Catalogue:
    """Everything ``rencontres.toml`` holds, validated."""

    evenements: tuple[Evenement, ...]
    methodes: dict[str, Methode]
    sources: dict[str, str]
    definition: str
    elements: tuple[str, ...]
    definition_sources: tuple[str, ...] = field(default=())

    def event(self, event_id: str) -> Evenement | None:
        """The event with this identifier."""
        return next((e for e in self.evenements if e.id == event_id), None)

    def children(self, event_id: str) -> list[Evenement]:
        """The workshops of an event."""
        return [e for e in self.evenements if e.parent == event_id]


def events_frame(catalogue: Catalogue) -> pd.DataFrame:
    """One row per event, for filtering, the timeline and the map."""
    rows = []
    for e in catalogue.evenements:
        rows.append(
            {
                "id": e.id,
                "titre": e.titre,
                "type": e.type,
                "type_libelle": e.type_libelle,
                "date": pd.Timestamp(e.date_debut) if e.date_debut else pd.NaT,
                "date_libelle": e.date_libelle,
                "annee": e.date_debut.year if e.date_debut else None,
                "modalite": MODALITES[e.modalite],
                "lieu": e.lieu or NON_PRECISE,
                "departement": e.departement,
                "hors_region": e.hors_region,
                "themes": "; ".join(e.themes),
                "parent": e.parent,
                "latitude": e.latitude,
                "longitude": e.longitude,
            }
        )
    return pd.DataFrame(rows)


#: Columns of the events' table, with their French headers.
EVENT_COLUMNS = {
    "date_libelle": "Date",
    "type_libelle": "Type",
    "titre": "Titre",
    "lieu": "Lieu",
    "modalite": "Modalité",
    "themes": "Thèmes",
}


def events_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The events as their table shows them (and exports them): French headers."""
    return frame[list(EVENT_COLUMNS)].rename(columns=EVENT_COLUMNS)


def event_titles(frame: pd.DataFrame) -> dict[str, str]:
    """Event id → « date – title », for pickers."""
    return dict(zip(frame["id"], frame["date_libelle"] + " – " + frame["titre"], strict=True))


def filter_events(
    frame: pd.DataFrame,
    *,
    types: tuple[str, ...] = (),
    themes: tuple[str, ...] = (),
    departements: tuple[str, ...] = (),
    annees: tuple[int, ...] = (),
) -> pd.DataFrame:
    """Events matching every filter given (an empty filter keeps everything)."""
    mask = pd.Series(True, index=frame.index)
    if types:
        mask &= frame["type"].isin(types)
    if themes:
        wanted = {fold(t) for t in themes}
        mask &= frame["themes"].map(lambda cell: bool(wanted & {fold(t) for t in cell.split("; ") if t}))
    if departements:
        mask &= frame["departement"].isin(departements)
    if annees:
        mask &= frame["annee"].isin(annees)
    return frame[mask]


def all_themes(catalogue: Catalogue) -> list[str]:
    """Every theme used, sorted without regard to accents."""
    return sorted({t for e in catalogue.evenements for t in e.themes}, key=fold)


@dataclass(frozen=True)
class TerritoryEvents:
    """The meetings of a territory: those held on it, and those about it held elsewhere."""

    sur_place: tuple[Evenement, ...]
    ailleurs: tuple[Evenement, ...]
    #: For events held on the territory but about another one: event id → what they were about.
    consacre_a: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    @property
    def tous(self) -> tuple[Evenement, ...]:
        """Both lists, in date order."""
        return tuple(sorted((*self.sur_place, *self.ailleurs), key=_event_order))

    def __len__(self) -> int:
        return len(self.sur_place) + len(self.ailleurs)


def _event_order(event: Evenement) -> tuple:
    return (event.date_debut or dt.date.max, event.id)


def events_for_territory(
    catalogue: Catalogue,
    *,
    qpv: tuple[str, ...] | str = (),
    communes: tuple[str, ...] = (),
    epci: tuple[str, ...] = (),
    departements: tuple[str, ...] = (),
) -> TerritoryEvents:
    """Meetings held on a territory, and meetings about it held elsewhere (the survey is not a meeting).

    Parameters
    ----------
    qpv, communes, epci
        The territory: its QPV, every commune of it, its EPCI. An event is *held on* it when its
        place (commune or EPCI) is one of them; it is *about* it when the territories it deals
        with (a workshop presenting a QPV's experience, say) are.
    departements
        For a department: events held anywhere in it count as held on it.
    """
    qpv = (qpv,) if isinstance(qpv, str) else qpv
    wanted = {("qpv", q) for q in qpv if q} | {("commune", c) for c in communes} | {("epci", e) for e in epci}
    held, about, subjects = [], [], {}
    for e in catalogue.evenements:
        if e.type not in TYPES_RENCONTRE:
            continue
        place = ({("commune", e.commune)} if e.commune else set()) | ({("epci", e.epci)} if e.epci else set())
        here = bool(place & wanted) or (bool(departements) and e.departement in departements and not e.hors_region)
        concerns = bool(set(e.territoires) & wanted)
        if here:
            held.append(e)
            if e.territoires and not concerns:
                subjects[e.id] = e.territoires
        elif concerns:
            about.append(e)
    return TerritoryEvents(tuple(sorted(held, key=_event_order)), tuple(sorted(about, key=_event_order)), subjects)
