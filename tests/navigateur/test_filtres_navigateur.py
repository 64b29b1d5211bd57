"""Filters and shared links as a user uses them in Chromium."""

from __future__ import annotations

import json
from pathlib import Path

from tests.aides.navigateur import (
    ARTIFACTS,
    MAP_FRAME,
    QPV_DRAWN,
    external_requests,
    open_map,
    pdf_text,
    wait_for_app,
)

QPV_PATHS = QPV_DRAWN


def _drawn_qpv(page) -> int:
    return page.frame_locator(MAP_FRAME).locator(QPV_PATHS).count()


def test_selecting_moselle_leaves_only_its_qpv_on_the_map(page, server_url):
    open_map(page, server_url)
    page.wait_for_function(
        """([frame, sel]) => document.querySelector(frame).contentDocument.querySelectorAll(sel).length >= 123""",
        arg=[MAP_FRAME, QPV_PATHS],
        timeout=30_000,
    )
    widget = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(has_text="Département")
    widget.locator("input").first.click()
    widget.locator("input").first.fill("Moselle")
    page.get_by_role("option", name="Moselle (57)", exact=True).click()
    page.keyboard.press("Escape")
    page.wait_for_function(
        """([frame, sel]) => document.querySelector(frame).contentDocument.querySelectorAll(sel).length === 26""",
        arg=[MAP_FRAME, QPV_PATHS],
        timeout=30_000,
    )
    wait_for_app(page)
    assert "dep=57" in page.url
    page.get_by_text("26 quartiers prioritaires sur 123").first.wait_for()
    page.screenshot(path=str(ARTIFACTS / "carte-moselle.png"))
    # The CSV export holds exactly Moselle's QPV, for French Excel.
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Télécharger (CSV pour Excel)").click()
    assert download.value.suggested_filename.startswith("qpv_2024_dep-57_")
    raw = Path(download.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("Code QPV;") and len(lines) == 27
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Télécharger (GeoJSON)").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert len(data["features"]) == 26 and {f["properties"]["insee_dep"] for f in data["features"]} == {"57"}
    # LibreOffice and QGIS: the same 26 rows, with their sources.
    import geopandas as gpd
    import pandas as pd

    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Télécharger (ODS)").click()
    sheets = pd.read_excel(download.value.path(), engine="odf", sheet_name=None)
    assert len(sheets["QPV"]) == 26 and "Sources" in sheets
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Télécharger (GeoPackage pour QGIS)").click()
    assert download.value.suggested_filename.endswith(".gpkg")
    layer = gpd.read_file(download.value.path(), layer="qpv_2024")
    assert len(layer) == 26 and layer.crs.to_epsg() == 4326
    # The map as images, drawn by the server: PNG for slides, SVG for print.
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Télécharger la carte (PNG, diaporama)").click()
    from PIL import Image

    assert Image.open(download.value.path()).size == (1600, 1000)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Télécharger la carte (SVG, impression)").click()
    svg = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Moselle (57)" in svg and "Metz" in svg and "Sources : Périmètres des quartiers" in svg
    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("button", name="Télécharger la fiche du département à imprimer (PDF, A4)").click()
    assert pdf_text(download.value.path()).count("Moselle") >= 1
    assert "dep=57" in page.url  # a download does not reset the page
    assert external_requests(page) == []


def test_a_shared_link_reopens_the_same_view(page, server_url):
    page.goto(f"{server_url}/carte?dep=57&statut=NOUVEAU&qpv=QN05725N&couches=communes", wait_until="domcontentloaded")
    wait_for_app(page)
    page.frame_locator(MAP_FRAME).locator(QPV_PATHS).first.wait_for(state="attached", timeout=60_000)
    page.wait_for_function(
        """([frame, sel]) => document.querySelector(frame).contentDocument.querySelectorAll(sel).length === 2""",
        arg=[MAP_FRAME, QPV_PATHS],
        timeout=30_000,
    )
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Moselle (57)").first.wait_for(timeout=30_000)  # the sidebar may render after the map
    assert "Nouveau" in sidebar.inner_text()
    page.locator('[data-testid="stHeading"]', has_text="Quartier Falogne").first.wait_for(timeout=30_000)
    page.get_by_text("2 quartiers prioritaires sur 123").first.wait_for()
    # The map is zoomed on the selection, not on the whole region.
    frame = page.locator(MAP_FRAME).element_handle().content_frame()
    frame.wait_for_function(
        """() => window.map.getZoom() >= 9 && window.cartoEmprise
            && window.map.getBounds().contains(L.latLngBounds(window.cartoEmprise))""",
        timeout=10_000,
    )
    page.screenshot(path=str(ARTIFACTS / "lien-partage.png"))
    assert external_requests(page) == []
