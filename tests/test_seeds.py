"""Authored text against the seed documents: facts carry over, sentences are ours.

Every text the project authors (the TOML files of ``data/`` and the French strings of the code)
is compared with the public documents of ``shared/seeds``: no run of 12 consecutive words may be
shared with a seed. Names are not sentences and are left out: the official title of an event
(field ``titre`` of ``rencontres.toml``), the name of an organisation (``organisation``), and any
title quoted between « ».
"""

from __future__ import annotations

import ast
import re
import tomllib

import pytest

from cartographie import config
from cartographie.domaine.texte import fold

RUN = 12
SEEDS_DIR = config.PROJECT_DIR.parent / "shared" / "seeds"


def words(text: str) -> list[str]:
    """Lower-case words without accents or punctuation (apostrophes split words)."""
    return fold(text).split()


def runs(tokens: list[str]) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + RUN]) for i in range(len(tokens) - RUN + 1)}


def strip_quotations(text: str) -> str:
    return re.sub(r"«[^»]*»", " ", text)


def toml_strings(value, where: str):
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from toml_strings(item, f"{where}.{key}")
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from toml_strings(item, f"{where}[{i}]")


def authored_texts():
    for path in sorted(config.AUTHORED_DATA_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for where, text in toml_strings(data, path.name):
            if (
                path.name == "rencontres.toml"
                and where.endswith((".titre", ".organisation"))
                and ".evenements[" in where
            ):
                continue
            yield where, text
    for path in sorted([*config.PACKAGE_DIR.rglob("*.py"), *(config.PROJECT_DIR / "pages").glob("*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value.split()) >= RUN:
                yield f"{path.relative_to(config.PROJECT_DIR)}:{node.lineno}", node.value
    readme = config.PROJECT_DIR / "README.md"
    for number, paragraph in enumerate(readme.read_text(encoding="utf-8").split("\n\n")):
        yield f"README.md, paragraphe {number}", paragraph


@pytest.fixture(scope="module")
def seed_runs() -> dict[tuple[str, ...], str]:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"documents sources absents ({SEEDS_DIR})")
    found: dict[tuple[str, ...], str] = {}
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        for run in runs(words(path.read_text(encoding="utf-8"))):
            found.setdefault(run, path.name)
    return found


def test_no_authored_sentence_shares_twelve_words_with_a_seed(seed_runs):
    copied = []
    for where, text in authored_texts():
        shared = runs(words(strip_quotations(text))) & seed_runs.keys()
        if shared:
            example = " ".join(sorted(shared)[0])
            copied.append(f"{where} : « {example} » ({seed_runs[sorted(shared)[0]]})")
    assert not copied, "Passages recopiés des documents sources :\n" + "\n".join(copied)


def test_the_run_detector_catches_a_copied_sentence(seed_runs):
    copied = "Saint-Etienne fait partie des neuf territoires pilotes en France. L'idée était de construire les contrats"
    assert runs(words(copied)) & seed_runs.keys()


def test_details_the_seeds_do_not_state_are_gone_or_marked():
    from cartographie.lecture.experiences import load_authored, registry_note

    events = {
        e["id"]: e for e in tomllib.loads((config.AUTHORED_DATA_DIR / "rencontres.toml").read_text())["evenements"]
    }
    day = events["journee-2025-10-02"]
    assert not day.get("organisateurs") and not day.get("partenaires")  # the documents name no organiser
    assert any("SGARE" in c["organisation"] for c in day["contributeurs"])
    assert not any("SGAR " in c["organisation"] for c in day["contributeurs"])
    experiences = {e.id: e for e in load_authored()}
    for workshop in ("vandoeuvre-tfpb", "la-chapelle-isolement", "forbach-animation", "grand-nancy-village"):
        assert experiences[workshop].periode == "" and experiences[workshop].statut == "non_precise"
    assert experiences["forbach-animation"].themes == ("animation territoriale",)
    dreux = experiences["dreux-petits-collectifs"]
    assert dreux.themes == ("bien-être et parentalité",) and dreux.periode == ""
    saint_etienne = {a["nom"]: a["role"] for a in experiences["saint-etienne-qic"].acteurs}
    assert "mène les concertations" in saint_etienne["Délégué du préfet de la Loire"]
    assert "réorganisation" in saint_etienne["Service politique de la ville (Saint-Étienne)"]
    assert all(not any(e.elements.values()) for e in experiences.values())  # the documents grade nothing
    assert "2026" in registry_note()


def test_a_named_organisation_is_spelled_as_its_seed_spells_it():
    """« Alliance Ville Emploi (AVE) »: an organisation given with its acronym is found, so spelled, in a cited seed."""
    data = tomllib.loads((config.AUTHORED_DATA_DIR / "rencontres.toml").read_text(encoding="utf-8"))
    texts = {
        key: " ".join(words((SEEDS_DIR / source["fichier"]).read_text(encoding="utf-8").replace("’", "'")))
        for key, source in data["sources"].items()
    }
    misspelled = []
    for event in data["evenements"]:
        for contribution in event.get("contributeurs", []):
            name, _, acronym = contribution["organisation"].partition(" (")
            if acronym and not any(" ".join(words(name)) in texts[s] for s in event["sources"]):
                misspelled.append(f"{event['id']} : {contribution['organisation']}")
    assert not misspelled


def test_the_fonda_article_names_no_organiser_and_the_qic_method_cites_what_describes_it():
    """The 2 July 2025 article says who spoke, not who organised; the QIC method is told from the sources it cites."""
    data = tomllib.loads((config.AUTHORED_DATA_DIR / "rencontres.toml").read_text(encoding="utf-8"))
    fonda = next(e for e in data["evenements"] if e["id"] == "fonda-2025-07-02")
    assert not fonda.get("organisateurs") and "de la Fonda" not in fonda["titre"]
    method = next(m for m in data["methodes"] if m["id"] == "approche-orientee-changement")
    assert "journee-dreux" not in method["sources"] and "programme-2025" not in method["sources"]
    # Words the Dreux slides use for collective impact, not the sources cited here.
    assert "rassembl" not in fold(method["resume"]) and "trier" not in fold(method["resume"])
    experiences = tomllib.loads((config.AUTHORED_DATA_DIR / "experiences.toml").read_text(encoding="utf-8"))
    saint_etienne = next(e for e in experiences["experiences"] if e["id"] == "saint-etienne-qic")
    assert saint_etienne["periode"] != "depuis 2022"  # the seed dates the national launch, not Saint-Étienne's start
