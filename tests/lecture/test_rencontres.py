from __future__ import annotations

import pandas as pd
import pytest

from cartographie.domaine.rencontres import (
    event_titles,
    events_for_territory,
    events_frame,
    events_table,
    filter_events,
)
from cartographie.lecture.rencontres import RENCONTRES_FILE, RencontresError, load_catalogue, parse_catalogue

COMMUNES = pd.DataFrame(
    {"insee_com": ["54526", "10081"], "insee_dep": ["54", "10"], "latitude": [48.68, 48.31], "longitude": [6.22, 4.04]}
)
EPCI = pd.DataFrame({"siren_epci": ["245400676"], "insee_dep": ["54"], "latitude": [48.69], "longitude": [6.18]})
HEADER = '[sources.s]\ntitre = "Source"\n'
GOOD = """
[[evenements]]
id = "journee"
titre = "Journée"
type = "journee_regionale"
date_debut = "2025-10-02"
modalite = "presentiel"
commune = "54526"
sources = ["s"]
"""


def _parse(text: str):
    return parse_catalogue(HEADER + text, communes=COMMUNES, epci=EPCI, qpv_codes={"QN01003M"}, filename="test.toml")


def test_a_valid_event_resolves_its_place():
    event = _parse(GOOD).evenements[0]
    assert event.departement == "54" and event.latitude == pytest.approx(48.68)
    assert event.date_libelle == "2 octobre 2025"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda t: t.replace('date_debut = "2025-10-02"\n', ""),
            r"événement n°1 \(journee\) : champ « date_debut » manquant",
        ),
        (
            lambda t: t.replace("2025-10-02", "02/10/2025"),
            r"événement n°1 \(journee\), champ « date_debut ».*AAAA-MM-JJ",
        ),
        (lambda t: t.replace("2025-10-02", "2025-02-30"), r"la date « 2025-02-30 » n'existe pas"),
        (lambda t: t.replace('"54526"', '"99999"'), r"champ « commune » : code INSEE « 99999 » inconnu"),
        (lambda t: t.replace("journee_regionale", "conference"), r"champ « type » : « conference » inconnu"),
        (lambda t: t.replace('sources = ["s"]', "sources = []"), r"champ « sources » : au moins une source"),
        (lambda t: t.replace('sources = ["s"]', 'sources = ["x"]'), r"source\(s\) inconnue\(s\) : x"),
        (lambda t: t.replace('commune = "54526"\n', ""), r"doit donner sa « commune »"),
        (lambda t: t + 'lieux = "x"\n', r"champ\(s\) inconnu\(s\) : lieux"),
        (lambda t: t + t, r"identifiant\(s\) en double : journee"),
        (lambda t: t.replace('id = "journee"', 'id = "Journée 1"'), r"champ « id »"),
    ],
)
def test_each_kind_of_mistake_names_file_event_and_field(change, message):
    with pytest.raises(RencontresError, match=message) as error:
        _parse(change(GOOD))
    assert "test.toml" in str(error.value)


def test_unknown_date_must_be_said_explicitly():
    event = _parse(GOOD.replace('"2025-10-02"', '"inconnue"')).evenements[0]
    assert event.date_debut is None and event.date_libelle == "date non précisée"


def test_workshop_territory_must_exist():
    text = (
        GOOD
        + """
[[evenements]]
id = "atelier"
parent = "journee"
titre = "Atelier"
type = "atelier"
date_debut = "2025-10-02"
commune = "54526"
territoires = [{ type = "qpv", code = "QN99999M" }]
sources = ["s"]
"""
    )
    with pytest.raises(RencontresError, match=r"événement n°2 \(atelier\), champ « territoires » : qpv « QN99999M »"):
        _parse(text)


@pytest.fixture(scope="module")
def catalogue(real_reference):
    return load_catalogue(real_reference, RENCONTRES_FILE)


def test_the_authored_file_matches_the_seeds(catalogue):
    events = catalogue.evenements
    assert all(e.sources for e in events)
    territoriales = [e for e in events if e.type == "rencontre_territoriale"]
    assert [e.date_debut.isoformat() for e in territoriales] == ["2025-03-07", "2025-04-24", "2025-05-16"]
    ateliers = catalogue.children("journee-2025-10-02")
    assert len([a for a in ateliers if a.territoires]) == 4
    assert len([a for a in ateliers if a.methode]) == 4
    assert {e.id for e in events if e.hors_region} == {"fonda-2025-07-02", "journee-dreux"}
    assert catalogue.event("journee-2024-11-14").lieu == ""  # the seeds do not say where: never guessed
    assert len(catalogue.elements) == 3


def test_every_place_resolves_in_the_region_unless_flagged(catalogue):
    for event in catalogue.evenements:
        if event.hors_region:
            assert event.latitude is None
        elif event.commune or event.epci:
            assert event.departement and event.latitude is not None


def test_filters_and_territory_links(catalogue):
    frame = events_frame(catalogue)
    assert len(filter_events(frame, types=("rencontre_territoriale",))) == 3
    assert set(filter_events(frame, departements=("54",))["id"]) >= {"journee-2022-09-27", "journee-2025-10-02"}
    assert set(filter_events(frame, themes=("Jeunesse",))["id"]) >= {"rencontre-2025-03-07"}
    assert filter_events(frame, annees=(2023,)).empty
    linked = events_for_territory(catalogue, qpv="QN01003M")
    assert [e.id for e in linked.ailleurs] == ["atelier-2025-10-02-isolement"] and not linked.sur_place


def test_events_table_and_titles_speak_french(catalogue):
    frame = events_frame(catalogue)
    table = events_table(frame)
    assert list(table.columns) == ["Date", "Type", "Titre", "Lieu", "Modalité", "Thèmes"]
    assert len(table) == len(frame)
    titles = event_titles(frame)
    assert titles["journee-2025-10-02"].startswith("2 octobre 2025 – ")
