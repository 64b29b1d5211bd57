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
    head = raw[:4096]
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_like_utf16(head):
        raise TabularFileError(
            "Encodage non pris en charge (UTF-16) : enregistrez le fichier en « CSV UTF-8 » "
            "ou en « CSV (séparateur : point-virgule) »."
        )
    if b"\x00" in raw:
        raise TabularFileError(
            "Ce fichier n'est pas un fichier texte : il contient des octets binaires. Déposez un export CSV "
            "(ou le classeur .xlsx lui-même)."
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


def _looks_like_utf16(head: bytes) -> bool:
    """UTF-16 without its byte-order mark: one byte in two is NUL (Latin text)."""
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return max(even.count(0) / len(even), odd.count(0) / len(odd)) > 0.4


def separator(text: str) -> str:
    """The separator of the header line among ``;``, ``,`` and tab (separators inside quotes ignored)."""
    header = text.split("\n", 1)[0]
    counts = {sep: len(re.findall(re.escape(sep) + r'(?=(?:[^"]*"[^"]*")*[^"]*$)', header)) for sep in SEPARATORS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def unwrap_excel_text(text: str, sep: str) -> str:
    """``="03095;03310"`` (a value Excel must keep as text) becomes an ordinary quoted field."""
    return re.sub(rf'(^|{re.escape(sep)})="((?:[^"]|"")*)"(?={re.escape(sep)}|\r?$)', r'\1"\2"', text, flags=re.M)


def read_csv(raw: bytes, *, long_rows: str = "refuse") -> tuple[pd.DataFrame, str, str]:
    """A CSV file as a frame of text cells, with the name of its encoding and its separator.

    A line with more fields than the header (an unquoted separator in a cell) would shift its
    cells: with ``long_rows="refuse"`` the file is refused, naming the line; with ``"mark"`` the
    line's cells are cut to the header's width and ``table.attrs["trop_de_champs"]`` maps its row
    position to ``(line number, fields)``, for the caller to refuse that row. Empty extra fields
    (a separator closing every line) are not a problem. Shorter lines are completed with "".

    Raises
    ------
    TabularFileError
        Unknown encoding, a binary file, a malformed line (its number given), an empty file.
    """
    text, encoding = decode(raw)
    sep = separator(text)
    reader = csv.reader(io.StringIO(unwrap_excel_text(text, sep), newline=""), delimiter=sep, strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        for fields in reader:
            if any(field.strip() for field in fields):
                records.append((reader.line_num, fields))
    except csv.Error as exc:
        unclosed = "end of data" in str(exc) or "EOF" in str(exc)
        problem = "un guillemet ouvert n'est jamais fermé" if unclosed else "un guillemet est mal placé"
        raise TabularFileError(f"Fichier CSV mal formé (ligne {reader.line_num}) : {problem}.") from exc
    if not records:
        raise TabularFileError("Le fichier est vide.")
    header = [name.strip() for name in records[0][1]]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    rows, long = [], {}
    for position, (line, fields) in enumerate(records[1:]):
        if len(fields) > width and any(field.strip() for field in fields[width:]):
            if long_rows == "refuse":
                raise TabularFileError(
                    f"Fichier CSV mal formé (ligne {line}) : une ligne n'a pas le nombre de colonnes de l'en-tête "
                    f"({len(fields)} champs pour {width} colonnes)."
                )
            long[position] = (line, len(fields))
        rows.append((fields + [""] * width)[:width])
    table = pd.DataFrame(rows, columns=header, dtype=str)
    if long:
        table.attrs["trop_de_champs"] = long
    return table, encoding, sep
