"""Figures computed once: the credits ledger, notes on the rows they concern, the predecessor rule's close splits."""

from __future__ import annotations

import math

import pandas as pd

from cartographie.domaine.credits import ALERTE, NOTE, check_credits, credits_ledger
from cartographie.domaine.predecesseurs import covering_contrat


def _credits(rows: list[tuple]) -> pd.DataFrame:
    columns = ["dispositif", "annee", "id_poste", "raison_sociale", "montant", "code_cv", "insee_dep"]
    return pd.DataFrame(rows, columns=columns)


def test_a_note_sits_on_the_rows_it_concerns_and_on_the_regional_total():
    raw = _credits(
        [
            ("FONJEP", 2024, "P1", "Centre A", 7164.0, "CNA", "68"),  # kept: the first row of the post
            ("FONJEP", 2024, "P1", "Centre B", 7164.0, "CNB", "67"),  # set aside
            ("FONJEP", 2024, "P2", "Centre C", 7164.0, "CNC", "57"),
            ("FONJEP", 2024, "P3", "Sans contrat", 7164.0, None, "54"),
        ]
        + [("FONJEP", 2024, f"Q{i}", "X", 7164.0, "CNC", "57") for i in range(40)]
    )
    _, quality = check_credits(raw)
    discordant = [f for f in quality.findings if f.nature == "poste_discordant"]
    assert len(discordant) == 1 and discordant[0].niveau == NOTE
    assert "CNA" in discordant[0].message and "(retenue)" in discordant[0].message
    assert "CNB" in discordant[0].message and "(écartée)" in discordant[0].message
    about = {code: {f.nature for f in quality.about("cv", code, 2024)} for code in ("CNA", "CNB", "CNC")}
    assert about == {"CNA": {"poste_discordant"}, "CNB": {"poste_discordant"}, "CNC": set()}
    assert {f.nature for f in quality.about("dep", "54", 2024)} == {"sans_contrat"}
    assert {f.nature for f in quality.about("dep", "57", 2024)} == set()
    assert {f.nature for f in quality.about("region", "", 2024)} == {"doublons", "poste_discordant", "sans_contrat"}
    orphan = next(f for f in quality.findings if f.nature == "sans_contrat")
    assert "total de la région" in orphan.message and "totaux régionaux" not in orphan.message


def test_an_alert_concerns_every_figure_of_its_year_and_no_other():
    rows = [("adultes-relais", year, f"P{year}-{i}", "A", amount, "CN1", "57")
            for year, amount in ((2022, 21000.0), (2023, 22000.0), (2024, 22500.0), (2025, 7164.0))
            for i in range(20)]  # fmt: skip
    _, quality = check_credits(_credits(rows))
    assert [(f.annee, f.niveau) for f in quality.findings] == [(2025, ALERTE)]
    assert quality.about("cv", "CN_AILLEURS", 2025) and quality.about("dep", "10", 2025)
    assert not quality.about("cv", "CN1", 2024)


def test_the_ledger_computes_every_territory_once_with_2020_2023_through_the_predecessors():
    raw = _credits(
        [
            ("adultes-relais", 2022, "A1", "X", 0.1, "CV1", "57"),
            ("adultes-relais", 2022, "A2", "X", 0.2, "CV2", "57"),
            ("adultes-relais", 2022, "A3", "X", 100.0, "CV3", "54"),
            ("adultes-relais", 2024, "A4", "X", 50.0, "CN1", "57"),
            ("FONJEP", 2024, "F1", "X", 7164.0, None, "54"),
        ]
    )
    clean, _ = check_credits(raw)
    ledger = credits_ledger(
        clean,
        departements=["54", "57"],
        contrats_2015=["CV1", "CV2", "CV3"],
        predecessors={"CN1": ("CV1", "CV2"), "CN2": None},
    ).set_index(["niveau", "code", "annee", "dispositif"])
    assert ledger.loc[("cv", "CN1", 2022, "adultes-relais"), "montant"] == 0.3  # to the cent: no 0.30000000000000004
    assert ledger.loc[("cv", "CN1", 2022, "adultes-relais"), "postes"] == 2
    assert ledger.loc[("cv", "CN1", 2022, "adultes-relais"), "codes_source"] == ("CV1", "CV2")
    assert math.isnan(ledger.loc[("cv", "CN2", 2022, "adultes-relais"), "montant"])  # unknown, not 0
    assert ledger.loc[("cv", "CN2", 2024, "adultes-relais"), "montant"] == 0.0
    assert ledger.loc[("cv", "CN1", 2024, "adultes-relais"), "montant"] == 50.0
    assert ledger.loc[("cv2015", "CV3", 2022, "adultes-relais"), "montant"] == 100.0
    assert ledger.loc[("region", "", 2024, "FONJEP"), "montant"] == 7164.0  # a post on no contrat is in the total
    assert ledger.loc[("dep", "54", 2024, "FONJEP"), "montant"] == 7164.0
    assert ledger.loc[("dep", "57", 2022, "adultes-relais"), "montant"] == 0.3


def test_a_qpv_split_almost_evenly_between_two_2015_contrats_documents_neither():
    assert covering_contrat({"CV182": 0.515, "CV183": 0.485}) == (None, ("CV182", "CV183"))
    assert covering_contrat({"CV183": 0.797, "CV182": 0.203}) == ("CV183", ())
    assert covering_contrat({"CV1": 0.55}) == ("CV1", ())  # the rest lies outside every 2015 contrat
    assert covering_contrat({"CV1": 0.3}) == (None, ())
    assert covering_contrat({}) == (None, ())


def test_every_legend_of_the_credits_starts_its_first_class_at_the_smallest_value():
    from cartographie.rendu.carte import credit_class_labels

    values = pd.Series({"A": 7164.0, "B": 20000.0, "C": 50000.0, "D": 90000.0, "E": 150000.0, "F": 400000.0})
    labels = credit_class_labels(values, "montant")
    assert labels[0].startswith("7\u202f164\u00a0€") and not labels[0].startswith("0")
    assert len(labels) == 5 and labels[-1].endswith("400\u202f000\u00a0€")
