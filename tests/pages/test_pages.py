"""Every page through streamlit.testing.v1.AppTest, on the real reference folder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cartographie import config
from cartographie.domaine.comptes import shared_account
from cartographie.domaine.formats import format_nombre
from cartographie.lecture.enquete_import import MAX_ROWS
from cartographie.lecture.questionnaire import load_questionnaire

PAGES = sorted(str(p.relative_to(config.PROJECT_DIR)) for p in (config.PROJECT_DIR / "pages").glob("*.py"))


def _run(page: str) -> AppTest:
    """Run the app through its entry point (navigation included), on the given page."""
    at = AppTest.from_file(str(config.PROJECT_DIR / "app.py"), default_timeout=120)
    at.switch_page(page)
    return at.run()


def _run_with(page: str, **query: str) -> AppTest:
    """Run the app on ``page`` opened at an address with ``query`` (a shared link, a bookmark)."""
    at = AppTest.from_file(str(config.PROJECT_DIR / "app.py"), default_timeout=120)
    at.switch_page(page)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def _run_direct(page: str) -> AppTest:
    """Run one page script on its own (without app.py's navigation)."""
    return AppTest.from_file(str(config.PROJECT_DIR / page), default_timeout=120).run()


def test_every_page_is_declared_in_the_navigation():
    entry = (config.PROJECT_DIR / "app.py").read_text(encoding="utf-8")
    assert all(f'"{page}"' in entry for page in PAGES)


@pytest.mark.parametrize("script", PAGES)
def test_page_renders_without_exception(script, real_folder, monkeypatch):
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    at = _run(script)
    assert not at.exception, at.exception
    assert not at.error


#: Pages that work without the reference data (they say what is missing, or need nothing from it).
WITHOUT_REFERENCE = {"pages/enquete.py", "pages/importer.py", "pages/resultats.py"}
NO_REFERENCE = {"pages/direct.py", "pages/moderation.py"}


@pytest.mark.parametrize("script", PAGES)
def test_page_without_data_explains_in_french(script, tmp_path: Path, monkeypatch, contributions):
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(tmp_path / "vide"))
    at = _run(script)
    assert not at.exception, at.exception
    if script in NO_REFERENCE:
        assert not any("introuvables" in e.value for e in [*at.error, *at.warning])
        return
    messages = at.warning if script in WITHOUT_REFERENCE else at.error
    assert "introuvables" in messages[0].value
    assert any(config.UPDATE_COMMAND in m.value for m in at.markdown)
    assert not any(str(tmp_path) in m.value for m in at.markdown)  # the server's folder: editors only
    if script in WITHOUT_REFERENCE:
        assert "fonctionne sans les données de référence" in at.info[0].value


def test_the_survey_takes_answers_when_the_reference_data_are_broken(tiny_folder, monkeypatch, contributions):
    (tiny_folder / "qpv_2024_test.geojson").write_text("{ cassé", encoding="utf-8")
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(tiny_folder))
    at = _fill_survey(_run_direct("pages/enquete.py"))
    assert "inutilisables" in at.warning[0].value
    at.button(key="enquete_envoyer").click().run()
    assert not at.exception and "Merci" in at.success[0].value
    assert contributions.survey_answers()[0]["reponses"]["departement"] == "57"  # departments from the manifest


def test_the_data_folder_is_shown_to_editors_only(real_folder, monkeypatch):
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    visitor = _run("pages/accueil.py")
    assert not any(str(real_folder) in c.value for c in visitor.caption)
    at = AppTest.from_file(str(config.PROJECT_DIR / "pages/accueil.py"), default_timeout=120)
    at.session_state["editeur"] = shared_account("Camille")
    at.run()
    assert any(str(real_folder) in c.value for c in at.caption)


def test_home_shows_key_figures_and_department_table(real_folder, monkeypatch):
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    at = _run("pages/accueil.py")
    assert [m.value for m in at.metric] == ["123", "39", "73", "39"]
    table = at.dataframe[0].value
    assert table["QPV 2024"].sum() == 123


def test_map_page_shows_the_sheet_of_the_chosen_qpv(real_folder, monkeypatch):
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    at = _run("pages/carte.py")
    assert at.info and "Cliquez" in at.info[0].value
    at.selectbox(key="qpv_choisi").set_value("QN05415M").run()
    assert not at.exception
    assert "Plateau De Haye Nancy - Maxéville" in [h.value.replace("\\", "") for h in at.header]  # the sheet: h2
    sheet = next(m.value for m in at.markdown if m.value.startswith("**Code**"))
    assert "QN05415M" in sheet and "Maxéville" in sheet and "CN05403M" in sheet and "QP054015" in sheet


def test_map_page_status_filter_and_every_layer_rerun_cleanly(real_folder, monkeypatch):
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    at = _run("pages/carte.py")
    at.multiselect(key="filtre_statuts").set_value(["NOUVEAU"]).run()
    assert at.markdown[0].value.startswith("**8** quartiers")
    at.multiselect(key="filtre_couches").set_value(
        ["epci", "communes", "contrats_2015", "credits", "experiences"]
    ).run()
    assert not at.exception
    at.selectbox(key="credits_annee").set_value(2021).run()
    at.radio(key="credits_mesure").set_value("postes").run()
    assert not at.exception
    assert at.query_params["couches"] == "epci,communes,contrats_2015,credits,experiences"
    assert at.query_params["annee"] == "2021" and at.query_params["mesure"] == "postes"


def test_choosing_a_department_narrows_epci_options_and_the_table(real_folder, monkeypatch):
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    at = _run("pages/carte.py")
    all_epci = len(at.multiselect(key="filtre_epci").options)
    at.multiselect(key="filtre_departements").set_value(["57"]).run()
    epci_57 = at.multiselect(key="filtre_epci").options
    assert 0 < len(epci_57) < all_epci
    table = at.dataframe[0].value
    assert len(table) == 26 and set(table["Département (code)"]) == {"57"}
    assert at.query_params["dep"] == "57"


def test_an_empty_selection_says_so_in_french(real_folder, monkeypatch):
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    # The filters narrow each other, so an empty selection comes from a link (Haute-Marne has no new QPV).
    at = AppTest.from_file(str(config.PROJECT_DIR / "app.py"), default_timeout=120)
    at.switch_page("pages/carte.py")
    at.query_params.update({"dep": "52", "statut": "NOUVEAU"})
    at.run()
    assert not at.exception
    assert "Aucun quartier prioritaire ne correspond" in at.warning[0].value
    assert len(at.dataframe[0].value) == 0


def test_the_url_restores_the_view(real_folder, monkeypatch):
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    at = AppTest.from_file(str(config.PROJECT_DIR / "app.py"), default_timeout=120)
    at.switch_page("pages/carte.py")
    at.query_params.update({"dep": "57", "statut": "NOUVEAU", "qpv": "QN05725N", "couches": "epci,inconnue"})
    at.run()
    assert not at.exception
    assert at.multiselect(key="filtre_departements").value == ["57"]
    assert at.multiselect(key="filtre_statuts").value == ["NOUVEAU"]
    assert at.multiselect(key="filtre_couches").value == ["epci"]
    assert at.selectbox(key="qpv_choisi").value == "QN05725N"
    assert len(at.dataframe[0].value) == 2
    # The link of the view, without st.code (whose highlighter slows the map's first draw).
    link = next(m.value for m in at.markdown if m.value.startswith("**Lien vers cette vue**"))
    assert "(?dep=57&statut=NOUVEAU&qpv=QN05725N&couches=epci)" in link
    assert not at.code


def test_search_ignores_accents_and_opens_a_commune_filter(real_folder, monkeypatch):
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    at = _run("pages/carte.py")
    at.text_input(key="recherche").set_value("vandoeuvre").run()
    hit = next(b for b in at.button if "Vandœuvre-lès-Nancy" in b.label)
    hit.click().run()
    assert at.multiselect(key="filtre_communes").value == ["54547"]
    assert all("Vandœuvre" in c for c in at.dataframe[0].value["Commune(s)"])


def _frame_with(at, column: str):
    """The first table of the page that has ``column``."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _links(at) -> set[tuple[str, str]]:
    """(page address, query string) of every link to another page's view."""
    return {(link.proto.page, link.proto.query_string) for link in at.get("page_link")}


def test_a_contrat_sheet_shows_its_qpv_and_credits(real_folder, monkeypatch):
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    at = _run_with("pages/contrats.py", contrat="CN05403M")
    assert not at.exception
    assert at.selectbox(key="contrat_choisi").value == "CN05403M"
    qpv = _frame_with(at, "Nom du quartier")
    assert len(qpv) == 8 and "QN05415M" in set(qpv["Code QPV"])
    credits = _frame_with(at, "Année")
    assert set(credits["Année"]) == {2020, 2021, 2022, 2023, 2024, 2025}
    assert "Qualité des données" in credits.columns
    assert ("carte", "cv=CN05403M") in _links(at)  # same tab, the browser's back button returns
    assert any(h.value == "Crédits adultes-relais et FONJEP par année" for h in at.subheader)  # not « Postes »
    assert any("Données douteuses" in w.value and "2025" in w.value for w in at.warning)
    assert at.selectbox(key="contrats_annee_credits").value == 2024  # the latest year without an alert
    assert "Crédits 2024 (€)" in _frame_with(at, "Porteur").columns
    headers = [h.value for h in at.header]
    assert headers.index("Fiche d'un contrat de ville") < headers.index("Tous les contrats de ville")
    # 2020–2023: the list shows each contrat's predecessors' credits, as its sheet does (it showed 0 € for all 39).
    at.selectbox(key="contrats_annee_credits").set_value(2022).run()
    listed = _frame_with(at, "Porteur")
    assert listed["Crédits 2022 (€)"].sum() > 8_000_000 and "Origine des crédits 2022" in listed.columns
    assert any("Total de la région Grand Est en 2022" in c.value for c in at.caption)


def test_the_results_edition_picker_says_demo_answers_are_fictitious(contributions):
    at = _run("pages/resultats.py")
    picker = at.selectbox(key="resultats_edition")
    assert picker.options and all("données fictives de démonstration" in o for o in picker.options)


def test_meetings_filters_narrow_the_timeline_and_a_sheet_lists_its_workshops(real_folder, monkeypatch):
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    at = _run("pages/rencontres.py")
    figure_points = len(at.dataframe[0].value)
    at.multiselect(key="rencontres_types").set_value(["rencontre_territoriale"]).run()
    assert len(at.dataframe[0].value) == 3 < figure_points
    at.selectbox(key="evenement_choisi").set_value("journee-2025-10-02").run()
    assert not at.exception
    assert any(m.value.startswith("**Ateliers (8)**") for m in at.markdown)
    assert at.query_params["evt"] == "journee-2025-10-02"


def test_a_qpv_sheet_lists_the_workshop_held_about_it(real_folder, monkeypatch):
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    at = _run("pages/carte.py")
    at.selectbox(key="qpv_choisi").set_value("QN01003M").run()
    assert not at.exception
    links = _links(at)
    assert ("rencontres", "evt=atelier-2025-10-02-isolement") in links
    assert ("contrats", "contrat=CN01001M") in links  # the QPV's contrat, one click away
    # The screen shows the sections of the printed sheet: no credits of its own, said; its experiences.
    assert any("pas aux quartiers" in c.value for c in at.caption)
    assert any(m.value == "**Expériences de coopération**" for m in at.markdown)


@pytest.fixture
def contributions(tmp_path, monkeypatch, real_folder):
    """An empty SQLite contribution store for the page, and the real reference data."""
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    monkeypatch.setenv("CARTOGRAPHIE_BASE_SQLITE", str(tmp_path / "contributions.sqlite3"))
    monkeypatch.delenv("CARTOGRAPHIE_BASE", raising=False)
    from cartographie.stockage.store import open_store

    return open_store(f"sqlite:///{tmp_path / 'contributions.sqlite3'}")


def test_moderation_stays_closed_without_an_account_a_provider_or_a_password_hash(contributions, monkeypatch):
    monkeypatch.delenv("CARTOGRAPHIE_EDITEUR_HASH", raising=False)
    at = _run("pages/moderation.py")
    assert not at.exception and not at.text_input
    assert "fermé" in at.warning[0].value
    assert any("python -m cartographie.auth creer" in m.value for m in at.markdown)


def test_a_proposal_reaches_the_queue_and_is_public_only_once_approved(contributions, monkeypatch):
    from cartographie.stockage.connexion import hash_password

    monkeypatch.setenv("CARTOGRAPHIE_EDITEUR_HASH", hash_password("mot de passe des éditeurs"))
    # Forms are driven on the page script itself: under AppTest, a form submitted through
    # st.navigation loses its click (AppTest resets Streamlit's page mode at every run).
    at = _run_direct("pages/rencontres.py")
    at.text_input(key="proposition_titre").set_value("Rencontre <b>oubliée</b>")
    at.text_area(key="proposition_contenu").set_value("Une rencontre à Épinal en juin 2025.")
    at.button(key="proposition_envoyer").click().run()
    assert not at.exception and "Merci" in at.success[0].value
    assert contributions.rencontres_proposees() == []
    assert len(contributions.rencontres_proposees(etats=("en_attente",))) == 1

    at = _run_direct("pages/moderation.py")
    at.text_input(key="editeur_identifiant").set_value("Camille")
    at.text_input(key="editeur_mdp").set_value("mauvais")
    at.button(key="editeur_connexion").click().run()
    assert "Identifiant ou mot de passe incorrect" in at.error[0].value
    at.text_input(key="editeur_mdp").set_value("mot de passe des éditeurs")
    at.button(key="editeur_connexion").click().run()
    assert not at.exception
    assert any("1** proposition(s) en attente" in m.value for m in at.markdown)
    item = contributions.rencontres_proposees(etats=("en_attente",))[0]["id"]
    at.button(key=f"approuver_rencontre_{item}").click().run()
    assert [p["id"] for p in contributions.rencontres_proposees()] == [item]
    assert [(e["qui"], e["identifiant"], e["methode"]) for e in contributions.audit_log()][:1] == [
        ("compte commun – Camille", "compte-commun", "commun")
    ]  # the shared password: the log says so
    # Accepted, it is shown on the meetings page, as text (its <b> is not bold).
    at = _run_direct("pages/rencontres.py")
    shown = [m.value for m in at.markdown if "oubliée" in m.value]
    assert shown and "\\<b\\>" in shown[0] and "acceptée le " in shown[0] and "Épinal en juin 2025" in shown[0]


def test_cooperation_filters_narrow_the_list(contributions):
    at = _run("pages/cooperations.py")
    assert not at.exception
    assert len(at.dataframe[0].value) == 7
    at.multiselect(key="coop_types").set_value(["caf"]).run()
    assert len(at.dataframe[0].value) == 2


def test_an_experience_proposal_waits_for_moderation(contributions):
    at = _run_direct("pages/cooperations.py")
    at.text_input(key="prop_titre").set_value("Un atelier <b>parents</b> à Épinal")
    at.text_area(key="prop_resume").set_value("Le centre social et la CAF coconstruisent un atelier.")
    at.multiselect(key="prop_territoires").set_value(["commune:88160"])
    at.button(key="prop_envoyer").click().run()
    assert not at.exception and "Merci" in at.success[0].value
    assert contributions.experiences() == []
    pending = contributions.experiences(etats=("en_attente",))
    assert [p["titre"] for p in pending] == ["Un atelier <b>parents</b> à Épinal"]
    assert len(_run("pages/cooperations.py").dataframe[0].value) == 7  # not public yet
    contributions.approve_experience(pending[0]["id"], "editeur")
    assert len(_run("pages/cooperations.py").dataframe[0].value) == 8


def test_an_invalid_proposal_is_explained(contributions):
    at = _run_direct("pages/cooperations.py")
    at.text_input(key="prop_titre").set_value("Sans territoire")
    at.button(key="prop_envoyer").click().run()
    assert "Proposition non enregistrée" in at.error[0].value and "territoire" in at.error[0].value
    assert contributions.is_empty()


def _fill_survey(at: AppTest) -> AppTest:
    """Answer every required question of the form."""
    for key, value in {
        "q_type_acteur": "centre_social",
        "q_niveau_territoire": "quartier",
        "q_role": "intervenant",
        "q_frequence": "hebdomadaire",
        "q_formalisation": "comite",
        **{f"q_accord_{k}": "tout_a_fait" for k in ("volonte", "but_commun", "meme_territoire", "confiance")},
        "q_accord_temps": "plutot_pas",
        "q_accord_financement": "plutot_pas",
    }.items():
        at.radio(key=key).set_value(value)
    at.selectbox(key="q_departement").set_value("57")
    at.multiselect(key="q_partenaires").set_value(["caf", "habitants"])
    at.multiselect(key="q_leviers").set_value(["interconnaissance"])
    at.multiselect(key="q_contraintes").set_value(["manque_temps"])
    at.text_input(key="q_mot_cle").set_value("Coopérations")
    return at


def test_results_show_demo_answers_with_a_banner_only_while_no_answer_exists(contributions):
    at = _run("pages/resultats.py")
    assert not at.exception
    assert "Données fictives de démonstration" in at.warning[0].value
    shown = list(at.dataframe[0].value["Réponse"])  # the latest demo edition, type of structure: by family
    assert shown == [f.libelle for f in load_questionnaire().familles]
    for vue in ["Éléments déterminants", "Tableaux croisés", "Mots-clés", "Carte", "Comparaison des éditions"]:
        at.radio(key="resultats_vue").set_value(vue).run()
        assert not at.exception, vue
        assert "Données fictives de démonstration" in at.warning[0].value
    # A visitor crosses by actor family only; the detail is for editors.
    at.radio(key="resultats_vue").set_value("Tableaux croisés").run()
    assert at.radio(key="resultats_croise_par").options == ["Famille d'acteurs"]


def test_every_results_view_shows_the_numbers_the_edition_publishes(contributions):
    """Each view's table is the edition's publication, computed once (the slide and the exports read it too)."""
    from cartographie.domaine.enquete.demo import DEMO_EDITIONS, DEMO_SIZES, demo_answers
    from cartographie.domaine.enquete.publication import Publication, compare_editions, crossable_questions, display

    questionnaire = load_questionnaire().with_departements({"57": "Moselle"})  # departments aside, same answers
    edition, other = DEMO_EDITIONS[1], DEMO_EDITIONS[0]
    publication = Publication(questionnaire, demo_answers(questionnaire, edition.id, DEMO_SIZES[1]))
    at = _run("pages/resultats.py")
    assert at.selectbox(key="resultats_edition").value == edition.id
    for question in questionnaire.of_type("choix_unique", "choix_multiple"):
        at.selectbox(key="resultats_question").set_value(question.id).run()
        expected = display(publication.one_way(question.id).drop(columns="Code"))
        pd.testing.assert_frame_equal(at.dataframe[0].value.reset_index(drop=True), expected, check_dtype=False)
    at.radio(key="resultats_vue").set_value("Éléments déterminants").run()
    expected = display(publication.scales().drop(columns="Code"))
    pd.testing.assert_frame_equal(at.dataframe[0].value.reset_index(drop=True), expected, check_dtype=False)
    at.radio(key="resultats_vue").set_value("Tableaux croisés").run()
    crossed = [q for q in crossable_questions(questionnaire) if publication.crossed(q)]
    assert len(at.selectbox(key="resultats_croise_question").options) == len(crossed)
    for question_id in crossed:
        at.selectbox(key="resultats_croise_question").set_value(question_id).run()
        expected = display(publication.cross(question_id))
        pd.testing.assert_frame_equal(at.dataframe[0].value.reset_index(drop=True), expected, check_dtype=False)
    at.radio(key="resultats_vue").set_value("Mots-clés").run()
    expected = display(publication.keywords())
    pd.testing.assert_frame_equal(at.dataframe[0].value.reset_index(drop=True), expected, check_dtype=False)
    at.radio(key="resultats_vue").set_value("Comparaison des éditions").run()
    at.selectbox(key="resultats_comparaison_question").set_value("frequence").run()
    before = Publication(questionnaire, demo_answers(questionnaire, other.id, DEMO_SIZES[0]))
    labels = (other.label, edition.label)
    expected = display(
        compare_editions(questionnaire, before, publication, questionnaire.question("frequence"), labels)
    )
    pd.testing.assert_frame_equal(at.dataframe[0].value.reset_index(drop=True), expected, check_dtype=False)


def test_answering_the_form_adds_one_answer_to_the_results(contributions):
    at = _run_direct("pages/enquete.py")
    at.button(key="enquete_envoyer").click().run()
    summary = at.error[0].value
    assert "pas encore enregistrées" in summary and "réponse obligatoire" in summary.lower()
    assert "](#question-type_acteur)" in summary  # each error links to its question…
    at_question = [h.proto.body for h in at.get("html") if "enquete-erreur" in h.proto.body]
    assert any('id="question-type_acteur"' in body for body in at_question)  # …where it is shown again
    assert contributions.survey_answers() == []
    # « Autre » asks for its precision only once chosen.
    assert "q_role__autre" not in [w.key for w in at.text_input]
    at.radio(key="q_role").set_value("autre").run()
    assert "q_role__autre" in [w.key for w in at.text_input]
    _fill_survey(at).button(key="enquete_envoyer").click().run()
    assert not at.exception and "Merci" in at.success[0].value
    stored = contributions.survey_answers()
    assert [(r["edition"], r["origine"]) for r in stored] == [("2026", "formulaire")]
    assert stored[0]["reponses"]["departement"] == "57"

    at = _run("pages/resultats.py")
    assert not at.exception and not at.warning  # a real answer: no demo any more
    assert "ne sont pas publiés" in at.info[0].value and not at.dataframe  # one answer: results not public

    at = AppTest.from_file(str(config.PROJECT_DIR / "pages/resultats.py"), default_timeout=120)
    at.session_state["editeur"] = shared_account("Camille")  # an editor sees them, marked as not published
    at.run()
    assert not at.exception and "non publiés" in at.warning[0].value
    at.selectbox(key="resultats_question").set_value("frequence").run()
    table = at.dataframe[0].value.set_index("Réponse")
    assert table.at["Chaque semaine", "Réponses"] == "masqué" and table.at["Chaque semaine", "Part (%)"] == "masqué"
    at.radio(key="resultats_vue").set_value("Mots-clés").run()
    assert at.dataframe[0].value.empty  # the respondent's own words wait for an editor, even for editors' results
    contributions.set_answer_state(stored[0]["id"], "publiee", "Camille")
    at.run()
    # One keyword: gathered and hidden for everyone; the editors' detail names it, marked as not for publication.
    assert display_keywords(at) == ["Autres mots-clés (cités moins de 5 fois chacun)"]
    assert list(at.dataframe[1].value["Mot-clé"]) == ["Coopérations"]  # in « Tous les mots-clés »


def display_keywords(at) -> list[str]:
    return list(at.dataframe[0].value["Mot-clé"])


def test_editors_can_force_the_demo_answers_back(contributions, monkeypatch):
    from cartographie.stockage.connexion import hash_password

    contributions.add_survey_answers("2026", [{"type_acteur": "caf"}], origine="import")
    monkeypatch.setenv("CARTOGRAPHIE_EDITEUR_HASH", hash_password("mot de passe des éditeurs"))
    at = _run_direct("pages/importer.py")
    at.text_input(key="editeur_identifiant").set_value("Camille")
    at.text_input(key="editeur_mdp").set_value("mot de passe des éditeurs")
    at.button(key="editeur_connexion").click().run()
    at.radio(key="enquete_demo_mode").set_value("oui")
    at.button(key="enquete_demo_enregistrer").click().run()
    assert not at.exception
    assert contributions.setting("enquete_demo") == "oui"
    assert "Données fictives" in _run("pages/resultats.py").warning[0].value


def test_the_import_page_is_for_editors_only(contributions, monkeypatch):
    monkeypatch.delenv("CARTOGRAPHIE_EDITEUR_HASH", raising=False)
    at = _run("pages/importer.py")
    assert not at.exception and "fermé" in at.warning[0].value
    assert not at.get("file_uploader")
    intro = at.markdown[0].value  # its commas survive (a former « .replace(",", " ") » ate them)
    assert "des points-virgules, en UTF-8 ou en Windows-1252, ou classeur XLSX" in intro
    assert f"{format_nombre(MAX_ROWS)} réponses au plus" in intro


def test_a_live_keyword_is_shown_then_hidden_by_an_editor(contributions, monkeypatch):
    from cartographie.domaine import salle
    from cartographie.stockage.connexion import hash_password

    monkeypatch.setattr(salle, "MIN_DWELL", 0.0)  # this test types faster than a person: the pace is tested apart
    monkeypatch.setattr(salle, "MIN_GAP", 0.0)
    at = _run_direct("pages/direct.py")
    assert at.query_params["session"]  # today's session, kept in the URL
    session = at.query_params["session"]
    at.text_input(key="mot_cle_saisie").set_value("<b>Confiance</b>")
    at.button(key="mot_cle_envoyer").click().run()
    assert not at.exception and "Merci" in at.success[0].value
    for refused in ("x", "!!!", "4 2"):
        at.text_input(key="mot_cle_saisie").set_value(refused)
        at.button(key="mot_cle_envoyer").click().run()
        assert "au moins deux lettres" in at.error[0].value
    assert not at.dataframe  # a phone gets the form, the room's keywords only on demand
    at.toggle(key="direct_voir").set_value(True).run()
    assert list(at.dataframe[0].value["Mot-clé"]) == ["<b>Confiance</b>"]
    for mot in ("Écoute", "Temps", "Encore un"):
        at.text_input(key="mot_cle_saisie").set_value(mot)
        at.button(key="mot_cle_envoyer").click().run()
    assert "déjà proposé 3 mots-clés" in at.warning[0].value  # three per participant
    assert len(contributions.keywords(session)) == 3

    monkeypatch.setenv("CARTOGRAPHIE_EDITEUR_HASH", hash_password("mot de passe des éditeurs"))
    at = _run_direct("pages/moderation.py")
    at.text_input(key="editeur_identifiant").set_value("Camille")
    at.text_input(key="editeur_mdp").set_value("mot de passe des éditeurs")
    at.button(key="editeur_connexion").click().run()
    mot = contributions.keywords(session)[0]
    at.button(key=f"masquer_mot_{mot['id']}").click().run()
    assert [k["mot"] for k in contributions.keywords(session)] == ["Écoute", "Temps"]
    assert [k["masque"] for k in contributions.keywords(session, include_hidden=True)] == [True, False, False]
    at = _run_direct("pages/direct.py")
    at.toggle(key="direct_voir").set_value(True).run()
    assert "<b>Confiance</b>" not in list(at.dataframe[0].value["Mot-clé"])  # hidden at once, despite the shared counts


def test_presentation_setup_puts_every_choice_in_the_url(contributions):
    at = _run_direct("pages/presentation.py")
    assert not at.exception
    at.multiselect(key="presentation_diapos").set_value(["mots", "carte", "chiffres"])
    at.selectbox(key="presentation_territoire").set_value("dep:57")
    at.select_slider(key="presentation_intervalle").set_value(30)
    at.text_input(key="presentation_session").set_value("journée régionale")
    at.button(key="presentation_lancer").click().run()
    assert not at.exception
    assert at.query_params["diapos"] == "mots,carte,chiffres"
    assert at.query_params["territoire"] == "dep:57"
    assert at.query_params["intervalle"] == "30" and at.query_params["session"] == "journée régionale"
    assert at.query_params["ecran"] == "1"
    # The same link, opened again, gives the same settings back.
    from cartographie.domaine.presentation import Settings

    params = {k: at.query_params[k] for k in ("diapos", "territoire", "intervalle", "session")}
    again = Settings.from_query(params, {"region", "dep:57"})
    assert again == Settings(("mots", "carte", "chiffres"), "dep:57", 30, "journée régionale")
    assert again.to_query() == params


@pytest.mark.parametrize("territoire", ["region", "dep:57", "cv:CN05403M"])
def test_every_slide_renders_on_real_data(contributions, territoire):
    from cartographie.domaine.presentation import SLIDES

    contributions.add_keyword("seance", "Confiance")
    at = AppTest.from_file(str(config.PROJECT_DIR / "pages" / "presentation.py"), default_timeout=120)
    at.query_params.update({"ecran": "1", "territoire": territoire, "session": "seance", "intervalle": "120"})
    at.run()
    seen = []
    for _ in SLIDES:
        assert not at.exception, at.exception
        blocks = [h.value for h in at.get("html")]
        seen.append(next(b for b in blocks if 'class="diapo-entete"' in b))
        if "Ce que disent les acteurs" in seen[-1]:  # no real answer yet: the survey slide says so
            assert any("Données fictives de démonstration" in b for b in blocks)
        at.button(key="diapo_suivante").click().run()
    for number, title in enumerate(SLIDES.values(), start=1):
        assert title in seen[number - 1] and f"{number} / {len(SLIDES)}" in seen[number - 1]


def test_pages_leave_the_shared_reference_data_intact(real_folder, monkeypatch):
    # The reference data and the map layers are shared by every session (st.cache_resource):
    # a page that modified them would change what every other visitor sees.
    import pandas as pd

    from cartographie.lecture.reference import load_reference
    from cartographie.rendu.carte import prepare_map_layers
    from cartographie.ui import cache

    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    at = _run("pages/carte.py")
    at.multiselect(key="filtre_couches").set_value(
        ["epci", "communes", "contrats_2015", "credits", "experiences"]
    ).run()
    at.selectbox(key="qpv_choisi").set_value("QN05415M").run()
    at.multiselect(key="filtre_departements").set_value(["54"]).run()
    assert not at.exception
    for page in ("pages/contrats.py", "pages/accueil.py", "pages/rencontres.py", "pages/cooperations.py"):
        at.switch_page(page).run()
        assert not at.exception, page

    signature = cache._folder_signature(real_folder)
    shared = cache._cached_page_reference(str(real_folder), signature)
    fresh = load_reference(real_folder)
    for name in ("qpv", "contrats_2024", "contrats_2015", "epci", "communes", "departements", "credits"):
        frame = getattr(fresh, name)
        if "geometry" in frame:
            frame = pd.DataFrame(frame.drop(columns="geometry"))
        pd.testing.assert_frame_equal(getattr(shared, name), frame, obj=name)
    layers = cache.cached_map_layers(str(real_folder), signature)
    assert layers.geojson == prepare_map_layers(fresh).geojson
    from cartographie.domaine.cooperations import territory_points

    assert cache._cached_territory_points(str(real_folder), signature) == territory_points(fresh)


def test_the_map_page_serves_its_base_map_data_as_a_static_file(real_folder, monkeypatch, tmp_path):
    # The perimeters travel once, as a static script, instead of inside every rerun's message.
    import json

    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    monkeypatch.setenv(config.STATIC_DIR_ENV, str(tmp_path))
    at = _run("pages/carte.py")
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    assert args["js_links"][0] == "/app/static/leaflet/leaflet.js"
    # Then the map's own script (a file of the package, served as it is), then the data.
    script_name = args["js_links"][1].removeprefix("/app/static/fonds/")
    assert script_name.startswith("carte-") and "carto.symbolesQpv = function" in (
        tmp_path / "fonds" / script_name
    ).read_text(encoding="utf-8")
    name = args["js_links"][2].removeprefix("/app/static/fonds/")
    data = (tmp_path / "fonds" / name).read_text(encoding="utf-8")
    assert data.startswith("window.cartographieFond=") and data.count('"code_qp"') == 123
    assert '"coordinates"' not in args["script"] and len(args["script"]) < 50_000


def test_old_base_map_data_files_are_pruned(tmp_path):
    import os

    from cartographie.ui import composant_carte

    for number in range(composant_carte.BASE_MAP_DATA_KEPT + 2):
        composant_carte._write_base_map_data({"data_name": f"fond-{number}.js", "data": f"// {number}"}, tmp_path)
        os.utime(tmp_path / f"fond-{number}.js", (1_000_000 + number, 1_000_000 + number))
    composant_carte._write_base_map_data({"data_name": "fond-0.js", "data": "// 0"}, tmp_path)  # used again: kept
    composant_carte._write_base_map_data({"data_name": "fond-neuf.js", "data": "// neuf"}, tmp_path)
    kept = sorted(p.name for p in tmp_path.glob("fond-*"))
    assert len(kept) == composant_carte.BASE_MAP_DATA_KEPT and "fond-0.js" in kept and "fond-neuf.js" in kept
    assert len(list(tmp_path.glob("carte-*.js"))) == 1  # the map's script, written once beside them
    assert not list(tmp_path.glob("*.tmp"))


def test_a_read_only_static_folder_keeps_the_data_inside_the_map(real_folder, monkeypatch, tmp_path):
    import json

    from cartographie.ui import composant_carte

    (tmp_path / "fonds").write_text("x")  # a file where the data folder should be: nothing can be written
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    monkeypatch.setenv(config.STATIC_DIR_ENV, str(tmp_path))
    composant_carte._base_map_payload.clear()
    try:
        at = _run("pages/carte.py")
        assert not at.exception
        args = json.loads(at.get("component_instance")[0].proto.json_args)
    finally:
        composant_carte._base_map_payload.clear()
    assert args["js_links"] == ["/app/static/leaflet/leaflet.js"]
    # The map's own script, then the data, then the map: all in the component's message.
    own, _, rest = args["script"].partition("window.cartographieFond=")
    assert "carto.symbolesQpv = function" in own
    data, script = rest.split("};\n", 1)
    assert data.count('"code_qp"') == 123
    assert 'window.cartographieFond["' in script


@pytest.mark.parametrize("session", ["[Votez ici](http://exemple.org)", "\x00x", "<img src=x onerror=alert(1)>"])
def test_a_session_name_that_is_not_one_opens_today_s_session_with_a_french_warning(contributions, session):
    import datetime as dt

    at = AppTest.from_file(str(config.PROJECT_DIR / "pages" / "direct.py"), default_timeout=120)
    at.query_params["session"] = session
    at.run()
    assert not at.exception
    assert any("Nom de session non valable" in w.value for w in at.warning)
    assert at.query_params["session"] == dt.date.today().isoformat()
    assert not any("exemple.org" in m.value or "<img" in m.value for m in at.markdown)


def test_an_editor_reads_a_survey_answer_s_own_words_then_publishes_or_deletes_it(contributions, monkeypatch):
    from cartographie.stockage.connexion import hash_password

    contributions.add_survey_answers(
        "2026",
        [
            {"type_acteur": "association", "mot_cle": "Jean Dupont [masqué]"},
            {"type_acteur": "caf", "commentaire": "Bof"},
        ],
        origine="formulaire",
    )
    first, second = (r["id"] for r in contributions.survey_answers())
    monkeypatch.setenv("CARTOGRAPHIE_EDITEUR_HASH", hash_password("mot de passe des éditeurs"))
    at = _run_direct("pages/moderation.py")
    at.text_input(key="editeur_identifiant").set_value("Camille")
    at.text_input(key="editeur_mdp").set_value("mot de passe des éditeurs")
    at.button(key="editeur_connexion").click().run()
    assert any("Jean Dupont \\[masqué\\]" in m.value for m in at.markdown)  # read as text, escaped
    at.button(key=f"publier_reponse_{first}").click().run()
    at.button(key=f"supprimer_reponse_{second}").click().run()
    assert not at.exception
    assert [(r["id"], r["etat_textes"]) for r in contributions.survey_answers()] == [(first, "publiee")]
    actions = [(e["qui"], e["action"], e["objet"]) for e in contributions.audit_log()[:2]]
    assert actions == [
        ("compte commun – Camille", "suppression", "reponse"),
        ("compte commun – Camille", "approbation", "reponse"),
    ]


def test_a_keyword_sent_too_fast_or_refused_says_why(contributions):
    at = _run_direct("pages/direct.py")
    at.text_input(key="mot_cle_saisie").set_value("Confiance")
    at.button(key="mot_cle_envoyer").click().run()  # sent as soon as the page opened: a script's pace
    assert not at.success and "Prenez le temps d'écrire votre mot" in at.warning[0].value
    at.session_state["salle_ouverte"] = 0.0  # the page was opened long ago
    at.text_input(key="mot_cle_saisie").set_value("Bande de connards")
    at.button(key="mot_cle_envoyer").click().run()
    assert "n'est pas accepté sur l'écran de la salle" in at.error[0].value
    assert contributions.keywords(at.query_params["session"]) == []


def test_the_map_colours_its_qpv_by_the_indicator_chosen_and_its_legend_says_the_classes(real_folder, monkeypatch):
    import json

    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    at = _run_with("pages/carte.py", ind="taux_pauvrete")
    assert not at.exception
    assert at.selectbox(key="carte_indicateur").value == "taux_pauvrete"
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    colours = json.loads(args["feature_group"].split("carto.filtrerQpv(...", 1)[1].split(");", 1)[0])[3]
    assert len(colours["classes"]) == 123 and colours["classes"].count("-") == 5  # 5 QPV without a rate
    legend = " ".join(h.proto.body for h in at.get("html"))
    assert "Taux de pauvreté des quartiers" in legend and "Non diffusé (secret statistique) : 5 quartiers" in legend
    assert "Quartiers prioritaires 2024, statut par rapport à 2015" not in legend  # the classes replace the statuses
    # Back to the statuses: no colours sent, the statuses' legend again.
    at.selectbox(key="carte_indicateur").set_value("").run()
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    assert args["feature_group"].split("carto.filtrerQpv(...", 1)[1].split(");", 1)[0].endswith("null]")
    assert "ind" not in at.query_params
    legend = " ".join(h.proto.body for h in at.get("html"))
    assert "Quartiers prioritaires 2024, statut par rapport à 2015" in legend
