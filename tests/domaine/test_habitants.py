"""Comparable neighbourhoods and the spread of a rate, on frames built by hand."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from cartographie.domaine.habitants import INDICATORS, Spread, nearest, spread, standardised, symbol_sizes


def _values(rows: dict[str, tuple]) -> pd.DataFrame:
    return pd.DataFrame.from_dict(
        rows, orient="index", columns=["population", "indice_jeunesse", "taux_emploi", "taux_pauvrete"]
    )


def test_the_nearest_neighbour_is_the_one_built_to_be_nearest():
    values = _values(
        {
            "A": (2000, 1.0, 40.0, 50.0),
            "B": (2100, 1.05, 41.0, 49.0),  # built next to A
            "C": (8000, 2.0, 30.0, 65.0),
            "D": (1200, 0.5, 60.0, 25.0),
            "E": (5000, 1.5, 35.0, 55.0),
        }
    )
    contrat_of = dict.fromkeys("ABCDE", "CV1")
    found = nearest(standardised(values), "A", contrat_of, n=3)
    assert [nb.code for nb in found][:2] == ["B", "E"]
    assert found[0].compared == ("population", "indice_jeunesse", "taux_emploi", "taux_pauvrete")


def test_a_qpv_with_a_missing_value_is_compared_on_the_others_and_says_so():
    values = _values(
        {
            "A": (2000, np.nan, 40.0, 50.0),  # youth index not published
            "B": (2000, 9.0, 40.0, 50.0),  # identical on the three others, far on the fourth
            "C": (2500, 1.0, 45.0, 45.0),
            "D": (9000, 2.0, 20.0, 70.0),
        }
    )
    found = nearest(standardised(values), "A", dict.fromkeys("ABCD", "CV1"))
    assert found[0].code == "B" and found[0].distance == 0
    assert "indice_jeunesse" not in found[0].compared and len(found[0].compared) == 3


def test_qpv_outside_its_contrat_come_first():
    values = _values({"A": (2000, 1, 40, 50), "B": (2001, 1, 40, 50), "C": (3000, 1.2, 38, 53), "D": (9000, 3, 20, 70)})
    found = nearest(standardised(values), "A", {"A": "CV1", "B": "CV1", "C": "CV2", "D": "CV3"})
    assert [nb.code for nb in found] == ["C", "D", "B"]
    assert [nb.same_contrat for nb in found] == [False, False, True]


def test_poverty_is_said_as_its_range_and_median_never_an_average():
    rates = pd.Series({"A": 30.0, "B": 62.0, "C": np.nan, "D": 45.0})
    found = spread(rates, ["A", "B", "C", "D"])
    assert found == Spread(30.0, 45.0, 62.0, 3, 4)
    assert found.text(INDICATORS["taux_pauvrete"]) == "de 30\u00a0% à 62\u00a0%, médiane 45\u00a0% (3 QPV sur 4)"
    assert spread(rates, ["C"]).text(INDICATORS["taux_pauvrete"]) == "non diffusé (secret statistique)"


def test_without_the_file_the_sheets_say_the_figures_are_missing_and_the_slide_keeps_the_population(tiny_folder):
    from cartographie import load_reference
    from cartographie.domaine.fiches import sheet_of
    from cartographie.domaine.presentation import key_figures
    from cartographie.domaine.rencontres import Catalogue
    from cartographie.domaine.territoires import resolve_territory

    ref = load_reference(tiny_folder)
    assert ref.indicateurs is None and "population_qpv" not in ref.qpv
    empty = Catalogue((), {}, {}, "", ())
    sheet = sheet_of(ref, resolve_territory(ref, "qpv:QN00101M"), empty, [])
    assert sheet.facts["insee_population"].text == "–"
    assert "absents du dossier de données" in sheet.facts["insee_population"].notes[0]
    assert sheet.comparables == () and "absents" in sheet.comparables_note
    region = resolve_territory(ref, "region")
    assert "population" in {f.key for f in key_figures(ref, region, empty, [])}
    assert symbol_sizes(ref) is None  # one size for every QPV symbol, and no size key in the legends
    assert "absents" in sheet_of(ref, region, empty, []).facts["insee_population_qpv"].notes[0]


def test_the_symbols_are_sized_by_population_class_and_a_missing_population_takes_the_smallest():
    class Ref:  # the indicators of four QPV, as the loader gives them
        indicateurs = pd.DataFrame({"code_qp": ["QA", "QB", "QC", "QD"], "population": [1_999, 2_000, 5_000, np.nan]})

        def source(self, key):
            return SimpleNamespace(mention=f"INSEE, copie tierce ({key})")

    sizes = symbol_sizes(Ref())
    assert [sizes.of(code) for code in ("QA", "QB", "QC", "QD", "QZ")] == [0.85, 1.0, 1.25, 0.85, 0.85]
    assert sizes.missing == 1 and sizes.source == "INSEE, copie tierce (qpv_indicateurs)"
    assert [label for _, label in sizes.legend] == [
        "moins de 2 000 habitants",
        "de 2 000 à moins de 5 000 habitants",
        "5 000 habitants ou plus",
    ]
