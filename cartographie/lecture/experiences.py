"""Reading ``data/experiences.toml``: the authored registry of cooperation experiences, validated like a proposal."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

from cartographie import config
from cartographie.domaine.contributions import ValidationError, validate_experience
from cartographie.domaine.cooperations import Experience

EXPERIENCES_FILE = config.AUTHORED_DATA_DIR / "experiences.toml"


class ExperiencesError(Exception):
    """The authored experiences file has a mistake (file, experience and problems named)."""


def load_authored(
    path: Path = EXPERIENCES_FILE, known_territory: Callable[[str, str], bool] | None = None
) -> list[Experience]:
    """Read and validate the authored registry; a mistake names the file, the experience and the problems."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ExperiencesError(f"Fichier « {Path(path).name} » illisible ({exc}).") from exc
    out: list[Experience] = []
    seen: set[str] = set()
    for number, item in enumerate(raw.get("experiences", []), start=1):
        where = f"Fichier « {Path(path).name} », expérience n°{number} ({item.get('id', 'sans identifiant')})"
        identifier = str(item.get("id", "")).strip()
        if not identifier or identifier in seen:
            raise ExperiencesError(f"{where} : identifiant manquant ou en double.")
        seen.add(identifier)
        data = {**item, "sources": ", ".join(item.get("sources", []))}
        try:
            clean, actors = validate_experience(data, known_territory)
        except ValidationError as exc:
            raise ExperiencesError(f"{where} : {exc}") from exc
        out.append(
            Experience(
                id=identifier,
                titre=clean["titre"],
                resume=" ".join(clean["resume"].split()),
                territoires=tuple((t["type"], t["code"]) for t in clean["territoires"]),
                themes=tuple(clean["themes"]),
                methodes=tuple(clean["methodes"]),
                periode=clean["periode"],
                statut=clean["statut"],
                sources=tuple(item.get("sources", [])),
                hors_region=clean["hors_region"],
                lieu=str(item.get("lieu", "")).strip(),
                elements=clean["elements"],
                acteurs=tuple(actors),
            )
        )
    return out


def registry_note(path: Path = EXPERIENCES_FILE) -> str:
    """« Registre relu le 4 décembre 2026 d'après … » from the ``[registre]`` table of the authored file."""
    import datetime as dt

    from cartographie.domaine.formats import format_date

    try:
        head = tomllib.loads(Path(path).read_text(encoding="utf-8")).get("registre", {})
        day = dt.date.fromisoformat(str(head.get("mise_a_jour", "")))
    except (OSError, tomllib.TOMLDecodeError, ValueError) as exc:
        raise ExperiencesError(
            f"Fichier « {Path(path).name} », [registre] : « mise_a_jour » doit être une date AAAA-MM-JJ ({exc})."
        ) from exc
    documents = str(head.get("documents", "")).strip()
    return f"Registre relu le {format_date(day)}" + (f" d'après les {documents}" if documents else "") + "."
