"""The questionnaire, answers, demo answers and the aggregations of the results, on small data."""

from __future__ import annotations

import pandas as pd
import pytest

from cartographie.domaine.enquete.demo import DEMO_LABEL, demo_answers, with_demo_column
from cartographie.domaine.enquete.mots_cles import fold_keyword, keyword_frequencies
from cartographie.domaine.enquete.questionnaire import AnswerError
from cartographie.domaine.enquete.resultats import results_answers, survey_title
from cartographie.domaine.enquete.validation import validate_answer
from cartographie.lecture import questionnaire as enquete
from cartographie.lecture.questionnaire import QuestionnaireError, load_questionnaire
from tests.aides.enquete import survey_answer as _answer


def test_the_questionnaire_covers_what_the_survey_asks(questionnaire):
    ids = {q.id for q in questionnaire.questions}
    assert {"type_acteur", "departement", "niveau_territoire", "role"} <= ids  # profile
    assert {"partenaires", "frequence", "formalisation", "leviers", "contraintes", "mot_cle", "commentaire"} <= ids
    scales = {q.id for q in questionnaire.of_type("echelle")}
    assert {"accord_volonte", "accord_but_commun", "accord_meme_territoire"} <= scales  # the three elements
    assert {"accord_confiance", "accord_temps", "accord_financement"} <= scales
    assert questionnaire.question("leviers").autre and questionnaire.question("leviers").max_choix == 3
    assert questionnaire.question("departement").options["57"] == "Moselle"
    assert questionnaire.edition(questionnaire.edition_courante).annee == 2026
    # Anonymous: nothing asks for a name or an address.
    assert not any(w in q.libelle.lower() for q in questionnaire.questions for w in ("nom ", "e-mail", "courriel"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ('type = "liste"', "type « liste » inconnu"),
        ('id = "Type-Acteur"', "identifiant invalide"),
        ('section = "inconnue"', "section « inconnue »"),
    ],
)
def test_a_mistake_in_the_questionnaire_names_the_question(tmp_path, change, message):
    text = enquete.QUESTIONNAIRE_FILE.read_text(encoding="utf-8")
    key = change.split(" = ")[0]
    original = {"type": 'type = "choix_unique"', "id": 'id = "type_acteur"', "section": 'section = "profil"'}[key]
    broken = tmp_path / "questionnaire.toml"
    broken.write_text(text.replace(original, change, 1), encoding="utf-8")
    with pytest.raises(QuestionnaireError, match=message) as error:
        load_questionnaire(broken)
    assert "questionnaire.toml" in str(error.value) and "question n°1" in str(error.value)


def test_a_duplicate_question_identifier_is_refused(tmp_path):
    text = enquete.QUESTIONNAIRE_FILE.read_text(encoding="utf-8").replace('id = "role"', 'id = "type_acteur"')
    broken = tmp_path / "questionnaire.toml"
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(QuestionnaireError, match="« type_acteur » est utilisé deux fois"):
        load_questionnaire(broken)


def test_answers_are_validated_with_french_messages(questionnaire):
    assert validate_answer(questionnaire, _answer(commentaire="  Très utile  "))["commentaire"] == "Très utile"
    with pytest.raises(AnswerError) as error:
        validate_answer(
            questionnaire,
            _answer(
                type_acteur=None,
                leviers=["interconnaissance", "temps_dedie", "outils", "soutien"],
                accord_temps="bof",
                role="autre",
                mot_cle="x",
            ),
        )
    text = " ".join(error.value.messages)
    assert "Pour quelle structure répondez-vous ? » : réponse obligatoire" in text
    assert "3 réponses au plus (4 cochées)" in text
    assert "valeur inconnue « bof »" in text
    assert "précisez « Autre »" in text
    assert "au moins deux lettres" in text


def test_unknown_keys_are_dropped_and_other_is_kept_only_when_chosen(questionnaire):
    clean = validate_answer(questionnaire, _answer(nom="Dupont", role="autre", role__autre="Coordinatrice"))
    assert "nom" not in clean and clean["role__autre"] == "Coordinatrice"
    assert "role__autre" not in validate_answer(questionnaire, _answer(role__autre="ignoré"))


def test_demo_answers_are_seeded_valid_and_about_a_hundred(questionnaire):
    first = demo_answers(questionnaire, "demo-1", 100)
    assert first == demo_answers(questionnaire, "demo-1", 100)
    assert len(first) == 100
    assert all(validate_answer(questionnaire, a) == a for a in first)
    assert first != demo_answers(questionnaire, "demo-2", 100)


def test_keywords_fold_case_accents_plurals_and_stop_words():
    assert fold_keyword("coopérations") == fold_keyword("Coopération") == "cooperation"
    assert fold_keyword("La confiance") == fold_keyword("confiances") == "confiance"
    assert fold_keyword("de la") == ""
    table = keyword_frequencies(["coopérations", "Coopération", "Coopération", "confiance", "le", ""])
    assert list(table["Mot-clé"]) == ["Coopération", "Confiance"]
    assert list(table["Occurrences"]) == [3, 1]


def test_demo_answers_only_while_no_real_answer_exists(questionnaire):
    by_edition, demo = results_answers(questionnaire, [])
    assert demo and {k: len(v) for k, v in by_edition.items()} == {"demo-1": 100, "demo-2": 80}
    stored = [{"edition": "2026", "reponses": _answer(), "etat_textes": "publiee"}]
    by_edition, demo = results_answers(questionnaire, stored)
    assert not demo and by_edition == {"2026": [_answer()]}
    assert results_answers(questionnaire, stored, "oui")[1] is True
    assert results_answers(questionnaire, [], "non") == ({}, False)


def test_demo_results_say_so_in_titles_and_exports(questionnaire):
    edition = questionnaire.edition("demo-1")
    assert survey_title("Partenaires", edition, 100, demo=True).endswith(DEMO_LABEL)
    assert "Démonstration 1 (réponses fictives)" in survey_title("Partenaires", edition, 100, demo=True)
    assert "(1 réponse)" in survey_title("Partenaires", edition, 1, demo=False)
    table = pd.DataFrame({"Réponse": ["a"], "Réponses": [1]})
    assert set(with_demo_column(table, True)["Nature des données"]) == {DEMO_LABEL}
    assert "Nature des données" not in with_demo_column(table, False)


def test_an_edition_comparison_title_names_both_editions_and_their_answers():
    from cartographie.domaine.enquete.resultats import comparison_title

    title = comparison_title("Fréquence", ("2021", "2026"), (100, 1), demo=True)
    assert title == f"Fréquence – éditions 2021 (100 réponses) et 2026 (1 réponse) – {DEMO_LABEL}"


def test_contact_details_are_masked_before_an_answer_is_stored(questionnaire):
    clean = validate_answer(
        questionnaire,
        _answer(
            mot_cle="Jean Dupont 0612345678",
            commentaire="Écrivez à jean.dupont@exemple.fr ou au +33 6 12 34 56 78, voir www.exemple.fr (2020-2021).",
        ),
    )
    assert clean["mot_cle"] == "Jean Dupont [masqué]"
    assert clean["commentaire"] == "Écrivez à [masqué] ou au [masqué], voir [masqué] (2020-2021)."
