"""The launcher preloads only libraries that know nothing of Streamlit (a component imported early breaks)."""

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
