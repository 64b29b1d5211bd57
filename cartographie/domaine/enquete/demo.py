"""Generated demo answers: seeded, valid, marked as fictitious in every view and export."""

from __future__ import annotations

import random

import pandas as pd

from cartographie.domaine.enquete.questionnaire import AUTRE, DEMO_EDITIONS, Questionnaire, options_of
from cartographie.domaine.enquete.validation import validate_answer

#: The wording that marks every chart, table and export built on generated answers.
DEMO_LABEL = "données fictives de démonstration"


#: Setting kept by the editors: "auto" (demo answers only while no real answer exists), "oui" or "non".
DEMO_SETTING = "enquete_demo"


DEMO_MODES = {
    "auto": "Automatique : tant qu'aucune vraie réponse n'est enregistrée",
    "oui": "Toujours (présentation de l'outil)",
    "non": "Jamais",
}


#: Number of generated answers of each demo edition (about as many as a regional survey gathers).
DEMO_SIZES = (100, 80)


def demo_answers(questionnaire: Questionnaire, edition: str, n: int = 100, seed: int = 2021) -> list[dict]:
    """``n`` fictitious, valid answers drawn by a seeded generator (for demonstration only)."""
    rng = random.Random(f"{seed}-{edition}")
    # Later editions lean slightly towards agreement, so that a comparison shows something.
    shift = 0.15 if edition != DEMO_EDITIONS[0].id else 0.0
    keywords = [
        "Confiance", "confiance", "Coopération", "coopérations", "Écoute", "écoute", "Temps", "temps",
        "Volonté", "Partage", "partages", "But commun", "Respect", "Interconnaissance", "Dialogue", "Réciprocité",
    ]  # fmt: skip
    others = ["Fondation", "Mission locale", "Collectif d'habitants", "Club sportif"]
    answers = []
    for _ in range(n):
        answer: dict = {}
        for question in questionnaire.questions:
            if question.type == "texte":
                if rng.random() < 0.2:
                    answer[question.id] = "Réponse fictive de démonstration."
                continue
            if question.type == "mot_cle":
                if rng.random() < 0.85:
                    answer[question.id] = rng.choice(keywords)
                continue
            options = list(options_of(questionnaire, question))
            weights = [1.0 / (rank + 1) ** 0.7 for rank in range(len(options))]
            if question.type == "echelle":
                weights = [0.10, 0.25 - shift / 2, 0.40, 0.25 + shift]
                if question.id in ("accord_temps", "accord_financement"):
                    weights = list(reversed(weights))
            if question.type == "choix_multiple":
                limit = question.max_choix or 4
                count = rng.randint(1, limit)
                picked: list[str] = []
                while len(picked) < count:
                    choice = rng.choices(options, weights)[0]
                    if choice not in picked:
                        picked.append(choice)
                answer[question.id] = picked
            else:
                answer[question.id] = rng.choices(options, weights)[0]
            chosen = answer[question.id]
            if AUTRE in (chosen if isinstance(chosen, list) else [chosen]):
                answer[question.autre_key] = rng.choice(others)
        answers.append(validate_answer(questionnaire, answer))
    return answers


def with_demo_column(table: pd.DataFrame, demo: bool) -> pd.DataFrame:
    """The export table; when built on demo answers, every row says so."""
    if not demo:
        return table
    return table.assign(**{"Nature des données": DEMO_LABEL})
