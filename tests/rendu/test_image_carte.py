"""The map as an image (server-side): the same drawing as SVG and PNG, with legend, scale, sources and names."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from cartographie.rendu.image_carte import map_drawing, to_png, to_svg


@pytest.fixture(scope="module")
def reference(real_folder):
    from cartographie.lecture.reference import load_reference

    return load_reference(real_folder)


@pytest.mark.parametrize(
    ("choose", "names"),
    [
        (lambda q: q["code_qp"] == "QN05415M", {"Maxéville"}),
        (lambda q: q["code_cv_2024"] == "CN05403M", {"Nancy", "Vandœuvre-lès-Nancy"}),
        (lambda q: q["insee_dep"] == "57", {"Metz", "MOSELLE"}),
        (lambda q: q["code_qp"].notna(), {"Strasbourg", "Reims", "ARDENNES"}),
    ],
    ids=["un-qpv", "un-contrat", "un-departement", "la-region"],
)
def test_the_map_image_shows_its_qpv_names_legend_scale_and_sources(reference, choose, names):
    codes = set(reference.qpv.loc[choose(reference.qpv), "code_qp"])
    drawing = map_drawing(reference, codes, title="Quartiers prioritaires 2024", subtitle="Sélection")
    svg = to_svg(drawing)
    root = ET.fromstring(svg)
    texts = {t.text for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert names <= texts, names - texts
    assert {"Nouveau", "Modifié", "Inchangé", "Département", "Contrat de ville 2024–2030"} <= texts
    assert any(t.endswith(" km") for t in texts) and any(
        t.startswith("Sources : Périmètres des quartiers") for t in texts
    )
    right = drawing.frame[2]  # the legend's dots are right of the map
    dots = sum(1 for x, *_ in drawing.dots if x <= right)
    drawn = dots + sum(1 for s in drawing.shapes if s.fill.startswith("#") and s.stroke == "#ffffff")
    assert drawn == len(codes)  # every QPV, as a shape or a dot
    # The legend: three statuses, then the size key of the population classes (INSEE's figures are in the folder).
    assert len(drawing.dots) - dots == 6 and "Taille : population du quartier" in texts
    image = Image.open(io.BytesIO(to_png(drawing)))
    assert image.size == (1600, 1000) and image.format == "PNG"
    assert len(svg) < 400_000


def test_names_typed_in_the_data_are_text_in_the_svg(reference):
    drawing = map_drawing(reference, {"QN05415M"}, title="<script>alert(1)</script>", subtitle="a & b")
    svg = to_svg(drawing).decode()
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a &amp; b" in svg


def test_the_image_shows_the_map_s_optional_layers_with_their_legend(reference):
    codes = set(reference.qpv.loc[reference.qpv["insee_dep"] == "54", "code_qp"])
    plain = map_drawing(reference, codes, title="t", subtitle="s")
    layered = map_drawing(reference, codes, title="t", subtitle="s", couches=("epci", "communes", "contrats_2015"))
    texts = {t.text for t in layered.texts}
    assert {"Couches ajoutées", "EPCI (tirets)", "Contrat de ville 2015–2023 (tirets)"} <= texts
    assert len(layered.shapes) > len(plain.shapes) and any(s.dash for s in layered.shapes)
    assert b'stroke-dasharray="6 4"' in to_svg(layered)


def test_the_image_shows_the_credits_and_experiences_layers_as_the_screen(reference):
    from cartographie.domaine.cooperations import experience_points, territory_points
    from cartographie.lecture.experiences import load_authored

    points = experience_points(load_authored(), territory_points(reference))
    drawing = map_drawing(
        reference, None, title="t", subtitle="s", couches=("credits", "experiences"), credits=(2024, "montant"),
        experiences=points,
    )  # fmt: skip
    texts = {t.text for t in drawing.texts}
    assert "Expérience de coopération" in texts and any("FONJEP 2024" in t for t in texts)
    written = " ".join(t.text for t in drawing.texts)
    assert reference.source("credits").titre in written  # the credits' source joins the others
    diamonds = [s for s in drawing.shapes if s.fill == "#000000" and s.clip]
    assert len(diamonds) == len(points) > 0
