from __future__ import annotations

import pandas as pd
import pytest

from cartographie import load_reference
from cartographie.domaine.filtres import Selection, filter_options, filter_qpv, search
from cartographie.domaine.texte import fold


@pytest.fixture
def qpv(tiny_folder):
    return load_reference(tiny_folder).qpv


@pytest.fixture
def communes(tiny_folder):
    return load_reference(tiny_folder).communes


@pytest.fixture
def pairs(tiny_folder):
    """The QPV ↔ commune table."""
    return load_reference(tiny_folder).qpv_communes


def codes(frame):
    return sorted(frame["code_qp"])


def test_no_filter_keeps_every_qpv(qpv, pairs):
    assert codes(filter_qpv(qpv, Selection(), pairs)) == ["QN00101M", "QN00102N", "QN00201I"]


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (Selection(departements=("01",)), ["QN00101M", "QN00102N"]),
        (Selection(contrats=("CN00201I",)), ["QN00201I"]),
        (Selection(epci=("200000001",)), ["QN00101M", "QN00102N"]),
        (Selection(communes=("02001",)), ["QN00201I"]),
        (Selection(statuts=("NOUVEAU",)), ["QN00102N"]),
        (Selection(departements=("01",), statuts=("MODIFIE", "INCHANGE")), ["QN00101M"]),
        (Selection(departements=("01",), communes=("02001",)), []),
    ],
)
def test_each_filter_alone_and_combined(qpv, pairs, selection, expected):
    assert codes(filter_qpv(qpv, selection, pairs)) == expected


def test_commune_filter_matches_qpv_spanning_several_communes():
    frame = pd.DataFrame(
        {
            "code_qp": ["A", "B"],
            "insee_dep": ["10", "10"],
            "code_cv_2024": ["X", "X"],
            "siren_epci": ["1", "1"],
            "statut_2024_vs_2015": ["MODIFIE", "MODIFIE"],
        }
    )
    table = pd.DataFrame({"code_qp": ["A", "A", "A", "B"], "insee_com": ["10081", "10265", "10387", "10387"]})
    assert codes(filter_qpv(frame, Selection(communes=("10265",)), table)) == ["A"]
    assert codes(filter_qpv(frame, Selection(communes=("10387",)), table)) == ["A", "B"]


def test_options_narrow_each_other_but_keep_what_is_chosen(qpv, pairs):
    options = filter_options(qpv, Selection(departements=("02",)), pairs)
    assert list(options.epci) == ["200000002"]
    assert list(options.statuts) == ["INCHANGE"]
    assert set(options.departements) == {"01", "02"}  # its own filter is not narrowed by itself
    kept = filter_options(qpv, Selection(departements=("02",), epci=("200000001",)), pairs)
    assert "200000001" in kept.epci


def test_fold_ignores_accents_case_and_ligatures():
    assert fold("Vandœuvre-lès-Nancy") == "vandoeuvre les nancy"
    assert fold("  ÉPINAL ") == "epinal"


def test_search_finds_qpv_by_name_or_code_and_communes_by_name(qpv, communes, pairs):
    hits = search(qpv, communes, "coeurville", pairs)
    assert [(h.kind, h.code) for h in hits] == [("commune", "02001")]
    assert [h.code for h in search(qpv, communes, "qn00102", pairs)] == ["QN00102N"]
    assert [h.code for h in search(qpv, communes, "TILLEULS", pairs)] == ["QN00101M"]
    assert search(qpv, communes, "  ", pairs) == []
    assert search(qpv, communes, "zzz", pairs) == []


def test_search_finds_vandoeuvre_in_the_real_data(real_reference):
    hits = search(real_reference.qpv, real_reference.communes, "vandoeuvre", real_reference.qpv_communes)
    assert any(h.kind == "commune" and h.label.startswith("Commune Vandœuvre-lès-Nancy") for h in hits)


def test_query_parameters_round_trip():
    selection = Selection(
        departements=("57", "67"),
        statuts=("NOUVEAU",),
        qpv="QN05725N",
        couches=("epci", "credits"),
        annee=2021,
        mesure="postes",
    )
    query = selection.to_query()
    assert query == {
        "dep": "57,67",
        "statut": "NOUVEAU",
        "qpv": "QN05725N",
        "couches": "epci,credits",
        "annee": "2021",
        "mesure": "postes",
    }
    assert Selection.from_query(query) == selection
    assert Selection().to_query() == {}


def test_malformed_query_parameters_are_dropped():
    selection = Selection.from_query(
        {"statut": "NOUVEAU,<script>", "couches": "epci,x", "annee": "abc", "mesure": "autre", "dep": ["57", "57"]}
    )
    assert selection.statuts == ("NOUVEAU",) and selection.couches == ("epci",)
    assert selection.annee == 0 and selection.mesure == "montant" and selection.departements == ("57",)


def test_selection_label_for_file_names():
    assert Selection().label() == "region"
    assert Selection(departements=("57",), statuts=("NOUVEAU",)).label() == "dep-57_statut-nouveau"
    assert Selection(communes=("1", "2", "3", "4", "5")).label() == "com-1-2-3-et2"


def test_filter_options_order_and_a_code_from_a_link(qpv, pairs):
    options = filter_options(qpv, Selection(statuts=("INCHANGE",)), pairs)
    assert list(options.statuts) == ["NOUVEAU", "MODIFIE", "INCHANGE"]  # the domain's order, not the alphabet
    options = filter_options(qpv, Selection(epci=("999999999", "200000001")), pairs)
    assert list(options.epci)[-1] == "999999999"  # unknown here (an old link): kept, last, shown as its code
    assert options.epci["999999999"] == "999999999"


@pytest.mark.parametrize(
    "selection",
    [
        Selection(),
        Selection(departements=("57",)),
        Selection(departements=("54", "57"), statuts=("NOUVEAU",)),
        Selection(communes=("54547",)),
        Selection(communes=("57463",), departements=("67",)),  # Metz with the Bas-Rhin: nothing left
        Selection(contrats=("CN05403M",), statuts=("MODIFIE", "INCHANGE")),
    ],
)
def test_each_filter_offers_what_the_other_filters_leave(real_reference, selection):
    # Oracle: the QPV left by every filter but one, through filter_qpv, give that filter's options.
    from dataclasses import replace

    options = filter_options(real_reference.qpv, selection, real_reference.qpv_communes)
    columns = {
        "departements": "insee_dep",
        "contrats": "code_cv_2024",
        "epci": "siren_epci",
        "statuts": "statut_2024_vs_2015",
    }
    for name in ("departements", "contrats", "epci", "statuts", "communes"):
        left = filter_qpv(real_reference.qpv, replace(selection, **{name: ()}), real_reference.qpv_communes)
        if name == "communes":
            table = real_reference.qpv_communes
            expected = set(table.loc[table["code_qp"].isin(left["code_qp"]), "insee_com"])
        else:
            expected = set(left[columns[name]])
        assert set(getattr(options, name)) == expected | set(getattr(selection, name)), name
