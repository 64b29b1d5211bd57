"""Closed vocabularies of the domain, with their French labels (one place for each)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    pass


#: Optional map layers a view can switch on (kept in the URL).
COUCHES = {
    "epci": "Contours des EPCI",
    "communes": "Communes ayant un QPV",
    "contrats_2015": "Contrats de ville 2015–2023",
    "credits": "Crédits adultes-relais / FONJEP",
    "experiences": "Expériences de coopération",
    "osm": "Fond de carte OpenStreetMap (Internet)",
}


#: How the credits are counted: the sum of amounts, or the number of distinct posts.
MESURES_CREDITS = {"montant": "Montant (€)", "postes": "Nombre de postes"}

#: What the map's QPV can be coloured by: their status (the default), or one of INSEE's indicators.
COULEURS_QPV = {
    "": "Statut par rapport à 2015",
    "taux_pauvrete": "Taux de pauvreté (INSEE)",
    "taux_emploi": "Taux d'emploi (INSEE)",
    "indice_jeunesse": "Indice de jeunesse (INSEE)",
}


STATUTS_EXPERIENCE = {"idee": "Idée", "en_cours": "En cours", "terminee": "Terminée", "non_precise": "Non précisé"}


TYPES_ACTEUR = {
    "prefecture": "Préfecture",
    "delegue_prefet": "Délégué du préfet",
    "dreets": "DREETS",
    "sgar": "SGAR",
    "commune": "Commune",
    "epci": "EPCI",
    "departement": "Département",
    "region": "Région",
    "caf": "CAF",
    "bailleur": "Bailleur social",
    "association": "Association",
    "centre_social": "Centre social",
    "collectif_habitants": "Collectif d'habitants",
    "centre_ressources": "Centre de ressources",
    "autre": "Autre",
}


THEMES = (
    "animation territoriale",
    "TFPB (abattement)",
    "jeunesse",
    "familles et monoparentalité",
    "isolement",
    "bien-être et parentalité",
    "emploi",
    "éducation",
    "cadre de vie",
    "santé",
    "culture",
    "participation des habitants",
    "solidarités",
    "autre",
)


ELEMENTS = {"volonte": "Volonté des acteurs", "but_commun": "But commun", "meme_territoire": "Même territoire ou sujet"}


NIVEAUX_ELEMENT = ("", "faible", "moyen", "fort")


TERRITOIRES = ("qpv", "commune", "epci", "contrat")


TYPES_EVENEMENT = {
    "journee_regionale": "Journée régionale",
    "rencontre_territoriale": "Rencontre territoriale",
    "echange": "Temps d'échange",
    "atelier": "Atelier",
    "enquete": "Enquête",
    "rencontre": "Rencontre hors Grand Est",
}


MODALITES = {"presentiel": "En présentiel", "en_ligne": "En ligne", "": "Non précisée"}


NON_PRECISE = "non précisé"


#: Event types that are gatherings of people (the survey is not one).
TYPES_RENCONTRE = tuple(t for t in TYPES_EVENEMENT if t != "enquete")


TERRITOIRE_LIBELLES = {"qpv": "QPV", "commune": "Commune", "epci": "EPCI", "contrat": "Contrat de ville"}
