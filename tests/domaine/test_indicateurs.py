from __future__ import annotations

import datetime as dt

import pytest

from cartographie import load_reference
from cartographie.domaine.chiffres import contrats_table, credit_values, credits_history
from cartographie.domaine.formats import ESPACE_FINE, format_date, format_euros, format_nombre
from cartographie.domaine.indicateurs import (
    contrat_choices,
    qpv_by_departement,
    qpv_options,
    qpv_sheet,
)


def test_french_number_and_date_formats():
    assert format_nombre(1234.5, 1) == f"1{ESPACE_FINE}234,5"
    assert format_nombre(123) == "123"
    assert format_nombre(None) == "–"
    assert format_euros(1234567.8) == f"1{ESPACE_FINE}234{ESPACE_FINE}568\u00a0€"
    assert format_date("2025-10-02") == "2 octobre 2025"
    assert format_date(dt.date(2024, 11, 1)) == "1er novembre 2024"


def test_the_region_facts_count_qpv_contrats_communes_and_epci(tiny_folder):
    from cartographie.domaine.fiches import territory_facts
    from cartographie.domaine.territoires import resolve_territory

    ref = load_reference(tiny_folder)
    facts = territory_facts(ref, resolve_territory(ref, "region"))
    assert [facts[k].value for k in ("nb_qpv", "nb_contrats", "communes_qpv", "nb_epci_qpv")] == [3, 2, 2, 2]
    assert facts["statuts"].text == "1 nouveau, 1 modifié, 1 inchangé"


def test_qpv_by_departement_totals(tiny_folder):
    table = qpv_by_departement(load_reference(tiny_folder))
    assert table["QPV 2024"].tolist() == [2, 1]
    assert table.loc[0, "Nouveau"] == 1 and table.loc[1, "Inchangé"] == 1


def test_qpv_sheet_and_picker(tiny_folder):
    ref = load_reference(tiny_folder)
    sheet = qpv_sheet(ref, "QN00101M")
    assert sheet.nom == "Les Tilleuls" and sheet.statut == "Modifié"
    assert sheet.codes_2015 == [("QP001001", "Tilleuls"), ("QP001002", "Gare")]
    assert sheet.contrat_code == "CN00101M" and sheet.communes == ["Aville (01001)"]
    assert qpv_sheet(ref, "QN00000X") is None
    assert qpv_options(ref)["QN00201I"] == "Le Plateau (Cœurville) – QN00201I"


def test_real_qpv_by_departement(real_reference):
    table = qpv_by_departement(real_reference).set_index("Code")
    assert table.loc["57", "QPV 2024"] == 26 and table["QPV 2024"].sum() == 123


def test_credit_values_per_contrat_of_the_generation_drawn(tiny_folder):
    ref = load_reference(tiny_folder)
    assert credit_values(ref, 2024).to_dict() == {"CN00101M": 7164.0}
    assert credit_values(ref, 2023, "postes").to_dict() == {"CV001": 1.0}


def test_contrat_sheet_links_the_2015_contrat_that_covered_its_qpv(tiny_folder):
    from cartographie.domaine.indicateurs import contrat_sheet

    ref = load_reference(tiny_folder)
    sheet = contrat_sheet(ref, "CN00101M")
    assert sorted(sheet.qpv["code_qp"]) == ["QN00101M", "QN00102N"]
    assert list(sheet.predecesseurs.contrats["code_cv"]) == ["CV001"]
    assert sheet.predecesseurs.statut == "documente"
    assert sheet.statuts == {"NOUVEAU": 1, "MODIFIE": 1, "INCHANGE": 0}
    history = credits_history(ref, "CN00101M")
    assert history["Année"].tolist() == [2023, 2024]
    assert contrat_sheet(ref, "CN99999X") is None


def test_contrat_choices_follow_the_filters_and_keep_the_current_one(tiny_folder):
    ref = load_reference(tiny_folder)
    assert contrat_choices(ref, ["CN00201I"]) == {"CN00201I": "02 - Cœurville"}
    assert contrat_choices(ref, []) == {"CN00101M": "01 - CA d'Aville", "CN00201I": "02 - Cœurville"}
    assert list(contrat_choices(ref, ["CN00201I"], keep="CN00101M")) == ["CN00201I", "CN00101M"]
    assert list(contrat_choices(ref, ["CN00201I"], keep="inconnu")) == ["CN00201I"]


def test_contrats_table_keeps_only_the_filtered_codes(tiny_folder):
    ref = load_reference(tiny_folder)
    assert contrats_table(ref, codes={"CN00201I"})["Code"].tolist() == ["CN00201I"]
    assert len(contrats_table(ref)) == 2


def test_a_territory_is_resolved_once_per_reference_data(tiny_folder):
    """A QPV's sheet resolves its comparable QPV on every run: each value is resolved once, per data loaded."""
    from cartographie.domaine.territoires import resolve_territory

    ref, other = load_reference(tiny_folder), load_reference(tiny_folder)
    first = resolve_territory(ref, "qpv:QN00101M")
    assert resolve_territory(ref, "qpv:QN00101M") is first
    assert "qpv:QN00101M" not in other.territoires_resolus  # another load has its own
    assert resolve_territory(other, "qpv:QN00101M") == first
    with pytest.raises(KeyError):
        resolve_territory(ref, "qpv:QN00000X")
    assert "qpv:QN00000X" not in ref.territoires_resolus  # an unknown code is not remembered
