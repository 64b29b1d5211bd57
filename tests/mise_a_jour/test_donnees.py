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


HEADER = "codeQPV,lib_qp,popMuniQPV,indiceJeunesse,taux_d_emploi,taux_pauvrete_60%\n"
TINY_INDICATORS = (
    HEADER + "QN00101M,A,2000,1.2,40,45\nQN00102N,B,1500,,38,\nQN00201I,C,3000,0.9,50,30\nQN99999M,Z,9,1,1,1\n"
)


def test_indicateurs_writes_a_checked_local_file_into_an_updated_folder_with_its_source(tiny_folder, tmp_path, capsys):
    import json

    from cartographie.lecture.reference import load_reference

    source = tmp_path / "insee.csv"
    source.write_text(TINY_INDICATORS, encoding="utf-8")
    (tiny_folder / "MANIFESTE.json").write_text(json.dumps({"sources": {}, "fichiers": {}}), encoding="utf-8")
    assert main(["indicateurs", str(source), "--dossier", str(tiny_folder)]) == 0
    ref = load_reference(tiny_folder)
    assert list(ref.indicateurs["code_qp"]) == ["QN00101M", "QN00102N", "QN00201I"]  # another region's row left out
    assert ref.qpv.set_index("code_qp").at["QN00201I", "population_qpv"] == 3000
    written = json.loads((tiny_folder / "MANIFESTE.json").read_text(encoding="utf-8"))
    assert "insee.csv" in written["sources"]["qpv_indicateurs"]["canal"]
    assert ref.source("qpv_indicateurs").millesime == "millésime non précisé par la source"


def test_indicateurs_refuses_a_bad_file_or_a_mirror_and_writes_nothing(tiny_folder, tmp_path, capsys):
    import json

    source = tmp_path / "insee.csv"
    source.write_text(TINY_INDICATORS, encoding="utf-8")
    before = sorted(p.name for p in tiny_folder.iterdir())
    assert main(["indicateurs", str(source), "--dossier", str(tiny_folder)]) == 1  # no MANIFESTE.json: a mirror
    assert "Rien n'est écrit" in capsys.readouterr().err
    (tiny_folder / "MANIFESTE.json").write_text(json.dumps({"sources": {}, "fichiers": {}}), encoding="utf-8")
    source.write_text(TINY_INDICATORS.replace("3000", "-3"), encoding="utf-8")
    assert main(["indicateurs", str(source), "--dossier", str(tiny_folder)]) == 1
    assert "ligne 4, colonne popMuniQPV" in capsys.readouterr().err
    assert sorted(p.name for p in tiny_folder.iterdir()) == sorted([*before, "MANIFESTE.json"])
