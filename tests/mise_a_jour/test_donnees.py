"""The command line of the reference data (python -m cartographie.donnees)."""

from __future__ import annotations

from cartographie import config
from cartographie.donnees import main
from tests.aides.officiel import OfficialServer, official_addresses


def test_verifier_accepts_a_valid_folder(tiny_folder, capsys):
    assert main(["verifier", "--dossier", str(tiny_folder)]) == 0
    assert "3 QPV" in capsys.readouterr().out


def test_verifier_explains_a_missing_folder_in_french(tmp_path, capsys):
    assert main(["verifier", "--dossier", str(tmp_path / "absent")]) == 1
    message = capsys.readouterr().err
    assert "introuvables" in message and config.UPDATE_COMMAND in message


def test_mettre_a_jour_reports_a_failure_and_keeps_the_old_folder(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "donnees"
    folder.mkdir()
    (folder / "ancien.txt").write_text("x")
    with OfficialServer() as server:
        addresses = {**official_addresses(server.base), "contrats_2024": f"{server.base}/absent.json"}
        monkeypatch.setattr("cartographie.mise_a_jour.OFFICIAL_ADDRESSES", addresses)
        assert main(["mettre-a-jour", "--region", "99", "--dest", str(folder), "--delai", "2"]) == 1
    err = capsys.readouterr().err
    assert "Échec de la mise à jour" in err and "404" in err and config.REFERENCE_DIR_ENV in err
    assert (folder / "ancien.txt").exists()


def test_mettre_a_jour_builds_the_folder(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "donnees"
    with OfficialServer() as server:
        monkeypatch.setattr("cartographie.mise_a_jour.OFFICIAL_ADDRESSES", official_addresses(server.base))
        assert main(["mettre-a-jour", "--region", "99", "--dest", str(folder)]) == 0
    assert "Mise à jour terminée" in capsys.readouterr().out
    assert main(["verifier", "--dossier", str(folder)]) == 0
