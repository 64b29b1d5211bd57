"""Streamlit's icon font cut down to the icons that can be shown, for the room's proxy.

Streamlit's page loads its whole icon font (Material Symbols Rounded, 375 KB, 4 000 icons) on every
first visit, whatever the page shows: a third of what a phone in the room receives. An icon is
drawn from its name (a ligature: the text ``forum`` in that font is the icon), so the proxy serves
a copy that keeps only the icons whose name appears somewhere Streamlit's interface or the app can
take it from:

* every word of Streamlit's installed scripts that is the name of an icon (a superset: ``close``,
  ``search``, ``expand_more``… and any other word that happens to be one);
* every ``:material/…:`` of Streamlit's Python package (its elements' default icons);
* every ``:material/…:`` of the app's code.

The glyphs kept are the original ones (the font is licensed under Apache 2.0, which allows it).
The single-process default serves Streamlit's own file, unchanged.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable
from pathlib import Path

from cartographie import config

#: Streamlit's icon font, in its ``static/media`` folder (its name carries a hash of its content).
FONT_GLOB = "MaterialSymbols-Rounded.*.woff2"
#: The characters an icon's name is written with (the ligatures' components).
NAME_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789_"
_WORD = re.compile(rb"[a-z0-9_]+")  # one character class, no nesting: linear on any text
_MATERIAL = re.compile(r":material/([a-z0-9_]+):")


def ligatures(font) -> dict[str, str]:
    """Every icon of a fontTools ``TTFont``: its name → the glyph that draws it."""
    characters = {glyph: chr(code) for code, glyph in font.getBestCmap().items()}
    found: dict[str, str] = {}
    for lookup in font["GSUB"].table.LookupList.Lookup:
        for table in lookup.SubTable:
            table = getattr(table, "ExtSubTable", table)  # most of them sit in extension tables
            for first, rules in getattr(table, "ligatures", {}).items():
                for rule in rules:
                    name = characters.get(first, "\0") + "".join(characters.get(c, "\0") for c in rule.Component)
                    found.setdefault(name, rule.LigGlyph)
    return found


def names_in_use(package: Path | None = None, app_dirs: Iterable[Path] | None = None) -> set[str]:
    """Every word that may name an icon: in Streamlit's scripts and Python (``package``), and in the app's code."""
    package = package or streamlit_package()
    words: set[str] = set()
    for script in (package / "static" / "static" / "js").glob("*.js"):
        words.update(w.decode() for w in _WORD.findall(script.read_bytes()))
    sources = [package, *(app_dirs if app_dirs is not None else app_code())]
    for folder in sources:
        for module in [folder] if folder.is_file() else folder.rglob("*.py"):
            words.update(_MATERIAL.findall(module.read_text("utf-8", errors="replace")))
    return words


def subset(font_file: Path, names: Iterable[str]) -> tuple[bytes, list[str]]:
    """The font reduced to the icons among ``names`` (WOFF2), and the sorted names it keeps."""
    from fontTools import subset as fonttools_subset
    from fontTools.ttLib import TTFont

    font = TTFont(font_file)
    icons = ligatures(font)
    kept = sorted(set(names) & icons.keys())
    cmap = font.getBestCmap()
    options = fonttools_subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]
    options.layout_closure = False  # the ligatures of the icons dropped go with them
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = fonttools_subset.Subsetter(options)
    letters = [cmap[ord(c)] for c in NAME_CHARACTERS if ord(c) in cmap]
    subsetter.populate(glyphs=letters + [icons[name] for name in kept], unicodes=[ord(c) for c in NAME_CHARACTERS])
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue(), kept


def digest(names: Iterable[str]) -> str:
    """A short fingerprint of a set of names (the proxy's copy is made again when it changes)."""
    return hashlib.sha256("\n".join(sorted(names)).encode()).hexdigest()[:12]


def streamlit_package() -> Path:
    """The installed Streamlit package's folder."""
    from importlib.util import find_spec

    return Path(find_spec("streamlit").origin).parent  # found, not imported


def app_code(site: Path = config.PROJECT_DIR) -> list[Path]:
    """Where the app's icons are named: this package, and ``site``'s pages and ``app.py``.

    ``site``: the folder the app processes run from, which may hold no copy of the package (the
    package is scanned where it is imported from).
    """
    return [Path(__file__).resolve().parent, site / "pages", site / "app.py"]
