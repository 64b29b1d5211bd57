"""The map's browser benchmark: what it chooses to measure and how it reports two versions."""

from __future__ import annotations

from outils.bench_carte import Version, choices_of, rows_of
from outils.synthetique import generate_france


def test_the_choices_measured_are_the_largest_department_and_contrat_and_the_new_qpv(tmp_path):
    folder = generate_france(tmp_path / "france", n_communes=600, n_epci=30, n_departements=4, n_qpv=40)
    total, choices = choices_of(folder)
    assert [c.field for c in choices] == ["Département", "Contrat de ville 2024–2030", "Statut par rapport à 2015"]
    assert all(0 < c.expected < total for c in choices[:2])
    # The department's label is the list's own (name and code), and its count the app's filter's.
    assert choices[0].option.endswith(")") and "(" in choices[0].option


def test_two_versions_get_their_medians_and_the_median_ratio_of_the_rounds():
    before = Version("avant", None, samples={"m": [0.2, 0.4, 0.3]})
    after = Version("après", None, samples={"m": [0.1, 0.4, 0.6]})
    [row] = rows_of("région", [before, after])
    assert row == ["région", "m", "300 ms (n=3)", "400 ms (n=3)", "1.00×"]  # ratios 0.5, 1.0, 2.0
