"""The set-up scripts on a machine that lacks something: they stop with a French message saying what to install."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from cartographie import config


def _run_with_fake_python(tmp_path: Path, body: str) -> subprocess.CompletedProcess:
    """Source scripts/_python.sh in an empty project folder whose only python3 is ``body``."""
    project = tmp_path / "projet"
    (project / "scripts").mkdir(parents=True)
    shutil.copy(config.PROJECT_DIR / "scripts" / "_python.sh", project / "scripts")
    (project / "requirements.txt").write_text("", encoding="utf-8")
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "python3").write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    (fake / "python3").chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "CARTOGRAPHIE_PYTHON")}
    env["PATH"] = f"{fake}:/usr/bin:/bin"
    return subprocess.run(
        ["bash", "-c", ". scripts/_python.sh && use_project_python requirements.txt"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_python_without_venv_gets_the_package_to_install(tmp_path):
    # Answers the version check, fails on « import venv, ensurepip » (Debian without python3-venv).
    result = _run_with_fake_python(tmp_path, 'case "$2" in *ensurepip*) exit 1;; *) exit 0;; esac')
    assert result.returncode == 1
    assert "sudo apt install python3-venv" in result.stderr
    assert not (tmp_path / "projet" / ".venv").exists()


def test_an_old_python_is_refused_with_the_version_needed(tmp_path):
    result = _run_with_fake_python(tmp_path, 'case "$2" in *version_info*) exit 1;; *) echo "Python 3.9.2";; esac')
    assert result.returncode == 1 and "Python 3.11 ou plus récent" in result.stderr


def test_the_scripts_never_install_into_the_system_python():
    for name in ("lancer.sh", "tests.sh"):
        text = (config.PROJECT_DIR / "scripts" / name).read_text(encoding="utf-8")
        assert "python3 -m pip" not in text and "use_project_python" in text
