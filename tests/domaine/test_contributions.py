from __future__ import annotations

import pytest

from cartographie.domaine.contributions import (
    ValidationError,
    audit_table,
    experience_from_form,
    experience_lines,
    validate_experience,
)


def _form(**change):
    values = dict(
        titre="Un comité de quartier",
        resume="Des habitants et la ville se réunissent chaque mois.",
        statut="en_cours",
        periode="2024–2025",
        themes=["Jeunesse"],
        territoires=["qpv:QN00101M", "departement:54"],
        elements={},
        acteurs=[
            {"nom": "Ville d'Aville", "type": "commune", "role": "anime"},
            {"nom": None, "type": None, "role": None},  # the editor's empty line
            {"nom": float("nan"), "type": "association", "role": ""},
        ],
    )
    values.update(change)
    return experience_from_form(**values)


def test_the_proposal_form_becomes_what_the_validator_reads():
    data = _form()
    assert data["territoires"] == [{"type": "qpv", "code": "QN00101M"}, {"type": "departement", "code": "54"}]
    assert data["acteurs"] == [{"nom": "Ville d'Aville", "type": "commune", "role": "anime"}]


def test_an_actor_with_missing_cells_gets_empty_texts_not_nan():
    data = _form(acteurs=[{"nom": "Centre social", "type": "association", "role": float("nan")}])
    assert data["acteurs"] == [{"nom": "Centre social", "type": "association", "role": ""}]


def test_an_empty_title_is_refused_in_french():
    with pytest.raises(ValidationError) as raised:
        validate_experience(_form(titre="  "))
    assert any("titre" in message.lower() for message in raised.value.messages)


def test_pending_lines_and_audit_table_read_in_words():
    lines = experience_lines(
        {
            "statut": "en_cours",
            "territoires": [],
            "acteurs": [{"nom": "Centre social", "type": "association", "role": "porte"}],
        }
    )
    assert lines["territoires"] == "hors région"
    assert lines["acteurs"] == ["Centre social (Association) : porte"]
    located = {"statut": "idee", "acteurs": [], "territoires": [{"type": "commune", "code": "54547"}]}
    assert experience_lines(located)["territoires"] == "Commune 54547"
    named = {"commune:54547": "Commune Vandœuvre-lès-Nancy (54547)"}
    assert experience_lines(located, named)["territoires"] == "Commune Vandœuvre-lès-Nancy (54547)"
    table = audit_table(
        [
            {"quand": "2025-10-02T12:05:00+00:00", "qui": "anne", "action": "approbation", "objet": "experience",
             "objet_id": 3},
            {"quand": "2026-01-15T08:00:00", "qui": "public", "action": "reponses", "objet": "enquete",
             "objet_id": None},
        ]
    )  # fmt: skip
    assert list(table.columns) == ["Quand", "Qui", "Action", "Objet", "N°"] and table.loc[0, "N°"] == "3"
    assert table.loc[0, "Quand"] == "2 octobre 2025 à 14 h 05 (heure de Paris)"  # summer time
    assert table.loc[1, "Quand"] == "15 janvier 2026 à 9 h 00 (heure de Paris)"  # winter time, naive = UTC
    assert table.loc[0, "Action"] == "Approbation" and table.loc[0, "Objet"] == "Expérience de coopération"
    assert table.loc[1].to_dict() == {
        "Quand": "15 janvier 2026 à 9 h 00 (heure de Paris)",
        "Qui": "Public (formulaire)",
        "Action": "Réponses à l'enquête enregistrées",
        "Objet": "Enquête",
        "N°": "",
    }
    assert audit_table([]).empty
