"""Figures you can trust: each figure shown is recomputed from the raw files, and each known defect is caught.

The recomputations read the reference folder with the standard library only (``csv``,
``json``), never through the app's loaders, so that a mistake in the app cannot hide itself.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from cartographie.domaine.credits import ALERTE, NOTE, check_credits, deduplicate
from cartographie.domaine.indicateurs import (
    contrat_sheet,
    contrats_table,
    credits_history,
    default_credits_year,
    key_figures,
    population_of,
    predecessors_of,
)
from cartographie.domaine.territoires import statuts_phrase

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


def _rows(folder: Path, name: str) -> list[dict]:
    with (folder / name).open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _features(folder: Path, name: str) -> list[dict]:
    return [f["properties"] for f in json.loads((folder / name).read_text(encoding="utf-8"))["features"]]


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


def test_fonjep_2025_is_counted_once_per_post(real_folder, real_reference):
    raw = _rows(real_folder, "credits_adultes_relais_fonjep_grand_est.csv")
    fonjep = [r for r in raw if r["dispositif"] == "FONJEP" and r["annee"] == "2025"]
    assert len(fonjep) == 257 and len({r["id_poste"] for r in fonjep}) == 136  # the source's defect
    credits = real_reference.credits
    app = credits[(credits["dispositif"] == "FONJEP") & (credits["annee"] == 2025)]
    assert len(app) == 136
    assert round(app["montant"].sum(), 2) == _raw_amount(_raw_credits(real_folder), year="2025", scheme="FONJEP")
    assert app["montant"].sum() < 1_000_000  # was 1.83 M€, summed twice
    nancy = credits_history(real_reference, "CN05403M").set_index(["Année", "Dispositif"])
    assert nancy.at[(2025, "FONJEP"), "Postes"] == 14
    assert nancy.at[(2025, "FONJEP"), "Montant (€)"] == _raw_amount(
        _raw_credits(real_folder), year="2025", code="CN05403M", scheme="FONJEP"
    )
    assert nancy.at[(2025, "FONJEP"), "Montant (€)"] < 192_234  # the doubled figure shown before


def test_the_suspicious_years_are_flagged_everywhere_they_are_shown(real_reference):
    quality = real_reference.credits_qualite
    assert quality.has_alert(2025, "adultes-relais") and quality.has_alert(2025, "FONJEP")
    assert not quality.has_alert(2024)
    assert default_credits_year(real_reference) == 2024
    table = contrats_table(real_reference)
    assert "Crédits 2024 (€)" in table.columns and set(table["Qualité des données 2024"]) != {""}
    table_2025 = contrats_table(real_reference, 2025)
    assert table_2025["Qualité des données 2025"].str.contains("montant moyen par poste").all()
    history = credits_history(real_reference, "CN05403M")
    assert history.loc[history["Année"] == 2025, "Alerte"].all()
    assert not history.loc[history["Année"] < 2025, "Alerte"].any()
    assert history.loc[history["Année"] == 2025, "Qualité des données"].str.contains("douteuse|montant moyen").all()


def test_the_credits_figure_is_titled_in_euros_and_marks_doubtful_years(real_reference):
    from cartographie.rendu.graphiques import credits_history_figure

    figure = credits_history_figure(credits_history(real_reference, "CN05403M"), "Métropole du Grand Nancy")
    assert figure.layout.title.text.startswith("Montants par année (€)")
    assert "2025 ⚠" in figure.data[0].x and "données douteuses" in figure.layout.title.text


def test_the_map_legend_names_the_problem_of_a_doubtful_year(real_reference):
    from cartographie.domaine.indicateurs import credits_by_contrat
    from cartographie.rendu.carte import credits_layer, credits_perimeters, prepare_map_layers
    from cartographie.rendu.legendes import credits_legend

    layers = prepare_map_layers(real_reference)
    warning = real_reference.credits_qualite.short_warning(2025)
    values = credits_by_contrat(real_reference.credits, 2025)
    legend = credits_legend(values, annee=2025, mesure="montant", source="ANCT", warning=warning)[0]
    assert "Données douteuses" in legend
    assert "montant par poste anormal" in legend and "postes répétés" in legend
    group = credits_layer(
        layers.geojson[credits_perimeters(2025)], values, annee=2025, mesure="montant", source="ANCT", warning=warning
    )
    import folium

    carte = folium.Map(tiles=None)
    group.add_to(carte)
    assert "donn\\u00e9es douteuses" in carte.get_root().render()  # every tooltip says it too


def test_home_key_figures_are_those_of_the_raw_files(real_folder, real_reference):
    qpv = _rows(real_folder, "qpv_2024_grand_est.csv")
    figures = key_figures(real_reference)
    assert figures.nb_qpv == len(qpv) == 123
    assert figures.nb_contrats == len(_features(real_folder, "contrats_ville_2024_grand_est.geojson"))
    assert figures.nb_communes == len({r["insee_com"] for r in _rows(real_folder, "qpv_2024_communes_grand_est.csv")})
    assert figures.nb_epci == len({r["siren_epci"] for r in qpv})
    statuses = {}
    for row in _rows(real_folder, "qpv_correspondance_2024_2015_grand_est.csv"):
        statuses[row["statut"]] = statuses.get(row["statut"], 0) + 1
    assert figures.par_statut == statuses == {"NOUVEAU": 8, "MODIFIE": 81, "INCHANGE": 34}
    assert statuts_phrase(figures.par_statut) == "8 nouveaux, 81 modifiés, 34 inchangés"


@pytest.mark.parametrize("code,predecessor", [("CN05403M", "CV169"), ("CN05404M", "CV171"), ("CN05710I", "CV185")])
def test_three_contrat_sheets_are_those_of_the_raw_files(real_folder, real_reference, code, predecessor):
    sheet = contrat_sheet(real_reference, code)
    qpv = [r for r in _rows(real_folder, "qpv_2024_grand_est.csv") if r["code_cv_2024"] == code]
    assert sorted(sheet.qpv["code_qp"]) == sorted(r["code_qp"] for r in qpv)
    contrat = next(f for f in _features(real_folder, "contrats_ville_2024_grand_est.geojson") if f["code_cv"] == code)
    communes = _features(real_folder, "communes_grand_est.geojson")
    field = "insee_com" if contrat["porteur_type"] == "commune" else "siren_epci"
    population = sum(c["population"] for c in communes if c[field] == contrat["porteur_code"])
    assert sheet.population.valeur == population
    assert list(predecessors_of(real_reference, code).contrats["code_cv"]) == [predecessor]
    credits = _raw_credits(real_folder)
    history = credits_history(real_reference, code).groupby("Année")["Montant (€)"].sum().round(2)
    for year in range(2020, 2026):
        expected = _raw_amount(credits, year=str(year), code=predecessor if year < 2024 else code)
        assert history.get(year, 0.0) == pytest.approx(expected, abs=0.01), year


def test_credits_views_match_the_raw_files(real_folder, real_reference):
    credits = _raw_credits(real_folder)
    table = contrats_table(real_reference, 2024).set_index("Code")
    for code in table.index:
        assert table.at[code, "Crédits 2024 (€)"] == pytest.approx(_raw_amount(credits, year="2024", code=code))
        posts = {r["id_poste"] for r in credits if r["annee"] == "2024" and r["code_cv"] == code}
        assert table.at[code, "Postes 2024"] == len(posts)


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


def test_every_contrat_of_the_region_has_its_predecessors_or_says_why_not(real_reference):
    statuses = {}
    for code in real_reference.contrats_2024["code_cv"]:
        before = predecessors_of(real_reference, code)
        statuses[code] = before.statut
        if before.statut == "documente":
            covered = (before.contrats["qpv_couverts"] != "").any()
            assert covered or (before.contrats["part_territoire"] >= 0.5).any()
        else:
            assert before.explication
    assert list(statuses.values()).count("documente") == 38 and statuses["CN05709I"] == "non_documente"


def test_a_shared_predecessor_is_said_on_both_sheets(real_reference):
    freyming = predecessors_of(real_reference, "CN05706I").contrats.set_index("code_cv")
    assert freyming.at["CV182", "partage_avec"] == "CN05704M"


# --------------------------------------------------------------------------- population, meetings, labels


def test_one_population_rule_sum_of_communes(real_folder, real_reference):
    from cartographie.domaine.presentation import key_figures as slide_figures
    from cartographie.domaine.presentation import resolve_territory

    communes = _features(real_folder, "communes_grand_est.geojson")
    region = population_of(real_reference, "region")
    assert region.valeur == sum(c["population"] for c in communes)
    moselle = population_of(real_reference, "dep", "57")
    assert moselle.valeur == sum(c["population"] for c in communes if c["insee_dep"] == "57")
    nancy = population_of(real_reference, "cv", "CN05403M")
    assert nancy.valeur == sum(c["population"] for c in communes if c["siren_epci"] == "245400676") and nancy.complete
    assert "population municipale" in nancy.definition and "n'est pas indiquée" in nancy.definition
    # The slide and the sheet say the same number.
    territory = resolve_territory(real_reference, "cv:CN05403M")
    figures = slide_figures(real_reference, territory, events=0, experiences=0)
    assert any(f.value.replace("\u202f", "") == str(nancy.valeur) for f in figures)
    assert contrat_sheet(real_reference, "CN05403M").population.valeur == nancy.valeur


def test_a_territory_separates_meetings_held_on_it_from_those_about_it(real_reference):
    from cartographie.domaine.presentation import resolve_territory
    from cartographie.domaine.rencontres import events_for_territory
    from cartographie.lecture.rencontres import load_catalogue

    catalogue = load_catalogue(real_reference)
    nancy = resolve_territory(real_reference, "cv:CN05403M")
    found = events_for_territory(
        catalogue, qpv=tuple(nancy.qpv_codes), communes=tuple(nancy.communes), epci=tuple(nancy.epci)
    )
    held = {e.id for e in found.sur_place}
    assert "journee-2025-10-02" in held and "atelier-2025-10-02-animation" in held  # held in Tomblaine
    assert found.consacre_a["atelier-2025-10-02-animation"] == (("epci", "245700372"),)  # about Forbach
    forbach = resolve_territory(real_reference, "cv:CN05701I")
    found = events_for_territory(
        catalogue, qpv=tuple(forbach.qpv_codes), communes=tuple(forbach.communes), epci=tuple(forbach.epci)
    )
    assert [e.id for e in found.ailleurs] == ["atelier-2025-10-02-animation"] and not found.sur_place


def test_the_key_figures_slide_does_not_count_the_questionnaire_as_a_meeting(real_reference):
    from cartographie.domaine.presentation import key_figures as slide_figures
    from cartographie.domaine.presentation import resolve_territory, status_line, territory_events
    from cartographie.lecture.rencontres import load_catalogue

    catalogue = load_catalogue(real_reference)
    region = resolve_territory(real_reference, "region")
    events = territory_events(catalogue, region)
    assert "enquete-2020-2021" not in {e.id for e in events}
    in_region = [e for e in catalogue.evenements if not e.hors_region and e.type != "enquete"]
    assert len(events) == len(in_region) == 22
    figures = slide_figures(real_reference, region, events=len(events), experiences=0)
    assert any(f.value == "22" and "rencontres" in f.label and "hors enquête" in f.source for f in figures)
    assert "2024" in status_line(real_reference, region)  # the source says its year


def test_the_survey_does_not_claim_to_reuse_unpublished_questions():
    from cartographie.lecture.questionnaire import load_questionnaire

    introduction = load_questionnaire().introduction
    assert "reprend les questions" not in introduction and "ne sont pas publiques" in introduction
