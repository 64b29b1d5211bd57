"""The one reader of tabular text files (CSV): encoding, separator, Excel's ``="…"`` cells.

Used by the data update (official CSV files) and by the survey import (exports of survey tools
and of Excel). Every problem is a :class:`TabularFileError` whose message is French and says
what to do.
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

#: Separator → its French name (in the notes shown after a file is read).
SEPARATORS = {";": "point-virgule", ",": "virgule", "\t": "tabulation"}
#: Encoding label → French name.
ENCODINGS = {"utf-8-sig": "UTF-8", "cp1252": "Windows-1252 (Excel)"}


class TabularFileError(Exception):
    """A tabular file cannot be read; the message (French) says why and what to do."""


def decode(raw: bytes) -> tuple[str, str]:
    """The text of a file and the name of its encoding: UTF-8 (with or without BOM), else Windows-1252.

    UTF-16 (a byte-order mark, or NUL bytes) is refused with what to do instead.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
        raise TabularFileError(
            "Encodage non pris en charge (UTF-16) : enregistrez le fichier en « CSV UTF-8 » "
            "ou en « CSV (séparateur : point-virgule) »."
        )
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), ENCODINGS[encoding]
        except UnicodeDecodeError as exc:
            error = exc
    raise TabularFileError(
        f"Encodage non reconnu (octet {raw[error.start]:#x} en position {error.start}) : enregistrez le fichier "
        "en « CSV UTF-8 »."
    )


def separator(text: str) -> str:
    """The separator of the header line among ``;``, ``,`` and tab (separators inside quotes ignored)."""
    header = text.split("\n", 1)[0]
    counts = {sep: len(re.findall(re.escape(sep) + r'(?=(?:[^"]*"[^"]*")*[^"]*$)', header)) for sep in SEPARATORS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def unwrap_excel_text(text: str, sep: str) -> str:
    """``="03095;03310"`` (a value Excel must keep as text) becomes an ordinary quoted field."""
    return re.sub(rf'(^|{re.escape(sep)})="((?:[^"]|"")*)"(?={re.escape(sep)}|\r?$)', r'\1"\2"', text, flags=re.M)


def read_csv(raw: bytes) -> tuple[pd.DataFrame, str, str]:
    """A CSV file as a frame of text cells, with the name of its encoding and its separator.

    Raises
    ------
    TabularFileError
        Unknown encoding, a malformed line (its number given), an empty file.
    """
    text, encoding = decode(raw)
    sep = separator(text)
    try:
        table = pd.read_csv(
            io.StringIO(unwrap_excel_text(text, sep)),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
            index_col=False,
        )
    except (pd.errors.ParserError, csv.Error) as exc:
        line = re.search(r"line (\d+)", str(exc))
        where = f" (ligne {line.group(1)})" if line else ""
        problem = (
            "un guillemet ouvert n'est jamais fermé"
            if "EOF inside string" in str(exc)
            else "une ligne n'a pas le nombre de colonnes de l'en-tête"
        )
        raise TabularFileError(f"Fichier CSV mal formé{where} : {problem}.") from exc
    except pd.errors.EmptyDataError as exc:
        raise TabularFileError("Le fichier est vide.") from exc
    return table, encoding, sep
