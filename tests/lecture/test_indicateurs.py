"""INSEE's QPV indicators: bounded before parsing, checked row by row, refused in French naming row and column."""

from __future__ import annotations

import pandas as pd
import pytest

from cartographie.lecture.erreurs import ReferenceDataError
from cartographie.lecture.indicateurs import MAX_LINE, MAX_ROWS, load_qpv_indicators, read_indicators

HEADER = "codeQPV,lib_qp,popMuniQPV,indiceJeunesse,taux_d_emploi,taux_pauvrete_60%"


def _file(tmp_path, *rows: str, header: str = HEADER):
    path = tmp_path / "qpv_2024_indicateurs_test.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_values_are_read_with_empty_cells_as_unpublished(tmp_path):
    frame = read_indicators(
        _file(tmp_path, "QN00801M,Manchester,2250,0.9,37.8,51.0", "QN00804M,La Couronne,997,,49.9,45")
    )
    assert list(frame["code_qp"]) == ["QN00801M", "QN00804M"]
    assert frame.loc[0, "population"] == 2250 and frame.loc[0, "taux_pauvrete"] == 51.0
    assert pd.isna(frame.loc[1, "indice_jeunesse"])  # secret statistique


def test_a_national_file_repeats_a_qpv_per_commune_with_the_same_values(tmp_path):
    same = "QN00801M,Manchester,2250,0.9,37.8,51.0"
    assert len(read_indicators(_file(tmp_path, same, same))) == 1
    with pytest.raises(ReferenceDataError, match="ligne 3 : QN00801M répété avec d'autres valeurs"):
        read_indicators(_file(tmp_path, same, "QN00801M,Manchester,2251,0.9,37.8,51.0"))


@pytest.mark.parametrize(
    ("row", "said"),
    [
        ("QN00801M,X,0,0.9,37.8,51", "ligne 2, colonne popMuniQPV : population non entière ou nulle"),
        ("QN00801M,X,12.5,0.9,37.8,51", "ligne 2, colonne popMuniQPV : population non entière"),
        ("QN00801M,X,2250,0.9,137.8,51", "ligne 2, colonne taux_d_emploi : 137.8 hors de l'intervalle plausible"),
        ("QN00801M,X,2250,0.9,37.8,-1", "ligne 2, colonne taux_pauvrete_60% : -1 hors de l'intervalle"),
        ("QN00801M,X,2250,abc,37.8,51", "ligne 2, colonne indiceJeunesse : nombre illisible « abc »"),
        ("QN00801M,X,2250,nan,37.8,51", "ligne 2, colonne indiceJeunesse : nombre illisible"),
        ("QP00801M,X,2250,0.9,37.8,51", "ligne 2, colonne codeQPV : code de QPV invalide"),
        ("QN00801M,X,2250", "ligne 2 : 3 cases pour 6 colonnes"),
    ],
)
def test_each_implausible_value_is_refused_naming_its_row_and_column(tmp_path, row, said):
    with pytest.raises(ReferenceDataError) as refused:
        read_indicators(_file(tmp_path, row))
    assert said in str(refused.value) and "qpv_2024_indicateurs_test.csv" in str(refused.value)


def test_a_missing_column_is_named(tmp_path):
    with pytest.raises(ReferenceDataError, match="colonne\\(s\\) absente\\(s\\) : taux_d_emploi"):
        read_indicators(
            _file(
                tmp_path, "QN00801M,X,2250,0.9,51", header="codeQPV,lib_qp,popMuniQPV,indiceJeunesse,taux_pauvrete_60%"
            )
        )


def test_shape_is_bounded_before_anything_is_parsed(tmp_path):
    with pytest.raises(ReferenceDataError, match=f"ligne 2 trop longue .* {MAX_LINE} au plus"):
        read_indicators(_file(tmp_path, "QN00801M," + "x" * (MAX_LINE + 10)))
    with pytest.raises(ReferenceDataError, match=f"trop de lignes .*{MAX_ROWS} au plus"):
        read_indicators(_file(tmp_path, *["QN00801M,X,1,1,1,1"] * (MAX_ROWS + 5)))
    with pytest.raises(ReferenceDataError, match="trop de colonnes"):
        read_indicators(_file(tmp_path, header=",".join(f"c{i}" for i in range(100))))
    with pytest.raises(ReferenceDataError, match="trop lourd"):
        read_indicators(tmp_path / "x.csv", raw=b"a" * (6 * 2**20))


def test_every_qpv_of_the_list_is_required_and_no_qpv_outnumbers_its_communes(tmp_path):
    qpv = pd.DataFrame({"code_qp": ["QN00801M", "QN00802M"]})
    communes = pd.DataFrame({"insee_com": ["08105"], "population": [3000]})
    links = pd.DataFrame({"code_qp": ["QN00801M", "QN00802M"], "insee_com": ["08105", "08105"]})
    one = _file(tmp_path, "QN00801M,X,2250,0.9,37.8,51")
    with pytest.raises(ReferenceDataError, match="1 QPV de la liste absent\\(s\\) du fichier : QN00802M"):
        load_qpv_indicators(one, qpv, communes, links)
    both = _file(tmp_path, "QN00801M,X,2250,0.9,37.8,51", "QN00802M,Y,3500,1,40,30", "QN05415M,Z,100,1,1,1")
    with pytest.raises(ReferenceDataError, match="QN00802M \\(3500 habitants pour 3000 dans ses communes\\)"):
        load_qpv_indicators(both, qpv, communes, links)
    fine = _file(tmp_path, "QN00801M,X,2250,0.9,37.8,51", "QN00802M,Y,2500,1,40,30", "QN05415M,Z,100,1,1,1")
    frame = load_qpv_indicators(fine, qpv, communes, links)
    assert list(frame["code_qp"]) == ["QN00801M", "QN00802M"]  # another region's QPV left out


def test_the_mirror_file_is_accepted(real_folder, real_reference):
    frame = load_qpv_indicators(
        real_folder / "qpv_2024_indicateurs_grand_est.csv",
        real_reference.qpv,
        real_reference.communes,
        real_reference.qpv_communes,
    )
    assert len(frame) == 123 and int(frame["population"].sum()) == 418_585
    assert frame["indice_jeunesse"].isna().sum() == 13 and frame["taux_pauvrete"].isna().sum() == 5
