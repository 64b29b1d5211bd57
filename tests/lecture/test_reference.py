from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Polygon

from cartographie import MissingReferenceData, ReferenceDataError, config, load_reference
from cartographie.lecture.sources import load_manifest
from tests.aides.factories import SUFFIX, qpv_frame


def test_tiny_folder_loads_every_layer_in_wgs84(tiny_folder):
    ref = load_reference(tiny_folder)
    assert len(ref.qpv) == 3 and len(ref.contrats_2024) == 2 and len(ref.epci) == 2
    for frame in (ref.qpv, ref.contrats_2024, ref.contrats_2015, ref.epci, ref.departements, ref.region, ref.communes):
        assert frame.crs.to_epsg() == 4326
    assert ref.region_info.suffixe == SUFFIX


def test_qpv_carry_attributes_status_and_every_2015_code(tiny_folder):
    qpv = load_reference(tiny_folder).qpv.set_index("code_qp")
    assert qpv.loc["QN00101M", "codes_qp_2015"] == "QP001001;QP001002"
    assert qpv.loc["QN00101M", "libs_qp_2015"] == "Tilleuls;Gare"
    assert qpv.loc["QN00102N", "codes_qp_2015"] == ""
    assert qpv.loc["QN00102N", "statut_libelle"] == "Nouveau"
    assert qpv.loc["QN00201I", "code_cv_2024"] == "CN00201I"


def test_contrats_are_drawn_as_their_carrier_perimeter(tiny_folder):
    ref = load_reference(tiny_folder)
    contrats = ref.contrats_2024.set_index("code_cv")
    epci = ref.epci.set_index("siren_epci")
    commune = ref.communes.set_index("insee_com")
    assert contrats.loc["CN00101M", "geometry"].equals(epci.loc["200000001", "geometry"])
    assert contrats.loc["CN00201I", "geometry"].equals(commune.loc["02001", "geometry"])
    assert contrats.loc["CN00101M", "label_lon"] == pytest.approx(5.1)


def test_credits_have_numeric_amounts_and_years(tiny_folder):
    credits = load_reference(tiny_folder).credits
    assert credits["montant"].sum() == pytest.approx(19875.06 + 7164 + 20000)
    assert credits["annee"].tolist() == [2023, 2024, 2024]


def test_missing_folder_names_the_files_and_the_fix(tmp_path):
    with pytest.raises(MissingReferenceData) as error:
        load_reference(tmp_path / "absent")
    message = str(error.value)
    assert "introuvables" in message and "mettre-a-jour" in message and "CARTOGRAPHIE_DONNEES" in message


def test_missing_file_is_named(tiny_folder):
    (tiny_folder / f"epci_{SUFFIX}.geojson").unlink()
    with pytest.raises(MissingReferenceData) as error:
        load_reference(tiny_folder)
    assert error.value.manquants == [f"epci_{SUFFIX}.geojson"]


def test_missing_column_names_file_and_column(tiny_folder):
    path = tiny_folder / f"qpv_2024_{SUFFIX}.csv"
    text = path.read_text().replace("statut_2024_vs_2015", "statut")
    path.write_text(text)
    with pytest.raises(ReferenceDataError) as error:
        load_reference(tiny_folder)
    assert error.value.fichier == path.name
    assert "statut_2024_vs_2015" in str(error.value) and "manquante" in str(error.value)


def test_duplicate_code_is_refused(tiny_folder):
    path = tiny_folder / f"qpv_2024_{SUFFIX}.geojson"
    frame = qpv_frame()
    frame.loc[1, "code_qp"] = "QN00101M"
    frame.to_file(path, driver="GeoJSON")
    with pytest.raises(ReferenceDataError, match=r"en double.*QN00101M"):
        load_reference(tiny_folder)


def test_invalid_geometry_is_refused_with_its_code(tiny_folder):
    path = tiny_folder / f"qpv_2024_{SUFFIX}.geojson"
    frame = qpv_frame()
    bow_tie = Polygon([(5.0, 48.0), (5.01, 48.01), (5.01, 48.0), (5.0, 48.01), (5.0, 48.0)])
    frame.loc[2, "geometry"] = bow_tie
    frame.to_file(path, driver="GeoJSON")
    with pytest.raises(ReferenceDataError, match=r"géométrie invalide.*QN00201I"):
        load_reference(tiny_folder)


def test_swapped_longitude_and_latitude_are_refused(tiny_folder):
    import shapely

    path = tiny_folder / f"qpv_2024_{SUFFIX}.geojson"
    frame = qpv_frame()
    frame["geometry"] = frame.geometry.map(lambda g: shapely.transform(g, lambda xy: xy[:, ::-1]))
    frame.to_file(path, driver="GeoJSON")
    with pytest.raises(ReferenceDataError, match=r"hors de France.*inversées"):
        load_reference(tiny_folder)


def test_projected_file_is_refused(tiny_folder):
    path = tiny_folder / f"departements_{SUFFIX}.geojson"
    frame = gpd.read_file(path).to_crs(2154)
    path.unlink()
    frame.to_file(path, driver="GeoJSON")
    with pytest.raises(ReferenceDataError, match="WGS84"):
        load_reference(tiny_folder)


@pytest.mark.parametrize("content", ["", '{"type": "FeatureCollection", "features": []}', "{pas du json"])
def test_empty_or_malformed_geojson_is_refused(tiny_folder, content):
    (tiny_folder / f"epci_{SUFFIX}.geojson").write_text(content)
    with pytest.raises(ReferenceDataError) as error:
        load_reference(tiny_folder)
    assert error.value.fichier == f"epci_{SUFFIX}.geojson"


def test_empty_csv_is_refused(tiny_folder):
    (tiny_folder / f"credits_adultes_relais_fonjep_{SUFFIX}.csv").write_text("")
    with pytest.raises(ReferenceDataError, match="vide"):
        load_reference(tiny_folder)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda text: text.replace("\n", ",en trop\n", 2).replace(",en trop", "", 1), r"ligne 2.*champs pour"),
        (
            lambda text: ",".join(f"c{i}" for i in range(101)) + "\n" + text,
            r"101 colonnes ; un fichier en a au plus 100",
        ),
    ],
    ids=["ligne trop longue", "trop de colonnes"],
)
def test_a_reference_csv_is_bounded_before_it_is_read(tiny_folder, change, message):
    """The reference tables go through the one bounded CSV reader: a shifted line or a huge header is refused."""
    path = tiny_folder / f"qpv_2024_{SUFFIX}.csv"
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=message) as refused:
        load_reference(tiny_folder)
    assert path.name in str(refused.value)


def test_qpv_without_contrat_is_refused(tiny_folder):
    path = tiny_folder / f"qpv_2024_{SUFFIX}.csv"
    path.write_text(path.read_text().replace("CN00201I,02 - Cœurville", ",02 - Cœurville"))
    with pytest.raises(ReferenceDataError, match=r"sans contrat de ville.*QN00201I"):
        load_reference(tiny_folder)


def test_unknown_carrier_is_refused(tiny_folder):
    path = tiny_folder / f"contrats_ville_2024_{SUFFIX}.geojson"
    data = json.loads(path.read_text())
    data["features"][1]["properties"]["porteur_code"] = "99999"
    path.write_text(json.dumps(data))
    with pytest.raises(ReferenceDataError, match=r"porteur introuvable.*CN00201I"):
        load_reference(tiny_folder)


def test_expected_counts_of_a_known_region_are_checked(tiny_folder, tmp_path):
    manifest_text = config.SOURCES_MANIFEST.read_text(encoding="utf-8")
    manifest_text += (
        f'\n[regions.99]\nnom = "Région Test"\nsuffixe = "{SUFFIX}"\n[regions.99.effectifs]\nqpv_2024 = 4\n'
    )
    manifest_path = tmp_path / "sources.toml"
    manifest_path.write_text(manifest_text, encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=r"3 QPV trouvé.*4 attendu"):
        load_reference(tiny_folder, load_manifest(manifest_path))


@pytest.mark.donnees_reelles
def test_real_folder_has_the_grand_est_counts(real_reference):
    ref = real_reference
    assert ref.region_info.nom == "Grand Est"
    assert len(ref.qpv) == 123
    assert len(ref.contrats_2024) == 39 and len(ref.contrats_2015) == 39
    assert len(ref.epci) == 150 and len(ref.departements) == 10 and len(ref.communes) == 5115
    assert ref.qpv["statut_2024_vs_2015"].value_counts().to_dict() == {"MODIFIE": 81, "INCHANGE": 34, "NOUVEAU": 8}


@pytest.mark.donnees_reelles
def test_real_folder_every_qpv_has_exactly_one_known_contrat(real_reference):
    qpv, contrats = real_reference.qpv, real_reference.contrats_2024
    assert qpv["code_cv_2024"].notna().all()
    assert qpv["code_cv_2024"].str.count(";").eq(0).all()
    assert set(qpv["code_cv_2024"]) == set(contrats["code_cv"])
    per_contrat = qpv.groupby("code_cv_2024").size()
    assert per_contrat.sum() == 123 and (per_contrat >= 1).all()


def test_the_qpv_commune_table_must_match_the_qpv_list(tiny_folder):
    path = tiny_folder / "qpv_2024_communes_test.csv"
    table = pd.read_csv(path, dtype=str)
    table.loc[table["code_qp"] == "QN00201I", "insee_com"] = "01002"  # a commune the list does not give
    table.to_csv(path, index=False)
    with pytest.raises(ReferenceDataError, match=r"qpv_2024_communes_test\.csv.*QN00201I/01002"):
        load_reference(tiny_folder)


def test_a_qpv_spanning_two_communes_is_read_from_the_table(real_reference):
    table = real_reference.qpv_communes
    spanning = table.groupby("code_qp").size()
    assert len(table) == 138 and (spanning > 1).sum() == 12
    qpv = real_reference.qpv.set_index("code_qp")
    for code in spanning[spanning > 1].index:
        names = table.loc[table["code_qp"] == code, "lib_com"]
        assert qpv.at[code, "lib_com"] == ", ".join(names)
