"""What an edition publishes, on small frames: counts, families, family tables, keywords, comparison, detail.

Whether the hidden cells are protected together is tested in ``test_secret.py``, as an attacker.
"""

from __future__ import annotations

import pandas as pd
import pytest

from cartographie.domaine.enquete.publication import (
    ACCORD,
    AUTRES_FAMILLES,
    AUTRES_MOTS,
    AUTRES_REPONSES,
    DESACCORD,
    SANS_REPONSE_LIBELLE,
    Publication,
    compare_editions,
    detail_crosstab,
    display,
)
from cartographie.domaine.secret import MASQUE
from cartographie.lecture import questionnaire as enquete
from cartographie.lecture.questionnaire import QuestionnaireError, load_questionnaire
from tests.aides.enquete import survey_answer as _answer


def _many(count: int, **changes) -> list[dict]:
    return [_answer(**changes) for _ in range(count)]


def test_a_one_way_view_counts_respondents_and_their_share_of_the_edition(questionnaire):
    answers = _many(6, partenaires=["communes", "caf"]) + _many(5, partenaires=["etat"]) + _many(9, partenaires=None)
    view = Publication(questionnaire, answers).one_way("partenaires").set_index("Réponse")
    assert view.at["Communes", "Réponses"] == 6 and view.at["Communes", "Part (%)"] == 30.0  # of all 20 respondents
    assert view.at[SANS_REPONSE_LIBELLE, "Réponses"] == 9  # skipping is said, and counts like any answer
    assert view.at["Services de l'État", "Réponses"] == 5
    assert (view["Réponses"].dropna() == 0).sum() >= 3  # every answer is listed, so that editions compare


def test_small_counts_are_hidden_with_a_complement_and_listed_last(questionnaire):
    answers = _many(12, frequence="mensuelle") + _many(6, frequence="hebdomadaire") + _many(2, frequence="jamais")
    view = Publication(questionnaire, answers).one_way("frequence")
    assert list(view["Réponse"][:1]) == ["Chaque mois"] and view["Réponses"].iloc[0] == 12
    hidden = view[view["Réponses"].isna()]
    assert set(hidden["Réponse"]) == {"Jamais", "Chaque semaine"}  # 2, and 6 else 20 − 12 − 6 gives it away
    assert hidden["Part (%)"].isna().all()
    assert list(hidden.index) == sorted(hidden.index) and hidden.index.min() > view["Réponses"].notna().sum() - 1


def test_types_are_published_by_family_and_small_families_are_gathered_in_family_tables(questionnaire):
    answers = (
        _many(30, type_acteur="association")
        + _many(22, type_acteur="commune")
        + _many(12, type_acteur="caf")
        + _many(9, type_acteur="bailleur")
    )
    publication = Publication(questionnaire, answers)
    families = publication.one_way("type_acteur").set_index("Code")["Réponses"]
    assert families.to_dict() == {
        "associations_habitants": 30,
        "collectivites": 22,
        "etat_organismes": 12,
        "bailleurs_entreprises_autres": 9,
    }
    assert [(g.label, g.size) for g in publication.groups] == [
        ("Associations, centres sociaux et habitants", 30),
        ("Collectivités (communes, intercommunalités, départements)", 22),
        (AUTRES_FAMILLES, 21),
    ]
    assert publication.families()["État, CAF et Éducation nationale"] == [
        "Services de l'État (préfecture, délégué du préfet, DDETS…)",
        "Caisse d'allocations familiales",
        "Éducation nationale",
    ]


def test_a_family_table_gives_its_own_column_to_answers_cited_often_enough(questionnaire):
    answers = (
        _many(20, type_acteur="association", frequence="mensuelle")
        + _many(10, type_acteur="association", frequence="hebdomadaire")
        + _many(10, type_acteur="commune", frequence="mensuelle")
        + _many(10, type_acteur="commune", frequence="ponctuelle")
        + _many(10, type_acteur="commune", frequence="hebdomadaire")
    )
    publication = Publication(questionnaire, answers)
    assert publication.columns("frequence") == [
        ("Chaque mois", ["mensuelle"]),
        (AUTRES_REPONSES, ["hebdomadaire", "trimestrielle", "ponctuelle", "jamais"]),
    ]
    table = publication.cross("frequence").set_index("Famille d'acteurs")
    assert table.at["Associations, centres sociaux et habitants", "Chaque mois"] == 20
    assert table.at["Collectivités (communes, intercommunalités, départements)", AUTRES_REPONSES] == 20
    assert table["Réponses"].tolist() == [30, 30]
    scale = publication.cross("accord_volonte")
    assert list(scale.columns[2:]) == [DESACCORD, ACCORD]


def test_a_family_table_gathers_an_answer_whose_small_cell_cannot_be_hidden_safely(questionnaire):
    answers = (
        _many(18, type_acteur="association", frequence="mensuelle")
        + _many(2, type_acteur="association", frequence="hebdomadaire")
        + _many(8, type_acteur="association", frequence="jamais")
        + _many(22, type_acteur="commune", frequence="mensuelle")
        + _many(28, type_acteur="commune", frequence="hebdomadaire")
    )
    publication = Publication(questionnaire, answers)
    # « Chaque semaine » (30) has its own column by size, but its 2 could not be 0 or 5 whatever is hidden:
    # the commune's cell would be pinned to 2 or more by the column's total. It is gathered instead.
    assert [label for label, _ in publication.columns("frequence")] == ["Chaque mois", AUTRES_REPONSES]
    table = publication.cross("frequence")
    numbers = table.select_dtypes("number").astype(float).fillna(0).to_numpy()
    assert not ((numbers > 0) & (numbers < 5)).any()
    assert publication.one_way("frequence").set_index("Code").at["hebdomadaire", "Réponses"] == 30


def test_scales_read_as_statements_with_their_levels(questionnaire):
    answers = _many(10, accord_volonte="tout_a_fait") + _many(6, accord_volonte="plutot")
    table = Publication(questionnaire, answers).scales().set_index("Code")
    assert table.at["accord_volonte", "Tout à fait d'accord"] == 10
    assert table.at["accord_volonte", "Plutôt d'accord (%)"] == 37.5
    assert table.at["accord_volonte", "Pas du tout d'accord"] == 0


def test_keywords_cited_fewer_than_five_times_are_gathered(questionnaire):
    answers = _many(7, mot_cle="Confiance") + _many(2, mot_cle="Respect") + _many(1, mot_cle="Écoute")
    answers += _many(5, mot_cle=None)
    table = Publication(questionnaire, answers).keywords()
    assert table["Mot-clé"].tolist() == ["Confiance", AUTRES_MOTS]
    assert table["Occurrences"][0] == 7 and pd.isna(table["Occurrences"][1])  # 3: hidden
    assert "Respect" not in display(table)["Mot-clé"].tolist()


def test_a_comparison_keeps_the_questionnaire_order_and_hides_what_either_edition_hides(questionnaire):
    before = _many(15, frequence="mensuelle") + _many(5, frequence="jamais")
    after = _many(10, frequence="mensuelle")
    table = compare_editions(
        questionnaire,
        Publication(questionnaire, before),
        Publication(questionnaire, after),
        questionnaire.question("frequence"),
        ("2021", "2026"),
    ).set_index("Réponse")
    assert list(table.index) == list(questionnaire.question("frequence").options.values())
    assert table.at["Chaque mois", "2021 (%)"] == 75.0 and table.at["Chaque mois", "Écart (points)"] == 25.0
    assert table.at["Jamais", "Écart (points)"] == -25.0
    small = compare_editions(
        questionnaire,
        Publication(questionnaire, before),
        Publication(questionnaire, [*after, _answer(frequence="jamais")]),
        questionnaire.question("frequence"),
        ("a", "b"),
    ).set_index("Réponse")
    assert pd.isna(small.at["Jamais", "b (%)"]) and pd.isna(small.at["Jamais", "Écart (points)"])


def test_an_editors_detail_table_shows_every_count(questionnaire):
    answers = _many(3, type_acteur="caf", frequence="jamais") + _many(1, type_acteur="bailleur")
    table = detail_crosstab(
        questionnaire, answers, questionnaire.question("frequence"), questionnaire.question("type_acteur")
    ).set_index("Pour quelle structure répondez-vous ?")
    assert table.at["Caisse d'allocations familiales", "Jamais"] == 3
    assert table.at["Bailleur social", "Réponses"] == 1


def test_hidden_cells_read_the_same_in_every_table(questionnaire):
    table = pd.DataFrame({"Réponse": ["a", "b"], "Réponses": pd.array([12, pd.NA], dtype="Int64")})
    table["Part (%)"] = pd.array([66.7, pd.NA], dtype="Float64")
    assert display(table).to_dict("list") == {
        "Réponse": ["a", "b"],
        "Réponses": ["12", MASQUE],
        "Part (%)": ["66,7", MASQUE],
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ('types = ["bailleur", "entreprise", "autre"]', "« autre » n'est dans aucune famille"),
        ('types = ["bailleur", "entreprise", "autre", "caf"]', "« caf » est dans plusieurs familles"),
        ('types = ["bailleur", "entreprise", "autre", "inconnu"]', "type de structure inconnu « inconnu »"),
    ],
)
def test_every_type_of_structure_is_in_exactly_one_family(tmp_path, change, message):
    text = enquete.QUESTIONNAIRE_FILE.read_text(encoding="utf-8")
    original = 'types = ["bailleur", "entreprise", "autre"]'
    broken = tmp_path / "questionnaire.toml"
    replacement = change if "autre" not in message else 'types = ["bailleur", "entreprise"]'
    broken.write_text(text.replace(original, replacement, 1), encoding="utf-8")
    with pytest.raises(QuestionnaireError, match=message):
        load_questionnaire(broken)
