"""Meetings, regional days and workshops (authored in ``data/rencontres.toml``), and the methods catalogue.

The file is validated on load: a mistake is reported with the file, the event (its number and
identifier) and the field. Places resolve against the reference communes and EPCI: an event
held in the region must name a Grand Est commune (or, when only that is known, an EPCI);
an event elsewhere is flagged ``hors_region``.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from cartographie import config
from cartographie.filtres import fold

RENCONTRES_FILE = config.AUTHORED_DATA_DIR / "rencontres.toml"

TYPES = {
    "journee_regionale": "Journée régionale",
    "rencontre_territoriale": "Rencontre territoriale",
    "echange": "Temps d'échange",
    "atelier": "Atelier",
    "enquete": "Enquête",
    "rencontre": "Rencontre hors Grand Est",
}
MODALITES = {"presentiel": "En présentiel", "en_ligne": "En ligne", "": "Non précisée"}
NON_PRECISE = "non précisé"

_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_DATE = re.compile(r"\d{4}-\d{2}(-\d{2})?")


class RencontresError(Exception):
    """The authored meetings file has a mistake; the message names file, event and field."""


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
        return TYPES[self.type]

    @property
    def date_libelle(self) -> str:
        """``2 octobre 2025``, ``mars 2021``, or ``date non précisée``."""
        from cartographie.formats import MOIS, format_date

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


def _parse_date(value: str, where: str) -> tuple[dt.date | None, str]:
    if value == "inconnue":
        return None, "inconnue"
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise RencontresError(
            f"{where}, champ « date_debut » ou « date_fin » : « {value} » n'est pas une date "
            "au format AAAA-MM-JJ ou AAAA-MM (ou « inconnue »)."
        )
    try:
        if len(value) == 7:
            return dt.date.fromisoformat(value + "-01"), "mois"
        return dt.date.fromisoformat(value), "jour"
    except ValueError as exc:
        raise RencontresError(f"{where} : la date « {value} » n'existe pas.") from exc


def _strings(raw: dict, key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RencontresError(f"{where}, champ « {key} » : une liste de textes est attendue.")
    return tuple(v.strip() for v in value if v.strip())


def parse_catalogue(
    text: str,
    *,
    communes: pd.DataFrame,
    epci: pd.DataFrame,
    qpv_codes: set[str],
    filename: str = "rencontres.toml",
) -> Catalogue:
    """Validate the TOML text of the meetings file against the reference territories.

    Parameters
    ----------
    communes
        Reference communes: ``insee_com``, ``insee_dep`` and, when known, ``latitude``/``longitude``.
    epci
        Reference EPCI: ``siren_epci``, ``insee_dep`` and optionally ``latitude``/``longitude``.
    qpv_codes
        Codes of the QPV 2024 (to check workshop territories).

    Raises
    ------
    RencontresError
        With the file, the event (number and identifier) and the field at fault.
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RencontresError(f"Fichier « {filename} » : syntaxe TOML invalide ({exc}).") from exc
    sources = {key: str(value.get("titre", key)) for key, value in raw.get("sources", {}).items()}
    commune_index = communes.set_index("insee_com")
    epci_index = epci.set_index("siren_epci")

    methodes: dict[str, Methode] = {}
    for number, item in enumerate(raw.get("methodes", []), start=1):
        where = f"Fichier « {filename} », méthode n°{number} ({item.get('id', '?')})"
        for key in ("id", "nom", "resume"):
            if not str(item.get(key, "")).strip():
                raise RencontresError(f"{where} : champ « {key} » manquant.")
        methodes[item["id"]] = Methode(
            id=item["id"],
            nom=item["nom"],
            resume=" ".join(item["resume"].split()),
            etapes=_strings(item, "etapes", where),
            roles=_strings(item, "roles", where),
            sources=_strings(item, "sources", where),
        )

    allowed = {
        "id",
        "titre",
        "type",
        "date_debut",
        "date_fin",
        "modalite",
        "commune",
        "epci",
        "lieu",
        "hors_region",
        "themes",
        "organisateurs",
        "partenaires",
        "contributeurs",
        "enseignements",
        "sources",
        "parent",
        "territoires",
        "methode",
        "programme",
        "public",
    }
    events: list[Evenement] = []
    for number, item in enumerate(raw.get("evenements", []), start=1):
        where = f"Fichier « {filename} », événement n°{number} ({item.get('id', 'sans identifiant')})"
        unknown = sorted(set(item) - allowed)
        if unknown:
            raise RencontresError(f"{where} : champ(s) inconnu(s) : {', '.join(unknown)}.")
        for key in ("id", "titre", "type", "date_debut"):
            if key not in item or (isinstance(item[key], str) and not item[key].strip()):
                raise RencontresError(f"{where} : champ « {key} » manquant.")
        if not _ID.fullmatch(item["id"]):
            raise RencontresError(f"{where}, champ « id » : minuscules, chiffres et tirets seulement.")
        if item["type"] not in TYPES:
            raise RencontresError(
                f"{where}, champ « type » : « {item['type']} » inconnu (attendu : {', '.join(TYPES)})."
            )
        if item.get("modalite", "") not in MODALITES:
            raise RencontresError(f"{where}, champ « modalite » : « {item['modalite']} » inconnue.")
        debut, precision = _parse_date(item["date_debut"], where)
        fin = _parse_date(item["date_fin"], where)[0] if item.get("date_fin") else None
        if fin is not None and debut is not None and fin < debut:
            raise RencontresError(f"{where} : « date_fin » précède « date_debut ».")
        hors_region = bool(item.get("hors_region", False))
        commune, siren = str(item.get("commune", "")), str(item.get("epci", ""))
        latitude = longitude = None
        departement = ""
        if commune:
            if commune not in commune_index.index:
                raise RencontresError(f"{where}, champ « commune » : code INSEE « {commune} » inconnu dans la région.")
            row = commune_index.loc[commune]
            departement = str(row["insee_dep"])
            latitude, longitude = row.get("latitude"), row.get("longitude")
        elif siren:
            if siren not in epci_index.index:
                raise RencontresError(f"{where}, champ « epci » : SIREN « {siren} » inconnu dans la région.")
            row = epci_index.loc[siren]
            departement = str(row["insee_dep"])
            latitude, longitude = row.get("latitude"), row.get("longitude")
        elif item.get("modalite") == "presentiel" and not hors_region:
            raise RencontresError(
                f"{where} : une rencontre en présentiel dans la région doit donner sa « commune » (ou son « epci »), "
                "sinon « hors_region = true »."
            )
        territoires = []
        for t in item.get("territoires", []):
            kind, code = t.get("type"), str(t.get("code", ""))
            known = {"qpv": qpv_codes, "commune": set(commune_index.index), "epci": set(epci_index.index)}
            if kind not in known or code not in known[kind]:
                raise RencontresError(f"{where}, champ « territoires » : {kind} « {code} » inconnu.")
            territoires.append((kind, code))
        contributeurs = tuple(
            Contributeur(str(c.get("organisation", "")).strip(), str(c.get("role", "")).strip())
            for c in item.get("contributeurs", [])
        )
        event_sources = _strings(item, "sources", where)
        if not event_sources:
            raise RencontresError(f"{where}, champ « sources » : au moins une source est attendue.")
        missing = [s for s in event_sources if s not in sources]
        if missing:
            raise RencontresError(f"{where}, champ « sources » : source(s) inconnue(s) : {', '.join(missing)}.")
        if item.get("methode") and item["methode"] not in methodes:
            raise RencontresError(f"{where}, champ « methode » : « {item['methode']} » absente du catalogue.")
        events.append(
            Evenement(
                id=item["id"],
                titre=item["titre"].strip(),
                type=item["type"],
                date_debut=debut,
                precision=precision,
                date_fin=fin,
                modalite=item.get("modalite", ""),
                commune=commune,
                epci=siren,
                lieu=str(item.get("lieu", "")).strip(),
                hors_region=hors_region,
                themes=_strings(item, "themes", where),
                organisateurs=_strings(item, "organisateurs", where),
                partenaires=_strings(item, "partenaires", where),
                contributeurs=contributeurs,
                enseignements=_strings(item, "enseignements", where),
                sources=event_sources,
                parent=str(item.get("parent", "")),
                territoires=tuple(territoires),
                methode=item.get("methode", ""),
                programme=_strings(item, "programme", where),
                public=str(item.get("public", "")).strip(),
                departement=departement,
                latitude=float(latitude) if latitude is not None else None,
                longitude=float(longitude) if longitude is not None else None,
            )
        )
    ids = [e.id for e in events]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise RencontresError(f"Fichier « {filename} » : identifiant(s) en double : {', '.join(duplicates)}.")
    orphans = [e.id for e in events if e.parent and e.parent not in ids]
    if orphans:
        raise RencontresError(
            f"Fichier « {filename} » : atelier(s) sans événement parent connu : {', '.join(orphans)}."
        )
    definition = raw.get("definition", {})
    return Catalogue(
        evenements=tuple(events),
        methodes=methodes,
        sources=sources,
        definition=" ".join(str(definition.get("texte", "")).split()),
        elements=tuple(definition.get("elements", ())),
        definition_sources=tuple(definition.get("sources", ())),
    )


def load_catalogue(ref, path: Path = RENCONTRES_FILE) -> Catalogue:
    """Read and validate ``data/rencontres.toml`` against the reference data (communes need shapes)."""
    communes = ref.communes
    points = communes.geometry.representative_point()
    communes = pd.DataFrame(
        {
            "insee_com": communes["insee_com"],
            "insee_dep": communes["insee_dep"],
            "latitude": points.y,
            "longitude": points.x,
        }
    )
    epci_points = ref.epci.geometry.representative_point()
    epci = pd.DataFrame(
        {
            "siren_epci": ref.epci["siren_epci"],
            "insee_dep": ref.epci["insee_dep"],
            "latitude": epci_points.y,
            "longitude": epci_points.x,
        }
    )
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise RencontresError(f"Fichier « {Path(path).name} » illisible ({exc}).") from exc
    return parse_catalogue(
        text, communes=communes, epci=epci, qpv_codes=set(ref.qpv["code_qp"]), filename=Path(path).name
    )


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


#: Event types that are gatherings of people (the survey is not one).
TYPES_RENCONTRE = tuple(t for t in TYPES if t != "enquete")


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
