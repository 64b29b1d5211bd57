"""Reading ``data/rencontres.toml``: meetings, workshops and methods, validated against the reference data.

A mistake is reported with the file, the event (its number and identifier) and the field.
Places resolve against the reference communes and EPCI: an event held in the region must name a
Grand Est commune (or, when only that is known, an EPCI); an event elsewhere is flagged
``hors_region``.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cartographie import config
from cartographie.domaine.rencontres import Catalogue, Contributeur, Evenement, Methode
from cartographie.domaine.vocabulaires import MODALITES, TYPES_EVENEMENT

RENCONTRES_FILE = config.AUTHORED_DATA_DIR / "rencontres.toml"


_ID = re.compile(r"[a-z0-9][a-z0-9-]*")


_DATE = re.compile(r"\d{4}-\d{2}(-\d{2})?")


class RencontresError(Exception):
    """The authored meetings file has a mistake; the message names file, event and field."""


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


#: Fields an event may have (any other is a typo, reported).
EVENT_FIELDS = frozenset(
    {
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
)


@dataclass(frozen=True)
class _Known:
    """What an event may refer to: the region's communes and EPCI, its QPV, the file's sources and methods."""

    communes: pd.DataFrame  # indexed by insee_com
    epci: pd.DataFrame  # indexed by siren_epci
    qpv_codes: set[str]
    sources: dict[str, str]
    methodes: dict[str, Methode]


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
    methodes = {}
    for number, item in enumerate(raw.get("methodes", []), start=1):
        methode = _parse_methode(item, f"Fichier « {filename} », méthode n°{number} ({item.get('id', '?')})")
        methodes[methode.id] = methode
    known = _Known(
        communes=communes.set_index("insee_com"),
        epci=epci.set_index("siren_epci"),
        qpv_codes=qpv_codes,
        sources={key: str(value.get("titre", key)) for key, value in raw.get("sources", {}).items()},
        methodes=methodes,
    )
    events = [
        _parse_event(
            item, f"Fichier « {filename} », événement n°{number} ({item.get('id', 'sans identifiant')})", known
        )
        for number, item in enumerate(raw.get("evenements", []), start=1)
    ]
    _check_links(events, filename)
    definition = raw.get("definition", {})
    return Catalogue(
        evenements=tuple(events),
        methodes=methodes,
        sources=known.sources,
        definition=" ".join(str(definition.get("texte", "")).split()),
        elements=tuple(definition.get("elements", ())),
        definition_sources=tuple(definition.get("sources", ())),
    )


def _parse_methode(item: dict, where: str) -> Methode:
    for key in ("id", "nom", "resume"):
        if not str(item.get(key, "")).strip():
            raise RencontresError(f"{where} : champ « {key} » manquant.")
    return Methode(
        id=item["id"],
        nom=item["nom"],
        resume=" ".join(item["resume"].split()),
        etapes=_strings(item, "etapes", where),
        roles=_strings(item, "roles", where),
        sources=_strings(item, "sources", where),
    )


def _check_fields(item: dict, where: str) -> None:
    """Known fields only, the required ones present, identifier, type and modality from their vocabularies."""
    unknown = sorted(set(item) - EVENT_FIELDS)
    if unknown:
        raise RencontresError(f"{where} : champ(s) inconnu(s) : {', '.join(unknown)}.")
    for key in ("id", "titre", "type", "date_debut"):
        if key not in item or (isinstance(item[key], str) and not item[key].strip()):
            raise RencontresError(f"{where} : champ « {key} » manquant.")
    if not _ID.fullmatch(item["id"]):
        raise RencontresError(f"{where}, champ « id » : minuscules, chiffres et tirets seulement.")
    if item["type"] not in TYPES_EVENEMENT:
        raise RencontresError(
            f"{where}, champ « type » : « {item['type']} » inconnu (attendu : {', '.join(TYPES_EVENEMENT)})."
        )
    if item.get("modalite", "") not in MODALITES:
        raise RencontresError(f"{where}, champ « modalite » : « {item['modalite']} » inconnue.")


def _place(item: dict, where: str, known: _Known) -> tuple[str, float | None, float | None]:
    """Department and point of the event's commune (else EPCI); an in-person event in the region needs one."""
    commune, siren = str(item.get("commune", "")), str(item.get("epci", ""))
    if commune:
        if commune not in known.communes.index:
            raise RencontresError(f"{where}, champ « commune » : code INSEE « {commune} » inconnu dans la région.")
        row = known.communes.loc[commune]
    elif siren:
        if siren not in known.epci.index:
            raise RencontresError(f"{where}, champ « epci » : SIREN « {siren} » inconnu dans la région.")
        row = known.epci.loc[siren]
    else:
        if item.get("modalite") == "presentiel" and not item.get("hors_region", False):
            raise RencontresError(
                f"{where} : une rencontre en présentiel dans la région doit donner sa « commune » (ou son "
                "« epci »), sinon « hors_region = true »."
            )
        return "", None, None
    latitude, longitude = row.get("latitude"), row.get("longitude")
    return (
        str(row["insee_dep"]),
        float(latitude) if latitude is not None else None,
        float(longitude) if longitude is not None else None,
    )


def _territoires(item: dict, where: str, known: _Known) -> tuple[tuple[str, str], ...]:
    """The QPV, communes and EPCI a workshop is about, each checked against the reference."""
    codes = {"qpv": known.qpv_codes, "commune": set(known.communes.index), "epci": set(known.epci.index)}
    found = []
    for t in item.get("territoires", []):
        kind, code = t.get("type"), str(t.get("code", ""))
        if kind not in codes or code not in codes[kind]:
            raise RencontresError(f"{where}, champ « territoires » : {kind} « {code} » inconnu.")
        found.append((kind, code))
    return tuple(found)


def _event_sources(item: dict, where: str, known: _Known) -> tuple[str, ...]:
    """At least one source, each declared in the file's ``[sources]``; the method, when given, in the catalogue."""
    sources = _strings(item, "sources", where)
    if not sources:
        raise RencontresError(f"{where}, champ « sources » : au moins une source est attendue.")
    missing = [s for s in sources if s not in known.sources]
    if missing:
        raise RencontresError(f"{where}, champ « sources » : source(s) inconnue(s) : {', '.join(missing)}.")
    if item.get("methode") and item["methode"] not in known.methodes:
        raise RencontresError(f"{where}, champ « methode » : « {item['methode']} » absente du catalogue.")
    return sources


def _parse_event(item: dict, where: str, known: _Known) -> Evenement:
    _check_fields(item, where)
    debut, precision = _parse_date(item["date_debut"], where)
    fin = _parse_date(item["date_fin"], where)[0] if item.get("date_fin") else None
    if fin is not None and debut is not None and fin < debut:
        raise RencontresError(f"{where} : « date_fin » précède « date_debut ».")
    departement, latitude, longitude = _place(item, where, known)
    return Evenement(
        id=item["id"],
        titre=item["titre"].strip(),
        type=item["type"],
        date_debut=debut,
        precision=precision,
        date_fin=fin,
        modalite=item.get("modalite", ""),
        commune=str(item.get("commune", "")),
        epci=str(item.get("epci", "")),
        lieu=str(item.get("lieu", "")).strip(),
        hors_region=bool(item.get("hors_region", False)),
        themes=_strings(item, "themes", where),
        organisateurs=_strings(item, "organisateurs", where),
        partenaires=_strings(item, "partenaires", where),
        contributeurs=tuple(
            Contributeur(str(c.get("organisation", "")).strip(), str(c.get("role", "")).strip())
            for c in item.get("contributeurs", [])
        ),
        enseignements=_strings(item, "enseignements", where),
        sources=_event_sources(item, where, known),
        parent=str(item.get("parent", "")),
        territoires=_territoires(item, where, known),
        methode=item.get("methode", ""),
        programme=_strings(item, "programme", where),
        public=str(item.get("public", "")).strip(),
        departement=departement,
        latitude=latitude,
        longitude=longitude,
    )


def _check_links(events: list[Evenement], filename: str) -> None:
    """Identifiers are unique and every workshop's parent exists."""
    ids = [e.id for e in events]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise RencontresError(f"Fichier « {filename} » : identifiant(s) en double : {', '.join(duplicates)}.")
    orphans = [e.id for e in events if e.parent and e.parent not in ids]
    if orphans:
        raise RencontresError(
            f"Fichier « {filename} » : atelier(s) sans événement parent connu : {', '.join(orphans)}."
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
