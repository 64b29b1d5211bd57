"""The synthetic France of the benchmark loads through the product's own loaders, the same each time."""

from __future__ import annotations

import hashlib

from cartographie import load_reference
from outils.synthetique import generate_france

SMALL = dict(n_communes=600, n_epci=30, n_departements=4, n_qpv=40)


def _digest(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_a_small_synthetic_france_is_a_valid_reference_folder(tmp_path):
    folder = generate_france(tmp_path / "france", **SMALL)
    ref = load_reference(folder)
    assert ref.region_info.nom == "France Synthetique"  # the region named after the files' suffix
    assert 30 <= len(ref.qpv) <= 40 and len(ref.departements) == 4
    assert set(ref.qpv["code_cv_2024"]) <= set(ref.contrats_2024["code_cv"])
    assert ref.qpv["lib_qp"].str.startswith("Quartier synthétique").all()  # never mistaken for real data


def test_the_same_seed_writes_the_same_files(tmp_path):
    first = _digest(generate_france(tmp_path / "a", **SMALL))
    assert first == _digest(generate_france(tmp_path / "b", **SMALL))
