"""streamlit-folium's private entry points, checked against the installed version; the public fallback."""

from __future__ import annotations

import inspect
import json
import logging

import pytest
from streamlit.testing.v1 import AppTest

from cartographie import config
from cartographie.ui import composant_carte


def test_streamlit_folium_still_has_what_the_map_component_uses():
    import streamlit_folium as sf

    where = "voir cartographie/ui/composant_carte.py"
    for name in ("_get_html", "_get_header", "_get_map_string", "_get_feature_group_string", "_component_func"):
        assert hasattr(sf, name), f"streamlit_folium.{name} a disparu ({where})"
    assert list(inspect.signature(sf._get_feature_group_string).parameters) == ["feature_group_to_add", "map", "idx"]
    # The component's own arguments: those of the public st_folium's call, which the fast path passes too.
    source = inspect.getsource(sf.st_folium)
    call = source[source.rindex("_component_func(") :]
    for argument in composant_carte._COMPONENT_ARGUMENTS:
        assert f"{argument}=" in call, f"argument « {argument} » du composant absent de streamlit-folium ({where})"


@pytest.mark.parametrize(
    ("where", "error"),
    [
        # a new streamlit-folium renames an argument of the private call
        ("_draw", TypeError("_component_func() got an unexpected keyword argument 'wrap_longitude'")),
        # a private helper is gone
        ("_draw", AttributeError("module 'streamlit_folium' has no attribute '_component_func'")),
        # a new folium writes its map differently: the base map's data cannot be split from its script
        ("_base_map_payload", ValueError("les données du fond de carte sont introuvables dans son script")),
        # the static folder's data script cannot be prepared
        ("_scripts", KeyError("fond")),
    ],
    ids=["argument", "nom", "format", "autre"],
)
def test_the_map_falls_back_to_the_public_api_when_the_private_call_breaks(
    real_folder, monkeypatch, caplog, where, error
):
    def moved(*args, **kwargs):
        raise error

    monkeypatch.setenv(config.REFERENCE_DIR_ENV, str(real_folder))
    monkeypatch.setattr(composant_carte, where, moved)
    at = AppTest.from_file(str(config.PROJECT_DIR / "app.py"), default_timeout=120)
    at.switch_page("pages/carte.py")
    with caplog.at_level(logging.WARNING, logger="cartographie"):
        at.run()
    assert not at.exception
    assert any("voie publique" in r.getMessage() for r in caplog.records)
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    assert '"code_qp"' in args["script"]  # the whole map, data included, through st_folium
