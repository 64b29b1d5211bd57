"""Keywords of the survey and of the room: folded for comparison, counted under their most common spelling."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from cartographie.domaine.texte import fold

#: French words that carry no meaning on their own in a keyword.
_STOP_WORDS_TEXT = """a au aux avec ce ces cet cette d dans de des du en est et etre il elle j l la le les leur leurs
    ma mes mon ne ni nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes ton tu un une
    vos votre vous y tres plus bien faire avoir"""


STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


def _singular(word: str) -> str:
    if len(word) > 3 and word.endswith(("s", "x")) and not word.endswith("ss"):
        return word[:-1]
    return word


def fold_keyword(text: object) -> str:
    """The comparison form of a keyword: no case, accents, stop-words or plural marks."""
    words = [w for w in fold(text).split() if w not in STOP_WORDS]
    return " ".join(_singular(w) for w in words)


def keyword_frequencies(words: list[str]) -> pd.DataFrame:
    """Keywords counted once folded, most frequent first; each shown under its most common spelling."""
    groups: dict[str, Counter] = {}
    for word in words:
        key = fold_keyword(word)
        if key:
            spelling = " ".join(str(word).split())
            groups.setdefault(key, Counter())[spelling[:1].upper() + spelling[1:]] += 1
    rows = []
    for key, spellings in groups.items():
        # Most common spelling; on a tie, the singular (shorter) one.
        label = min(spellings, key=lambda s: (-spellings[s], len(s), s))
        rows.append({"Mot-clé": label, "Occurrences": sum(spellings.values()), "Forme comparée": key})
    table = pd.DataFrame(rows, columns=["Mot-clé", "Occurrences", "Forme comparée"])
    return table.sort_values(["Occurrences", "Mot-clé"], ascending=[False, True], kind="stable").reset_index(drop=True)
