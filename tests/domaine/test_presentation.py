"""The presentation screen's data layer: settings from the URL, territories, key figures, escaped blocks."""

from __future__ import annotations

from cartographie.domaine.presentation import (
    DEFAULT_INTERVAL,
    SLIDES,
    Settings,
    key_figures,
    resolve_territory,
    status_line,
    territory_choices,
    touches,
)
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
    region = resolve_territory(real_reference, "region")
    figures = {f.label: f for f in key_figures(real_reference, region, events=23, experiences=6)}
    assert figures["quartiers prioritaires 2024"].value == "123"
    assert figures["contrats de ville 2024–2030"].value == "39"
    population = next(f for label, f in figures.items() if label.startswith("habitants de la région"))
    assert "pas celle des QPV" in population.source and "INSEE" in population.source
    assert all(f.source for f in figures.values())
    assert status_line(real_reference, region).startswith(
        "Par rapport à la géographie prioritaire de 2015 : 8 nouveaux"
    )


def test_screen_blocks_escape_what_they_show():
    assert "&lt;b&gt;" in header_html("<b>Titre</b>", "Grand Est", 0, 3) and "1 / 3" in header_html("t", "t", 0, 3)
    assert "<script>" not in text_html(["<script>alert(1)</script>"])
    from cartographie.domaine.presentation import Figure

    assert "&lt;i&gt;" in figures_html([Figure("1", "<i>x</i>", "s")])


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
