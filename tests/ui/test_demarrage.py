"""The launcher: it preloads only Streamlit-free libraries, and may skip the search for v2 components."""

from __future__ import annotations

import subprocess
import sys

from cartographie import config
from cartographie.demarrage import PRELOADED


def test_preloaded_modules_do_not_import_streamlit():
    code = (
        "import sys\n"
        f"for name in {PRELOADED!r}:\n"
        "    __import__(name)\n"
        "print(sorted(m for m in sys.modules if m == 'streamlit' or m.startswith(('streamlit.', 'streamlit_'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=config.PROJECT_DIR, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_no_installed_distribution_declares_a_v2_component():
    # The launcher skips this search at start-up; the day a dependency brings a v2 component,
    # this test says so (and the skip must go).
    from streamlit.components.v2.manifest_scanner import scan_component_manifests

    assert scan_component_manifests() == []
