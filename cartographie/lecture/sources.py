"""The manifest of reference sources (``data/sources.toml``) and the files of a reference folder."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from cartographie import config
from cartographie.lecture.erreurs import MissingReferenceData, ReferenceDataError


@dataclass(frozen=True)
class SourceFile:
    """One reference file: how it is named and where its data come from."""

    cle: str
    motif: str
    extension: str
    titre: str
    producteur: str
    millesime: str
    licence: str
    adresse: str
    note: str = ""
    #: Who drew the shapes, when not the producer of the attributes (communes, EPCI, departments).
    contours: str = ""
    #: How the loaded folder got the file: the team mirror's channel, or the download's address and date.
    canal: str = ""
    #: An optional file: a folder without it loads, and the views say what is missing where it would be.
    facultatif: bool = False
    #: Fields a folder written by the data-update command holds instead (see ``data/sources.toml``).
    telechargement: dict = field(default_factory=dict, compare=False, hash=False, repr=False)

    def filename(self, suffixe: str) -> str:
        """File name in a reference folder for the region whose file suffix is ``suffixe``."""
        return f"{self.motif}_{suffixe}.{self.extension}"

    @property
    def citation(self) -> str:
        """Full citation, everywhere a source is named in full (captions, exports, images, printed sheets)."""
        shapes = f" ; contours : {self.contours}" if self.contours else ""
        return f"{self.titre} – {self.producteur}{shapes}, {self.millesime} ({self.licence})"

    @property
    def mention(self) -> str:
        """A short credit for a slide or a map's corner: « ANCT, 2024 », with the shapes' maker when another."""
        producer = self.producteur.split(" ;")[0]
        producer += ")" * (producer.count("(") - producer.count(")"))
        text = producer if self.millesime in producer else f"{producer}, {self.millesime}"
        return f"{text}, contours {self.contours.split(' (')[0]}" if self.contours else text

    def downloaded(self, **recorded: str) -> SourceFile:
        """The entry as a folder written by the data-update command holds it (``recorded``: its download)."""
        return replace(self, **{**self.telechargement, **recorded}, telechargement={})


@dataclass(frozen=True)
class RegionInfo:
    """A region the manifest knows: its name, file suffix, departments and expected counts."""

    code: str
    nom: str
    suffixe: str
    departements: tuple[str, ...] = ()
    effectifs: dict[str, int] = field(default_factory=dict)
    #: Department names (for the pages that work without the reference folder).
    noms_departements: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Manifest:
    """The parsed ``sources.toml``."""

    fichiers: dict[str, SourceFile]
    regions: dict[str, RegionInfo]

    def region_for_suffix(self, suffixe: str) -> RegionInfo | None:
        """The known region whose files carry ``suffixe``, if any."""
        for region in self.regions.values():
            if region.suffixe == suffixe:
                return region
        return None


def load_manifest(path: Path = config.SOURCES_MANIFEST) -> Manifest:
    """Read the sources manifest.

    Parameters
    ----------
    path
        The TOML manifest (``data/sources.toml`` by default).
    """
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ReferenceDataError(path, f"manifeste des sources illisible ({exc}).") from exc
    fichiers = {cle: SourceFile(cle=cle, **spec) for cle, spec in raw.get("fichiers", {}).items()}
    regions = {
        code: RegionInfo(
            code=code,
            nom=spec["nom"],
            suffixe=spec["suffixe"],
            departements=tuple(spec.get("departements", ())),
            effectifs=dict(spec.get("effectifs", {})),
            noms_departements=dict(spec.get("noms_departements", {})),
        )
        for code, spec in raw.get("regions", {}).items()
    }
    return Manifest(fichiers=fichiers, regions=regions)


#: Name of the manifest the data-update command writes in every folder it produces.
FOLDER_MANIFEST = "MANIFESTE.json"


#: Fields of a source a folder manifest may record (anything else in it is ignored).
_RECORDED_FIELDS = ("titre", "producteur", "contours", "millesime", "licence", "adresse", "note", "canal")


def folder_sources(folder: Path, manifest: Manifest) -> dict[str, SourceFile]:
    """What the loaded folder actually holds, source by source.

    A folder written by the data-update command records its sources in its ``MANIFESTE.json``
    (the manifest's entries with their download overrides, and when and where each was
    downloaded); a folder without one is the team's mirror, which ``data/sources.toml`` describes.
    """
    recorded = Path(folder) / FOLDER_MANIFEST
    if not recorded.is_file():
        return dict(manifest.fichiers)
    try:
        content = json.loads(recorded.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ReferenceDataError(recorded, f"manifeste illisible ({exc}).") from exc
    described = content.get("sources") if isinstance(content, dict) else None
    sources = {}
    for key, entry in manifest.fichiers.items():
        fields = described.get(key) if isinstance(described, dict) else None
        if isinstance(fields, dict):
            kept = {k: str(v) for k, v in fields.items() if k in _RECORDED_FIELDS}
            sources[key] = replace(entry, **kept, telechargement={})
        else:  # written by an older update: what the update command downloads
            sources[key] = entry.downloaded()
    return sources


def region_suffix(folder: Path) -> str:
    """The region suffix of a reference folder, read from its ``region_<suffixe>.geojson`` file."""
    candidates = sorted(Path(folder).glob("region_*.geojson")) if Path(folder).is_dir() else []
    if len(candidates) > 1:
        noms = ", ".join(c.name for c in candidates)
        raise ReferenceDataError(
            folder, f"plusieurs fichiers de région ({noms}) : un dossier ne doit en contenir qu'un."
        )
    if not candidates:
        return ""
    return candidates[0].stem.removeprefix("region_")


def resolve_files(folder: Path, manifest: Manifest) -> tuple[RegionInfo, dict[str, Path]]:
    """Paths of the reference files in ``folder``; raise ``MissingReferenceData`` if a required one is absent.

    An optional file (``facultatif``) is in the paths only when the folder has it.
    """
    folder = Path(folder)
    suffixe = region_suffix(folder)
    if not suffixe:
        manquants = [spec.filename("<région>") for spec in manifest.fichiers.values() if not spec.facultatif]
        raise MissingReferenceData(folder, manquants, config.UPDATE_COMMAND, config.REFERENCE_DIR_ENV)
    paths = {cle: folder / spec.filename(suffixe) for cle, spec in manifest.fichiers.items()}
    paths = {cle: p for cle, p in paths.items() if p.is_file() or not manifest.fichiers[cle].facultatif}
    manquants = [p.name for p in paths.values() if not p.is_file()]
    if manquants:
        raise MissingReferenceData(folder, manquants, config.UPDATE_COMMAND, config.REFERENCE_DIR_ENV)
    region = manifest.region_for_suffix(suffixe) or RegionInfo(
        code="", nom=suffixe.replace("_", " ").title(), suffixe=suffixe
    )
    return region, paths
