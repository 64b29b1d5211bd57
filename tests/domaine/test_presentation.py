"""The presentation screen's data layer: settings from the URL, territories, key figures, escaped blocks."""

from __future__ import annotations

from cartographie.domaine.presentation import (
    DEFAULT_INTERVAL,
    SLIDES,
    Settings,
    key_figures,
    status_line,
    territory_choices,
)
from cartographie.domaine.territoires import resolve_territory, touches
from cartographie.rendu.presentation import figures_html, header_html, text_html


def test_unknown_url_values_fall_back_to_the_defaults(real_reference):
    territories = set(territory_choices(real_reference))
    settings = Settings.from_query(
        {"diapos": "carte,inconnue,carte,mots", "territoire": "dep:99", "intervalle": "7"}, territories
    )
    assert settings == Settings(("carte", "mots"), "region", DEFAULT_INTERVAL, "")
    assert Settings.from_query({}, territories).slides == tuple(SLIDES)
    assert Settings.from_query({"intervalle": "abc"}, territories).intervalle == DEFAULT_INTERVAL


def test_territories_of_a_department_and_a_contrat(real_reference):
    moselle = resolve_territory(real_reference, "dep:57")
    assert moselle.label == "Moselle (57)" and len(moselle.qpv_codes) == 26
    nancy = resolve_territory(real_reference, "cv:CN05403M")
    assert "QN05415M" in nancy.qpv_codes and "54" in nancy.departements
    assert touches(nancy, [("qpv", "QN05415M")]) and not touches(nancy, [("qpv", "QN05701M")])
    assert touches(nancy, [("contrat", "CN05403M")]) and not touches(moselle, [("contrat", "CN05403M")])
    assert touches(resolve_territory(real_reference, "region"), [("commune", "00000")])


def test_key_figures_name_their_source_and_say_what_population_is(real_reference):
    from cartographie.domaine.chiffres import source_line
    from cartographie.lecture.experiences import load_authored
    from cartographie.lecture.rencontres import load_catalogue

    region = resolve_territory(real_reference, "region")
    figures = {f.key: f for f in key_figures(real_reference, region, load_catalogue(real_reference), load_authored())}
    assert figures["nb_qpv"].text == "123" and figures["nb_qpv"].label == "Quartiers prioritaires 2024"
    assert figures["nb_contrats"].text == "39"
    # Who lives in the QPV (INSEE, through the copy the folder names), not the region's population.
    inhabitants = figures["insee_population_qpv"]
    assert inhabitants.label == "Habitants des 123 QPV" and inhabitants.text == "418\u202f585"
    line = source_line(real_reference, inhabitants)
    assert "INSEE" in line and "RemiG1984/MaFrance" in line and "millésime non précisé" in line
    # The slide's card, short as it is, names the copy the figures came through too.
    from cartographie.domaine.chiffres import source_brief

    assert "RemiG1984/MaFrance" in source_brief(real_reference, inhabitants)
    assert "population" not in figures  # the slide has five cards
    assert all(source_line(real_reference, f) for f in figures.values())
    assert status_line(real_reference, region).startswith(
        "Par rapport à la géographie prioritaire de 2015 : 8 nouveaux"
    )


def test_screen_blocks_escape_what_they_show():
    assert "&lt;b&gt;" in header_html("<b>Titre</b>", "Grand Est", 0, 3) and "1 / 3" in header_html("t", "t", 0, 3)
    assert "<script>" not in text_html(["<script>alert(1)</script>"])
    from cartographie.domaine.chiffres import Figure, Scope

    figure = Figure("x", 1, "nombre", "<i>x</i>", Scope("region"), ("rencontres",), "2025", brief="<b>n</b>")
    assert "&lt;i&gt;" in figures_html([figure], ref=None) and "&lt;b&gt;" in figures_html([figure], ref=None)


def test_a_contrat_slide_counts_its_qpv_in_good_french(real_reference):
    from cartographie.domaine.presentation import contrat_lines

    head, names = contrat_lines(real_reference, resolve_territory(real_reference, "cv:CN06702M"))
    assert head == ["Porteur : CC du Pays de Saverne", "1 quartier prioritaire 2024"]
    assert names == ["Quartiers Est (Saverne)"]
    head, names = contrat_lines(real_reference, resolve_territory(real_reference, "cv:CN05403M"))
    assert head[1] == "8 quartiers prioritaires 2024" and len(names) == 8


def test_a_chart_s_text_alternative_is_a_french_table_read_only_by_screen_readers(real_reference):
    import pandas as pd

    from cartographie.domaine.presentation import qpv_frame
    from cartographie.rendu.presentation import alternative_html

    frame = pd.DataFrame({"Mot-clé": ["<b>x</b>"], "Part (%)": [12.5], "Réponses": [1234], "Vide": [pd.NA]})
    text = alternative_html("Données <i>", frame)
    assert 'class="lecteur-ecran"' in text and "<caption>Données &lt;i&gt;</caption>" in text
    assert '<th scope="col">Part (%)</th>' in text and "&lt;b&gt;x&lt;/b&gt;" in text
    assert "<td>12,5</td>" in text and "<td>1\u202f234</td>" in text and "<td>–</td>" in text
    table = qpv_frame(real_reference, resolve_territory(real_reference, "cv:CN05403M"))
    assert len(table) == 8 and list(table.columns) == ["Département", "Commune(s)", "Quartier prioritaire"]
