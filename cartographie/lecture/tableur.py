"""The one reader of tabular text files (CSV): encoding, separator, Excel's ``="…"`` cells.

Used by the data update (official CSV files) and by the survey import (exports of survey tools
and of Excel). Every problem is a :class:`TabularFileError` whose message is French and says
what to do.
"""

from __future__ import annotations

import csv
import io

import pandas as pd

from cartographie.domaine.formats import format_nombre

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


#: Most columns a tabular file may have: a questionnaire has a few dozen questions, an official file fewer.
MAX_COLUMNS = 300


#: Longest header line (characters): 300 titles of a thousand characters.
MAX_HEADER = MAX_COLUMNS * 1_000


#: Longest cell (characters) that Python's CSV reader accepts.
MAX_CELL = csv.field_size_limit()


#: Marks, while the file is read, a cell Excel wrote as ``="…"`` (a noncharacter: never in real text).
_EXCEL_TEXT = "\ufdd0"


def _header_line(text: str) -> str:
    """The first line of the text, refused when longer than :data:`MAX_HEADER` (found without splitting the text)."""
    end = text.find("\n", 0, MAX_HEADER + 2)
    header = text[: end if end >= 0 else MAX_HEADER + 1]
    if len(header.rstrip("\r")) > MAX_HEADER:
        raise TabularFileError(
            f"La première ligne (l'en-tête) dépasse {format_nombre(MAX_HEADER)} caractères : un fichier lisible a au "
            f"plus {MAX_COLUMNS} colonnes aux titres courts."
        )
    return header


def separator(text: str) -> str:
    """The separator of the header line among ``;``, ``,`` and tab (separators inside quotes ignored).

    The header is read once per candidate by Python's CSV reader: linear in its length, which
    :func:`_header_line` bounds first.
    """
    header = _header_line(text)
    counts = {}
    for sep in SEPARATORS:
        try:
            counts[sep] = len(next(csv.reader([header], delimiter=sep), [])) - 1
        except csv.Error:
            counts[sep] = 0
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def unwrap_excel_text(text: str, sep: str) -> str:
    """``="03095;03310"`` (a value Excel must keep as text) becomes an ordinary quoted field.

    The opening ``="`` of a cell (at the start of a line or after a separator) becomes a quote and
    a mark that :func:`read_csv` takes off the cell: plain string replacements, linear in the
    text's length (a regular expression over the whole file could take quadratic time).
    """
    if '="' not in text:
        return text
    if _EXCEL_TEXT in text:
        raise TabularFileError("Le fichier contient un caractère non valable (U+FDD0) : enregistrez-le à nouveau.")
    marked = text.replace(f'{sep}="', f'{sep}"{_EXCEL_TEXT}').replace('\n="', f'\n"{_EXCEL_TEXT}')
    return f'"{_EXCEL_TEXT}{marked[2:]}' if marked.startswith('="') else marked


def _csv_problem(exc: csv.Error) -> str:
    """What Python's CSV reader found, in French: the real cause, not a guess."""
    message = str(exc)
    if "field larger than field limit" in message:
        return f"une cellule dépasse {format_nombre(MAX_CELL)} caractères (la plus longue cellule acceptée)"
    if "end of data" in message or "EOF" in message:
        return "un guillemet ouvert n'est jamais fermé"
    if "new-line character" in message:
        return "un retour à la ligne isolé (caractère CR) dans une cellule non entre guillemets"
    return "un guillemet est mal placé"


def read_csv(
    raw: bytes, *, long_rows: str = "refuse", max_rows: int | None = None, max_columns: int = MAX_COLUMNS
) -> tuple[pd.DataFrame, str, str]:
    """A CSV file as a frame of text cells, with the name of its encoding and its separator.

    Bounded before the work: the header's length and its number of columns (``max_columns``) are
    checked before any row is read, and reading stops at the first row beyond ``max_rows``. Every
    step is linear in the file's length.

    A line with more fields than the header (an unquoted separator in a cell) would shift its
    cells: with ``long_rows="refuse"`` the file is refused, naming the line; with ``"mark"`` the
    line's cells are cut to the header's width and ``table.attrs["trop_de_champs"]`` maps its row
    position to ``(line number, fields)``, for the caller to refuse that row. Empty extra fields
    (a separator closing every line) are not a problem. Shorter lines are completed with "".

    Raises
    ------
    TabularFileError
        Unknown encoding, a binary file, a malformed line (its number given), an empty file, too
        many columns or rows.
    """
    text, encoding = decode(raw)
    sep = separator(text)
    excel_text = '="' in text
    reader = csv.reader(io.StringIO(unwrap_excel_text(text, sep), newline=""), delimiter=sep, strict=True)
    records: list[tuple[int, list[str]]] = []
    width = None
    try:
        for fields in reader:
            if not any(field.strip() for field in fields):
                continue
            if excel_text:
                fields = [f[1:] if f.startswith(_EXCEL_TEXT) else f for f in fields]
            if width is None:  # the header: its columns are counted before any row is read
                width = _check_width(fields, max_columns)
            elif max_rows is not None and len(records) > max_rows:
                raise TabularFileError(
                    f"Le fichier compte plus de {format_nombre(max_rows)} lignes sous son en-tête : découpez-le en "
                    "plusieurs fichiers."
                )
            records.append((reader.line_num, fields))
    except csv.Error as exc:
        raise TabularFileError(f"Fichier CSV mal formé (ligne {reader.line_num}) : {_csv_problem(exc)}.") from exc
    if not records:
        raise TabularFileError("Le fichier est vide.")
    header = [name.strip() for name in records[0][1]][:width]
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


def _check_width(header: list[str], max_columns: int) -> int:
    """The number of titled columns of a header (empty titles at its end left out), at most ``max_columns``."""
    width = len(header)
    while width and not header[width - 1].strip():
        width -= 1
    if width > max_columns:
        raise TabularFileError(
            f"L'en-tête compte {format_nombre(width)} colonnes ; un fichier en a au plus {max_columns}."
        )
    return width
