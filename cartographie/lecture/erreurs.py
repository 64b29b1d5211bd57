"""Errors raised by the data layer, with messages written for the users (in French)."""

from __future__ import annotations

from pathlib import Path


class ReferenceDataError(Exception):
    """A reference file is missing, unreadable or does not match what the product expects."""

    def __init__(self, fichier: str | Path, probleme: str) -> None:
        self.fichier = Path(fichier).name
        self.probleme = probleme
        super().__init__(f"Fichier « {self.fichier} » : {probleme}")


class MissingReferenceData(ReferenceDataError):
    """The reference folder, or some of its files, does not exist."""

    def __init__(self, dossier: Path, manquants: list[str], commande: str, variable: str) -> None:
        self.dossier = Path(dossier)
        self.manquants = list(manquants)
        self.commande = commande
        self.variable = variable
        liste = ", ".join(self.manquants)
        Exception.__init__(
            self,
            f"Données de référence introuvables dans « {self.dossier} » "
            f"(manquant : {liste}). Lancez « {commande} » pour les télécharger, "
            f"ou indiquez un dossier local avec la variable d'environnement {variable}.",
        )
        self.fichier = liste
        self.probleme = "fichier(s) manquant(s)"
