"""Import of survey answers exported by a survey tool (CSV or XLSX).

Three steps, none of which writes anything: read the file (encodings and separators of French
spreadsheets), map its columns to question identifiers (automatically by label, adjustable), then
check every row. The page writes the answers only when the user confirms and no row is rejected,
in one transaction.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from cartographie.domaine.enquete.questionnaire import AUTRE, AnswerError, Questionnaire, options_of
from cartographie.domaine.enquete.validation import validate_answer
from cartographie.domaine.formats import format_nombre
from cartographie.domaine.texte import fold
from cartographie.lecture.tableur import MAX_COLUMNS, SEPARATORS, TabularFileError, read_csv

#: An import holds at most this many answers (a regional survey gathers hundreds).
MAX_ROWS = 10_000


MAX_BYTES = 20 * 1024 * 1024


#: Marks a column that holds the "Autre (précisez)" text of a question.
AUTRE_SUFFIX = "__autre"


IGNORE = ""


class SurveyFileError(Exception):
    """The file cannot be read as a table of answers; the message says why, in French."""


@dataclass
class ImportReport:
    """What a confirmed import would write, and what stops it."""

    answers: list[dict] = field(default_factory=list)
    #: One row per rejected line: its number in the file and every reason.
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["Ligne", "Motifs"]))
    #: Problems of the whole file (a missing column, a column used twice).
    problems: list[str] = field(default_factory=list)
    empty_rows: int = 0

    @property
    def importable(self) -> bool:
        """Whether a confirmation may write: answers, and no problem nor rejected row."""
        return bool(self.answers) and not self.problems and self.rejected.empty


def read_survey_file(raw: bytes, filename: str) -> tuple[pd.DataFrame, str]:
    """The table of answers (text cells) and a French note on how it was read."""
    if len(raw) > MAX_BYTES:
        raise SurveyFileError(
            f"Le fichier pèse {format_nombre(len(raw) / 2**20, 1)} Mo ; un import accepte au plus "
            f"{format_nombre(MAX_BYTES // 2**20)} Mo."
        )
    if not raw.strip():
        raise SurveyFileError("Le fichier est vide.")
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")):
        table, note = _read_xlsx(raw)
    elif name.endswith((".csv", ".txt")):
        table, note = _read_csv(raw)
    else:
        raise SurveyFileError("Format non pris en charge : déposez un fichier CSV ou XLSX (Excel).")
    if table.empty:
        raise SurveyFileError("Le fichier ne contient aucune ligne de réponse sous son en-tête.")
    if len(table) > MAX_ROWS:
        raise SurveyFileError(
            f"Le fichier compte {format_nombre(len(table))} lignes de réponses ; un import en accepte au plus "
            f"{format_nombre(MAX_ROWS)}. Découpez-le en plusieurs fichiers."
        )
    return table, note


def _read_csv(raw: bytes) -> tuple[pd.DataFrame, str]:
    try:
        table, encoding, separator = read_csv(raw, long_rows="mark", max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
    except TabularFileError as exc:
        raise SurveyFileError(str(exc)) from exc
    _check_header(list(table.columns))
    return table, f"CSV lu en {encoding}, séparateur {SEPARATORS[separator]}."


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    return str(value)


#: Largest workbook accepted once decompressed (its XML is several times its answers' text).
MAX_UNZIPPED = 200 * 1024 * 1024


def _workbook_bounds(raw: bytes) -> tuple[int, int, list[str]]:
    """The last row and column of the first sheet's cells, and its merged ranges of row 1, read with bounded memory.

    The sheet's XML is streamed and every cell's address checked before anything is loaded: a
    declared dimension may lie, a cell may sit at row 1 048 576 of column XFD, and a small file
    may decompress to gigabytes. :class:`SurveyFileError` as soon as a bound is passed.
    """
    import zipfile
    from xml.etree.ElementTree import iterparse

    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SurveyFileError("Classeur Excel illisible (archive endommagée) : enregistrez-le en .xlsx.") from exc
    if sum(i.file_size for i in infos) > MAX_UNZIPPED:
        raise SurveyFileError(f"Classeur trop volumineux une fois décompressé (plus de {MAX_UNZIPPED // 2**20} Mo).")
    sheets = sorted((i for i in infos if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", i.filename)),
                    key=lambda i: int(re.search(r"\d+", i.filename.rsplit("/", 1)[1]).group()))  # fmt: skip
    if not sheets:
        raise SurveyFileError("Classeur Excel illisible (aucune feuille) : enregistrez-le en .xlsx.")
    last_row = last_column = cells = 0
    merged: list[str] = []
    try:
        with archive.open(sheets[0]) as member:
            for _event, element in iterparse(_Capped(member, MAX_UNZIPPED), events=("end",)):
                tag = element.tag.rsplit("}", 1)[-1]
                if tag == "c":
                    cells += 1
                    row, column = _cell_address(element.get("r", ""))
                    last_row, last_column = max(last_row, row), max(last_column, column)
                    if row > MAX_ROWS + 1 or column > MAX_COLUMNS or cells > MAX_ROWS * 50:
                        raise SurveyFileError(_too_big(row, column))
                elif tag == "row":
                    last_row = max(last_row, int(element.get("r") or 0))
                    if last_row > MAX_ROWS + 1:
                        raise SurveyFileError(_too_big(last_row, 1))
                    element.clear()
                elif tag == "mergeCell" and re.fullmatch(r"[A-Z]+1:[A-Z]+1", element.get("ref", "")):
                    merged.append(element.get("ref"))
    except SurveyFileError:
        raise
    except Exception as exc:  # damaged XML or ZIP raises errors of many kinds
        raise SurveyFileError(f"Classeur Excel illisible ({type(exc).__name__}) : enregistrez-le en .xlsx.") from exc
    return last_row, last_column, merged


def _too_big(row: int, column: int) -> str:
    if row > MAX_ROWS + 1:
        return (
            f"La feuille a des cellules jusqu'à la ligne {format_nombre(row)} ; un import lit au plus "
            f"{format_nombre(MAX_ROWS)} lignes de réponses. Découpez-la en plusieurs fichiers (ou effacez les cellules "
            "isolées loin en bas)."
        )
    return (
        f"La feuille a des cellules jusqu'à la colonne n°{format_nombre(column)} ; un import lit au plus "
        f"{MAX_COLUMNS} colonnes (effacez les cellules isolées loin à droite)."
    )


def _cell_address(reference: str) -> tuple[int, int]:
    """``"XFD1048576"`` → (1048576, 16384); an address that is not one counts as row and column 1."""
    found = re.fullmatch(r"([A-Z]{1,3})(\d{1,7})", reference)
    if not found:
        return 1, 1
    column = 0
    for letter in found.group(1):
        column = column * 26 + ord(letter) - 64
    return int(found.group(2)), column


class _Capped(io.RawIOBase):
    """A stream that fails once more than ``limit`` bytes have been read (a decompressed size that lied)."""

    def __init__(self, stream, limit: int) -> None:
        self.stream, self.left = stream, limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.stream.read(min(len(buffer), 1 << 16))
        self.left -= len(data)
        if self.left < 0:
            raise SurveyFileError(
                f"Classeur trop volumineux une fois décompressé (plus de {MAX_UNZIPPED // 2**20} Mo)."
            )
        buffer[: len(data)] = data
        return len(data)


def _read_xlsx(raw: bytes) -> tuple[pd.DataFrame, str]:
    import openpyxl  # only when a workbook is imported

    last_row, last_column, merged = _workbook_bounds(raw)
    if last_row - 1 > MAX_ROWS:
        raise SurveyFileError(_too_big(last_row, 1))
    if merged:
        raise SurveyFileError(
            f"L'en-tête contient des cellules fusionnées ({', '.join(merged[:3])}) : défusionnez-les pour que "
            "chaque colonne ait son propre titre sur la première ligne, puis déposez le fichier à nouveau."
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        title = sheet.title
        values = [
            [_cell_text(v) for v in row]
            for row in sheet.iter_rows(max_row=max(last_row, 1), max_col=max(last_column, 1), values_only=True)
        ]
        workbook.close()
    except Exception as exc:  # a damaged ZIP or XML raises errors of many kinds
        raise SurveyFileError(f"Classeur Excel illisible ({type(exc).__name__}) : enregistrez-le en .xlsx.") from exc
    values = [row for row in values if any(cell.strip() for cell in row)] or [[]]
    header = values[0]
    while header and not header[-1].strip():
        header = header[:-1]
    _check_header(header)
    body = [(row + [""] * len(header))[: len(header)] for row in values[1:]]
    note = f"Classeur Excel lu (feuille « {title} »)."
    return pd.DataFrame(body, columns=header, dtype=str), note


def _check_header(header: list[str]) -> None:
    names = [str(h).strip() for h in header]
    if not names or all(not n for n in names):
        raise SurveyFileError("La première ligne doit porter le titre de chaque colonne.")
    if any(not n or n.startswith("Unnamed:") for n in names):
        position = next(i for i, n in enumerate(names, start=1) if not n or n.startswith("Unnamed:"))
        raise SurveyFileError(f"La colonne n°{position} n'a pas de titre sur la première ligne.")
    # Counted once (a Counter, not ``names.count`` per title: linear in the number of columns). pandas
    # renames a repeated title « X » to « X.1 ».
    counts = Counter(names)
    repeated = {n for n, times in counts.items() if times > 1}
    repeated |= {n.rsplit(".", 1)[0] for n in names if re.search(r"\.\d+$", n) and n.rsplit(".", 1)[0] in counts}
    duplicates = sorted(repeated)
    if duplicates:
        raise SurveyFileError(f"Deux colonnes portent le même titre : « {duplicates[0]} ».")


def targets(questionnaire: Questionnaire) -> dict[str, str]:
    """Every column a file may fill: question identifiers and their "Autre (précisez)" fields, with labels."""
    out = {IGNORE: "(ignorer cette colonne)"}
    for question in questionnaire.questions:
        out[question.id] = f"{question.id} – {question.libelle}"
        if question.autre:
            out[question.autre_key] = f"{question.autre_key} – {question.libelle} : « Autre », précision"
    return out


def auto_mapping(columns: list[str], questionnaire: Questionnaire) -> dict[str, str]:
    """Column → target, guessed from identifiers and labels (accents, case and punctuation ignored)."""
    by_text: dict[str, str] = {}
    for question in questionnaire.questions:
        by_text[fold(question.id)] = question.id
        by_text[fold(question.libelle)] = question.id
        if question.autre:
            by_text[fold(question.autre_key)] = question.autre_key
            by_text[fold(f"{question.libelle} autre")] = question.autre_key
            by_text[fold(f"autre {question.libelle}")] = question.autre_key
            by_text[fold(f"{question.libelle} autre precisez")] = question.autre_key
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for column in columns:
        key = fold(column)
        target = by_text.get(key)
        if target is None:
            close = difflib.get_close_matches(key, list(by_text), n=1, cutoff=0.85)
            target = by_text[close[0]] if close else None
        if target is not None and target not in used:
            mapping[column] = target
            used.add(target)
        else:
            mapping[column] = IGNORE
    return mapping


def _match(option_labels: dict[str, str], text: str) -> str | None:
    key = fold(text)
    return option_labels.get(key)


def _parse_cell(questionnaire: Questionnaire, question, cell: str) -> tuple[object, str | None, list[str]]:
    """The answer value of one cell, the "Autre" text it may carry, and its unknown values."""
    options = options_of(questionnaire, question)
    lookup = {fold(code): code for code in options} | {fold(label): code for code, label in options.items()}
    cell = cell.strip()
    if not cell:
        return None, None, []

    def one(text: str) -> tuple[str | None, str | None]:
        code = _match(lookup, text)
        if code is not None:
            return code, None
        found = re.match(r"\s*autre\s*(?:\(.*?\))?\s*[:\-–]\s*(.+)", text, flags=re.IGNORECASE)
        if found and AUTRE in options:
            return AUTRE, found.group(1).strip()
        return None, None

    if question.type != "choix_multiple":
        code, other = one(cell)
        return (code, other, []) if code is not None else (None, None, [cell])
    codes: list[str] = []
    unknown: list[str] = []
    other_text = None
    code, other = one(cell)
    parts = [cell] if code is not None else [p for p in re.split(r"[;|\n]", cell) if p.strip()]
    for part in parts:
        code, other = one(part)
        pieces = [(code, other)] if code is not None else [one(p) for p in part.split(",") if p.strip()]
        if code is None and (not pieces or any(c is None for c, _ in pieces)):
            unknown.append(part.strip())
            continue
        for c, o in pieces:
            codes.append(c)
            other_text = other_text or o
    return codes, other_text, unknown


def _accepted(questionnaire: Questionnaire, question, shown: int = 12) -> str:
    """The answers a question accepts, by their labels (what an editor can put in the file)."""
    options = questionnaire.echelle if question.type == "echelle" else question.choices
    labels = [str(label) for label in options.values()]
    listed = ", ".join(f"« {label} »" for label in labels[:shown])
    return f"valeurs acceptées : {listed}{' …' if len(labels) > shown else ''}"


def check_import(table: pd.DataFrame, mapping: dict[str, str], questionnaire: Questionnaire) -> ImportReport:
    """Check every row against the questionnaire; nothing is written here."""
    report = ImportReport()
    chosen = Counter(t for t in mapping.values() if t != IGNORE)
    for target in sorted(t for t, times in chosen.items() if times > 1):
        columns = [c for c, t in mapping.items() if t == target]
        report.problems.append(f"La question « {target} » est associée à plusieurs colonnes : {', '.join(columns)}.")
    for question in questionnaire.questions:
        if question.obligatoire and question.id not in chosen:
            report.problems.append(
                f"Colonne manquante : aucune colonne ne répond à la question obligatoire « {question.libelle} ». "
                "Associez-lui une colonne du fichier."
            )
    if report.problems:
        return report
    questions = {q.id: q for q in questionnaire.questions}
    rejected = []
    long = table.attrs.get("trop_de_champs", {})
    for index, row in enumerate(table.itertuples(index=False)):
        position = index + 2
        if index in long:  # an unquoted separator in a cell: its cells would be read one column off
            line, count = long[index]
            rejected.append(
                {
                    "Ligne": line,
                    "Motifs": f"{count} champs pour {len(table.columns)} colonnes : un séparateur de trop dans une "
                    "cellule ? Mettez la cellule entre guillemets ou retirez le séparateur.",
                }
            )
            continue
        cells = dict(zip(table.columns, row, strict=True))
        if not any(str(cells[c]).strip() for c in mapping if mapping[c]):
            report.empty_rows += 1
            continue
        raw: dict = {}
        reasons: list[str] = []
        for column, target in mapping.items():
            if not target:
                continue
            cell = str(cells[column] or "")
            if target.endswith(AUTRE_SUFFIX):
                raw[target] = raw.get(target) or cell.strip()
                continue
            question = questions[target]
            if question.type in ("texte", "mot_cle"):
                raw[target] = cell
                continue
            value, other, unknown = _parse_cell(questionnaire, question, cell)
            for text in unknown:
                reasons.append(
                    f"« {question.libelle} » : valeur inconnue « {text[:80]} » ({_accepted(questionnaire, question)})"
                )
            raw[target] = value
            if other:
                raw[question.autre_key] = raw.get(question.autre_key) or other
        if not reasons:
            try:
                report.answers.append(validate_answer(questionnaire, raw))
            except AnswerError as error:
                reasons.extend(error.messages)
        if reasons:
            rejected.append({"Ligne": position, "Motifs": " ; ".join(reasons)})
    report.rejected = pd.DataFrame(rejected, columns=["Ligne", "Motifs"])
    if not report.rejected.empty:
        report.answers = []  # all or nothing: a file with rejected rows is corrected and dropped again
    return report
