"""The live keywords' list of refused words, authored in ``data/mots_refuses.txt`` (one per line, ``#`` comments)."""

from __future__ import annotations

from pathlib import Path

from cartographie import config


def load_refused_words(path: Path = config.REFUSED_WORDS_FILE) -> tuple[str, ...]:
    """The refused words of the file (an absent file refuses none)."""
    if not Path(path).is_file():
        return ()
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))
