"""Command line for the editors' accounts (``python -m cartographie.auth --help``).

* ``creer IDENTIFIANT --nom NOM --role editeur|administrateur``: a personal account; its password is
  typed twice (or read on standard input with ``--stdin``) and only its scrypt hash is stored;
* ``desactiver IDENTIFIANT`` / ``activer IDENTIFIANT`` / ``role IDENTIFIANT ROLE``: refused at the next action;
* ``supprimer IDENTIFIANT``: the account's row goes (the audit log keeps its actions);
* ``lister``: the accounts, without their hashes;
* ``hash``: the hash of a shared password (earlier installations: ``CARTOGRAPHIE_EDITEUR_HASH`` or the
  Streamlit secret ``editeur_hash``).

Whoever runs it holds the server: the audit log names them « ligne de commande du serveur ».
"""

from __future__ import annotations

import argparse
import getpass
import sys

from cartographie import config
from cartographie.domaine.comptes import ROLES, AccountError, check_password, server_console


def _password(from_stdin: bool, prompt: str) -> str:
    """A password typed twice (or one line of standard input); a French refusal when too short or different."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        try:
            password = getpass.getpass(f"{prompt} : ")
            if getpass.getpass("Confirmez : ") != password:
                raise AccountError("Les deux saisies diffèrent.")
        except EOFError:
            raise AccountError("Aucun mot de passe lu (utilisez --stdin pour le lire sur l'entrée standard).") from None
    return check_password(password)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m cartographie.auth", description="Comptes des éditeurs (créés et gérés sur le serveur)."
    )
    commands = parser.add_subparsers(dest="commande", required=True, metavar="COMMANDE")
    create = commands.add_parser("creer", help="créer un compte personnel (mot de passe demandé deux fois)")
    create.add_argument("identifiant", help="adresse électronique ou nom de connexion")
    create.add_argument("--nom", required=True, help="nom affiché au journal des actions")
    create.add_argument("--role", required=True, choices=list(ROLES), help="rôle du compte")
    create.add_argument("--stdin", action="store_true", help="lire le mot de passe sur l'entrée standard")
    for name, what in (
        ("desactiver", "désactiver un compte"),
        ("activer", "réactiver un compte"),
        ("supprimer", "supprimer un compte (le journal garde ses actions)"),
    ):
        commands.add_parser(name, help=what).add_argument("identifiant")
    role = commands.add_parser("role", help="changer le rôle d'un compte")
    role.add_argument("identifiant")
    role.add_argument("role", choices=list(ROLES))
    commands.add_parser("lister", help="les comptes (sans leurs empreintes)")
    shared = commands.add_parser("hash", help="empreinte du mot de passe partagé (installations antérieures)")
    shared.add_argument("--stdin", action="store_true", help="lire le mot de passe sur l'entrée standard")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; French messages, exit code 1 on a refusal."""
    from cartographie.stockage.connexion import hash_password

    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        if args.commande == "hash":
            print(hash_password(_password(args.stdin, "Mot de passe partagé des éditeurs")))
            print(
                f"À placer dans la variable {config.EDITOR_HASH_ENV} ou le secret Streamlit "
                f"« {config.EDITOR_HASH_SECRET} ». Préférez des comptes personnels : "
                "python -m cartographie.auth creer.",
                file=sys.stderr,
            )
            return 0
        return _accounts(args)
    except AccountError as refusal:
        print(refusal, file=sys.stderr)
        return 1


def _accounts(args: argparse.Namespace) -> int:
    from cartographie.stockage import comptes
    from cartographie.stockage.connexion import hash_password
    from cartographie.stockage.store import open_store

    store, by = open_store(), server_console()
    if args.commande == "creer":
        identifiant = comptes.create_account(
            store, args.identifiant, args.nom, args.role, by=by,
            empreinte=hash_password(_password(args.stdin, f"Mot de passe de {args.identifiant}")),
        )  # fmt: skip
        print(f"Compte « {identifiant} » créé ({ROLES[args.role].lower()}).")
    elif args.commande in ("desactiver", "activer"):
        comptes.set_active(store, args.identifiant, args.commande == "activer", by=by)
        print(f"Compte « {args.identifiant} » {'réactivé' if args.commande == 'activer' else 'désactivé'}.")
    elif args.commande == "supprimer":
        comptes.delete_account(store, args.identifiant, by=by)
        print(f"Compte « {args.identifiant} » supprimé.")
    elif args.commande == "role":
        comptes.set_role(store, args.identifiant, args.role, by=by)
        print(f"Compte « {args.identifiant} » : rôle {ROLES[args.role].lower()}.")
    else:
        for row in comptes.accounts(store):
            state = "actif" if row["actif"] else "désactivé"
            print(f"{row['identifiant']}\t{row['nom']}\t{ROLES.get(row['role'], row['role'])}\t{state}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
