"""Command line: ``python -m cartographie.auth hash`` prints the hash of the editors' password.

The password is never stored: only its hash, given by the environment variable
``CARTOGRAPHIE_EDITEUR_HASH`` or the Streamlit secret ``editeur_hash`` (see
:mod:`cartographie.stockage.connexion`).
"""

from __future__ import annotations

import getpass
import sys

from cartographie import config
from cartographie.stockage.connexion import hash_password


def main(argv: list[str] | None = None) -> int:
    """``python -m cartographie.auth hash``: print the hash of a password typed twice (or read on stdin)."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] != ["hash"]:
        print("Usage : python -m cartographie.auth hash [--stdin]", file=sys.stderr)
        return 2
    if "--stdin" in args:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Mot de passe des éditeurs : ")
        if getpass.getpass("Confirmez : ") != password:
            print("Les deux saisies diffèrent.", file=sys.stderr)
            return 1
    if len(password) < 12:
        print("Choisissez au moins 12 caractères.", file=sys.stderr)
        return 1
    print(hash_password(password))
    print(
        f"À placer dans la variable {config.EDITOR_HASH_ENV} ou le secret Streamlit « {config.EDITOR_HASH_SECRET} ».",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
