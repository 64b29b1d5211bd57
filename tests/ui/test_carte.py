"""Which layers a map rerun draws: optional layers by key (rendered once), the rest small and per rerun."""

from __future__ import annotations

import pandas as pd

from cartographie import config
from cartographie.domaine.vocabulaires import COUCHES
from cartographie.rendu.carte import MapLayer


def test_optional_layers_are_keyed_and_built_from_the_cached_geojson(tiny_folder, monkeypatch):
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(tiny_folder))
    from cartographie.ui import cache
    from cartographie.ui.carte import map_groups

    cache.refresh_data_key()
    groups = map_groups(
        codes={"QN00101M"},
        fit_key="test",
        couches=tuple(COUCHES),
        selected_qpv="QN00101M",
        credits=pd.Series({"CN00101M": 7164.0}),
        annee=2024,
        credits_source="ANCT",
        experiences=pd.DataFrame({"id": ["x"], "titre": ["t"], "latitude": [48.0], "longitude": [5.0]}),
    )
    optional = [g for g in groups if isinstance(g, MapLayer)]
    assert [g.key for g in optional[:4]] == ["credits:2024:montant:ANCT:", "contrats_2015", "communes", "epci"]
    assert optional[4].key.startswith("experiences:")  # keyed by content
    names = [g.build().layer_name for g in optional]
    assert names == [
        "Crédits adultes-relais et FONJEP (montant) 2024",
        "Contrats de ville 2015–2023",
        "Communes ayant un QPV",
        "EPCI",
        "Expériences de coopération",
    ]
    per_rerun = [g for g in groups if not isinstance(g, MapLayer)]
    assert len(per_rerun) == 1  # the QPV filter (it also outlines the chosen QPV)


def test_no_layer_but_the_filter_when_nothing_is_chosen(tiny_folder, monkeypatch):
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(tiny_folder))
    from cartographie.ui import cache
    from cartographie.ui.carte import map_groups

    cache.refresh_data_key()
    assert len(map_groups(codes=None, fit_key="tout")) == 1
    assert len(map_groups(codes={"QN00101M"}, fit_key="x", selected_qpv="QN99999M")) == 1


def test_the_experiences_layer_changes_key_when_an_experience_changes(tiny_folder, monkeypatch):
    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(tiny_folder))
    from cartographie.ui import cache
    from cartographie.ui.carte import map_groups

    cache.refresh_data_key()
    points = pd.DataFrame({"id": ["x"], "titre": ["t"], "latitude": [48.0], "longitude": [5.0]})

    def key(frame):
        return map_groups(codes=None, fit_key="k", couches=("experiences",), experiences=frame)[-1].key

    assert key(points) == key(points.copy())
    assert key(points) != key(points.assign(titre="t modifié"))
