"""The QPV indicators of INSEE (population, youth index, employment and poverty rates): read, bounded, checked.

The file is optional in a reference folder (``qpv_2024_indicateurs_<région>.csv``): without it,
the app works and says where the figures would be that they are missing. Its columns carry
INSEE's own names (``codeQPV``, ``popMuniQPV``, ``indiceJeunesse``, ``taux_d_emploi``,
``taux_pauvrete_60%``); an empty cell is a value INSEE does not publish (secret statistique).
A file may hold one row per QPV and commune (as a national copy does): the rows of one QPV
must then agree.

Every bound is checked in one pass over the bytes before anything is parsed; a refusal names
the file, the row and the column, in French.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pandas as pd

from cartographie.lecture.erreurs import ReferenceDataError

#: INSEE's column names → the app's.
COLUMNS = {
    "codeQPV": "code_qp",
    "popMuniQPV": "population",
    "indiceJeunesse": "indice_jeunesse",
    "taux_d_emploi": "taux_emploi",
    "taux_pauvrete_60%": "taux_pauvrete",
}
#: Bounds checked before parsing: a national file of 1 700 rows is 100 KB.
MAX_BYTES = 5 * 2**20
MAX_ROWS = 20_000
MAX_LINE = 2_000
MAX_COLUMNS = 60
#: Plausible ranges (inclusive) of each value; a QPV has at least 1 000 inhabitants by law, but a
#: threshold is not this file's business: the population must only be a positive whole number.
RANGES = {
    "indice_jeunesse": (0.0, 50.0),
    "taux_emploi": (0.0, 100.0),
    "taux_pauvrete": (0.0, 100.0),
}
#: At most this many problems are listed in a refusal.
MAX_PROBLEMS = 20


def _bounded_text(path: Path, raw: bytes | None = None) -> str:
    """The file's text, once its size, lines and line lengths are within bounds (one pass)."""
    if raw is None:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ReferenceDataError(
                path, f"fichier trop lourd ({size:,} octets ; 5 Mo au plus).".replace(",", "\u202f")
            )
        raw = path.read_bytes()
    elif len(raw) > MAX_BYTES:
        raise ReferenceDataError(path, "fichier trop lourd (5 Mo au plus).")
    lines = raw.count(b"\n") + 1
    if lines > MAX_ROWS + 1:
        raise ReferenceDataError(path, f"trop de lignes ({lines} ; {MAX_ROWS} au plus).")
    start = 0
    for number in range(1, lines + 1):
        end = raw.find(b"\n", start)
        end = len(raw) if end < 0 else end
        if end - start > MAX_LINE:
            raise ReferenceDataError(
                path, f"ligne {number} trop longue ({end - start} caractères ; {MAX_LINE} au plus)."
            )
        start = end + 1
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(path, f"le fichier n'est pas en UTF-8 (octet {exc.start}).") from exc


def _number(text: str) -> float | None:
    """A decimal number written with a point or a comma; ``None`` for an empty cell; NaN if unreadable."""
    text = text.strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return math.nan
    return value if math.isfinite(value) else math.nan


def read_indicators(path: Path, raw: bytes | None = None) -> pd.DataFrame:
    """Every QPV of the file with its four values (NaN where INSEE publishes none), checked row by row.

    Raises :class:`ReferenceDataError` naming the row and column of each problem (20 at most).
    """
    text = _bounded_text(Path(path), raw)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise ReferenceDataError(path, "le fichier est vide.")
    if len(header) > MAX_COLUMNS:
        raise ReferenceDataError(path, f"trop de colonnes ({len(header)} ; {MAX_COLUMNS} au plus).")
    header = [h.strip() for h in header]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise ReferenceDataError(path, f"colonne(s) absente(s) : {', '.join(missing)} (noms de l'INSEE attendus).")
    where = {COLUMNS[name]: header.index(name) for name in COLUMNS}
    names = {value: key for key, value in COLUMNS.items()}
    problems: list[str] = []
    rows: dict[str, tuple] = {}

    def problem(text: str) -> None:
        if len(problems) < MAX_PROBLEMS:
            problems.append(text)

    for number, cells in enumerate(reader, start=2):
        if not cells or not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            problem(f"ligne {number} : {len(cells)} cases pour {len(header)} colonnes")
            continue
        code = cells[where["code_qp"]].strip()
        if not _qpv_code(code):
            problem(f"ligne {number}, colonne codeQPV : code de QPV invalide « {code[:20]} »")
            continue
        values = []
        for column in ("population", "indice_jeunesse", "taux_emploi", "taux_pauvrete"):
            value = _number(cells[where[column]])
            label = f"ligne {number}, colonne {names[column]}"
            if value is not None and math.isnan(value):
                problem(f"{label} : nombre illisible « {cells[where[column]].strip()[:20]} »")
            elif value is not None and column == "population" and (value <= 0 or value != int(value)):
                problem(f"{label} : population non entière ou nulle ({value:g})")
            elif value is not None and column in RANGES and not RANGES[column][0] <= value <= RANGES[column][1]:
                low, high = RANGES[column]
                problem(f"{label} : {value:g} hors de l'intervalle plausible [{low:g} ; {high:g}]")
            values.append(math.nan if value is None else value)
        if code in rows and rows[code] != tuple(values) and not _same(rows[code], tuple(values)):
            problem(f"ligne {number} : {code} répété avec d'autres valeurs")
        rows.setdefault(code, tuple(values))
    if problems:
        raise ReferenceDataError(path, "valeurs refusées : " + " ; ".join(problems) + ".")
    if not rows:
        raise ReferenceDataError(path, "aucun quartier dans le fichier.")
    frame = pd.DataFrame(
        [(code, *values) for code, values in rows.items()],
        columns=["code_qp", "population", "indice_jeunesse", "taux_emploi", "taux_pauvrete"],
    )
    frame["population"] = frame["population"].astype("Int64")
    return frame


def _qpv_code(code: str) -> bool:
    """« QN » then the department (two digits, Corsica's 2A/2B as « 02A »…), three characters, and M, I or N."""
    return (
        len(code) == 8
        and code.startswith("QN")
        and code[2:4].isdigit()
        and code[4] in "0123456789AB"
        and code[5:7].isdigit()
        and code[7] in "MIN"
    )


def _same(a: tuple, b: tuple) -> bool:
    return all((x != x and y != y) or x == y for x, y in zip(a, b, strict=True))


def load_qpv_indicators(
    path: Path, qpv: pd.DataFrame, communes: pd.DataFrame, qpv_communes: pd.DataFrame
) -> pd.DataFrame:
    """The indicators of the region's QPV, checked against the QPV list and the communes' populations.

    Every QPV of the list must be in the file (a national file's other QPV are left out); a QPV's
    population must not exceed the population of its communes.
    """
    frame = read_indicators(path)
    codes = list(qpv["code_qp"])
    absent = sorted(set(codes) - set(frame["code_qp"]))
    if absent:
        shown = ", ".join(absent[:10]) + (" …" if len(absent) > 10 else "")
        raise ReferenceDataError(path, f"{len(absent)} QPV de la liste absent(s) du fichier : {shown}.")
    frame = frame[frame["code_qp"].isin(codes)].set_index("code_qp").reindex(codes).reset_index()
    if "population" in communes.columns:
        population = pd.to_numeric(communes.set_index("insee_com")["population"], errors="coerce")
        links = qpv_communes[["code_qp", "insee_com"]].drop_duplicates()
        hosts = (
            links.assign(population=links["insee_com"].map(population))
            .groupby("code_qp")["population"]
            .sum(min_count=1)
        )
        over = [
            f"{code} ({int(value)} habitants pour {int(hosts[code])} dans ses communes)"
            for code, value in zip(frame["code_qp"], frame["population"], strict=True)
            if pd.notna(value) and code in hosts and pd.notna(hosts[code]) and value > hosts[code]
        ]
        if over:
            raise ReferenceDataError(
                path, "population d'un QPV supérieure à celle de ses communes : " + ", ".join(over[:10]) + "."
            )
    return frame
