"""The contract with Streamlit's page: every selector and English text the app relies on is in the installed bundle.

The app reaches into Streamlit's page (hiding its chrome on the slides, translating its texts,
naming its regions) by ``data-testid`` selectors and by the English texts its front end writes.
An upgrade that renames one silently breaks a slide or leaves a text in English: this test reads
the installed Streamlit's ``static/`` bundle and fails naming what has gone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit

from cartographie import config
from cartographie.ui.adaptateur import francais

_STATIC = Path(streamlit.__file__).parent / "static"

#: ``data-testid`` values the app writes itself (not Streamlit's).
OWN_TEST_IDS = {"diapo-compteur"}

#: English texts Streamlit builds from parts at run time: the parts that must still be in its bundle.
BUILT_FROM_PARTS = {
    "Press Enter to submit form": ["Press Enter to ${"],
    "Press Enter to apply": ["Press Enter to ${"],
    "Press ⌘+Enter to apply": ["Press ${"],
    "Press Ctrl+Enter to apply": ["Press ${"],
    "Press ⌘+Enter to submit form": ["Press ${"],
    "Press Ctrl+Enter to submit form": ["Press ${"],
    "Drag and drop file here": ["Drag and drop ${"],
    "The page that you have requested does not seem to exist. Running the app's main page.": [
        "The page that you have requested does not seem to exist",
        "Running the app's main page",
    ],
}

#: English texts written by Streamlit's server (Python), not by its front end.
FROM_THE_SERVER = {
    "This app has encountered an error. The original error message is redacted to prevent data leaks. Full "
    "error details have been recorded in the logs (if you're on Streamlit Cloud, click on 'Manage app' in the "
    "lower right of your app).",
}

#: The title Streamlit gives a component's frame: made from the component's name (streamlit-folium's).
COMPONENT_TITLES = {"streamlit_folium.st_folium"}


@pytest.fixture(scope="module")
def bundle() -> str:
    return "\n".join(p.read_text(errors="ignore") for p in _STATIC.rglob("*.js"))


def _server_texts() -> set[str]:
    """The texts Streamlit's server module for uncaught errors holds (its constants, as the page receives them)."""
    from streamlit.elements import exception

    return {value for value in vars(exception).values() if isinstance(value, str)}


#: The adapter: the only modules that reach into Streamlit's page (``tests/ui/test_adaptateur.py`` checks it).
ADAPTER = config.PROJECT_DIR / "cartographie" / "ui" / "adaptateur"


def _names_used(pattern: str) -> dict[str, list[str]]:
    """Every name the adapter's code matches with ``pattern`` (one group), with the files that name it."""
    found: dict[str, list[str]] = {}
    for path in sorted(ADAPTER.rglob("*.py")):
        for name in re.findall(pattern, path.read_text()):
            found.setdefault(name, []).append(str(path.relative_to(config.PROJECT_DIR)))
    return found


def _test_ids_used() -> dict[str, list[str]]:
    """Every ``data-testid`` the adapter names."""
    return _names_used(r"""data-testid(?:=\\?["']|'\)\s*===\s*')([A-Za-z-]+)""")


def _quoted_in(bundle: str, name: str) -> bool:
    return any(f"{q}{name}{q}" in bundle for q in "\"'`")


def _class_in(bundle: str, name: str) -> bool:
    """A class name written alone or among others (« `dvn-scroller ` + extra »)."""
    return re.search(rf"[\"'` ]{re.escape(name)}[\"'` ]", bundle) is not None


def test_every_streamlit_selector_the_app_uses_is_in_the_installed_bundle(bundle):
    used = _test_ids_used()
    assert len(used) >= 15  # the scan sees them (a broken pattern would find none)
    gone = {name: files for name, files in used.items() if name not in OWN_TEST_IDS and not _quoted_in(bundle, name)}
    assert gone == {}, f"sélecteurs data-testid absents de Streamlit {streamlit.__version__} : {gone}"


def test_every_streamlit_class_and_attribute_the_app_styles_is_in_the_installed_bundle(bundle):
    """Class selectors (``.stButton``), keyed containers (``st-key-…``), ``data-…`` attributes other than test ids."""
    classes = _names_used(r"\.(st[A-Z][A-Za-z]+)\b") | _names_used(r"\.(dvn-[a-z-]+)")  # dvn-: the data grid's
    attributes = _names_used(r"\[(data-(?!testid)[a-z-]+)") | _names_used(r"getAttribute\('(data-[a-z-]+)'\)")
    assert {"stButton", "stApp", "dvn-scroller"} <= set(classes)  # the scan sees them
    assert {"data-stale", "data-test-script-state"} <= set(attributes)
    gone = {name: files for name, files in classes.items() if not _class_in(bundle, name)}
    gone |= {name: files for name, files in attributes.items() if not _quoted_in(bundle, name)}
    keyed = _names_used(r"(st-key-)")  # the class Streamlit gives a container made with ``key=``
    if keyed and "`st-key-`" not in bundle:
        gone["st-key-"] = keyed["st-key-"]
    assert gone == {}, f"classes ou attributs absents de Streamlit {streamlit.__version__} : {gone}"


def test_every_english_text_the_app_translates_is_still_written_by_streamlit(bundle):
    gone = []
    for english in francais.FRENCH:
        if english in COMPONENT_TITLES:
            continue
        if english in BUILT_FROM_PARTS:
            if not all(part in bundle for part in BUILT_FROM_PARTS[english]):
                gone.append(english)
        elif english in FROM_THE_SERVER:
            if english not in _server_texts():
                gone.append(english)
        elif english not in bundle:
            gone.append(english)
    assert gone == [], (
        f"textes anglais absents de Streamlit {streamlit.__version__} (à retirer ou mettre à jour) : {gone}"
    )


def test_the_contract_test_would_see_a_selector_gone(bundle):
    """The check is not empty: a name Streamlit never wrote is reported."""
    assert not _quoted_in(bundle, "stDecoration")
    assert not _quoted_in(bundle, "stDeployButton")  # a class of older versions
    assert not _quoted_in(bundle, "data-baseweb")  # written by BaseWeb at run time, not a literal of the bundle
    assert "Browse files" not in bundle
