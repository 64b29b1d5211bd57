"""A survey export as tools produce it (header, one answer row), to import in tests."""

from __future__ import annotations

HEADER = [
    "Pour quelle structure répondez-vous ?",
    "Dans quel département intervenez-vous principalement ?",
    "À quelle échelle agissez-vous le plus souvent ?",
    "Quelle est votre fonction ?",
    "Avec qui coopérez-vous ? (plusieurs réponses possibles)",
    "Fréquence",
    "Comment ces coopérations sont-elles le plus souvent formalisées ?",
    "Qu'est-ce qui facilite vos coopérations ? (trois réponses au plus)",
    "Qu'est-ce qui freine vos coopérations ? (trois réponses au plus)",
    "accord_volonte",
    "accord_but_commun",
    "accord_meme_territoire",
    "accord_confiance",
    "accord_temps",
    "accord_financement",
    "Un mot-clé qui rend la coopération possible",
]
ROW = [
    "Services de l'État (préfecture, délégué du préfet, DDETS…)",
    "Moselle",
    "La commune",
    "Autre : coordinatrice",
    "Communes; CAF",
    "mensuelle",
    "Une convention signée",
    "Un objectif partagé, Se connaître entre professionnels",
    "Le manque de temps",
    "Tout à fait d'accord",
    "Plutôt d'accord",
    "plutot",
    "Plutôt pas d'accord",
    "Pas du tout d'accord",
    "Plutôt pas d'accord",
    "Coopérations",
]


def csv_bytes(rows: list[list[str]], *, sep: str = ";", encoding: str = "utf-8-sig") -> bytes:
    def cell(value: str) -> str:
        return f'"{value}"' if any(c in value for c in (sep, '"', "\n")) else value

    return "\r\n".join(sep.join(cell(v) for v in row) for row in rows).encode(encoding)


#: The departments the domain tests' questionnaire offers.
DEPARTEMENTS = {"54": "Meurthe-et-Moselle", "57": "Moselle", "67": "Bas-Rhin"}


def survey_answer(**changes) -> dict:
    """A complete, valid answer to the survey, with ``changes`` (``None`` leaves a question out)."""
    answer = {
        "type_acteur": "association",
        "departement": "57",
        "niveau_territoire": "quartier",
        "role": "chef_projet",
        "partenaires": ["communes", "caf"],
        "frequence": "mensuelle",
        "formalisation": "convention",
        "leviers": ["interconnaissance"],
        "contraintes": ["manque_temps"],
        "accord_volonte": "tout_a_fait",
        "accord_but_commun": "plutot",
        "accord_meme_territoire": "plutot",
        "accord_confiance": "plutot_pas",
        "accord_temps": "pas_du_tout",
        "accord_financement": "plutot_pas",
        "mot_cle": "Confiance",
    }
    answer.update(changes)
    return {k: v for k, v in answer.items() if v is not None}
