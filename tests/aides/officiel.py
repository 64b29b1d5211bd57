"""Small files in the formats of the official publishers, and a local HTTP server that serves them.

Region "99" (« Région Test ») has two departments, three communes, two EPCI and three QPV;
a commune, an EPCI, a QPV and a contrat of region "98" are there too, to check the filtering.
"""

from __future__ import annotations

import codecs
import io
import json
import tarfile
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from shapely.geometry import box, mapping

from tests.aides.factories import communes_frame, contrats_2024_frame, qpv_frame

OUTSIDE_COMMUNE = box(6.0, 48.0, 6.1, 48.1)


def _fc(features: list[dict]) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def _feature(properties: dict, geometry) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": mapping(geometry)}


def _csv(rows: list[list[str]]) -> bytes:
    """French-Excel flavoured CSV: `;`, UTF-8 with BOM, codes written ="…"."""
    text = "\r\n".join(";".join(cells) for cells in rows) + "\r\n"
    return codecs.BOM_UTF8 + text.encode("utf-8")


def decoupage_tgz() -> bytes:
    data = {
        "regions": [{"code": "99", "nom": "Région Test"}, {"code": "98", "nom": "Autre Région"}],
        "departements": [
            {"code": "01", "nom": "Ain-Test", "region": "99"},
            {"code": "02", "nom": "Aisne-Test", "region": "99"},
            {"code": "03", "nom": "Ailleurs", "region": "98"},
        ],
        "communes": [
            {
                "code": "01001",
                "nom": "Aville",
                "departement": "01",
                "region": "99",
                "type": "commune-actuelle",
                "population": 50000,
            },
            {
                "code": "01002",
                "nom": "Bébourg-lès-Eaux",
                "departement": "01",
                "region": "99",
                "type": "commune-actuelle",
                "population": 8000,
            },
            {
                "code": "02001",
                "nom": "Cœurville",
                "departement": "02",
                "region": "99",
                "type": "commune-actuelle",
                "population": 12000,
            },
            {
                "code": "03001",
                "nom": "Dailleurs",
                "departement": "03",
                "region": "98",
                "type": "commune-actuelle",
                "population": 900,
            },
            {"code": "01099", "nom": "Ancienne", "departement": "01", "region": "99", "type": "commune-deleguee"},
        ],
        "epci": [
            {
                "code": "200000001",
                "nom": "CA d'Aville",
                "type": "CA",
                "membres": [{"code": "01001"}, {"code": "01002"}],
            },
            {"code": "200000002", "nom": "CC de Cœurville", "type": "CC", "membres": [{"code": "02001"}]},
            {"code": "200000003", "nom": "CC d'Ailleurs", "type": "CC", "membres": [{"code": "03001"}]},
        ],
    }
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name in data:
            raw = json.dumps(data[name]).encode()
            info = tarfile.TarInfo(f"package/data/{name}.json")
            info.size = len(raw)
            archive.addfile(info, io.BytesIO(raw))
    return buffer.getvalue()


def qpv_perimeters_zip() -> bytes:
    frame = qpv_frame()
    features = []
    for record in frame.drop(columns="geometry").to_dict("records"):
        record["insee_reg"] = "99"
        features.append(_feature(record, frame.loc[frame.code_qp == record["code_qp"], "geometry"].iloc[0]))
    features.append(
        _feature(
            {
                "fid": 9.0,
                "code_qp": "QN00301M",
                "lib_qp": "Ailleurs",
                "insee_reg": "98",
                "lib_reg": "Autre",
                "insee_dep": "03",
                "lib_dep": "Ailleurs",
                "insee_com": "03001",
                "lib_com": "Dailleurs",
                "siren_epci": "200000003",
            },
            box(6.01, 48.01, 6.02, 48.02),
        )
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("GEOJSON/QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson", _fc(features))
        archive.writestr("LISEZMOI.txt", "QPV 2024")
    return buffer.getvalue()


def qpv_list_csv() -> bytes:
    return _csv(
        [
            ["code_qp", "lib_qp", "insee_reg", "insee_dep", "insee_com", "lib_com", "siren_epci", "lib_epci"],
            [
                '="QN00101M"',
                "Les Tilleuls",
                '="99"',
                '="01"',
                '="01001;01002"',
                '"Aville;Bébourg-lès-Eaux"',
                '="200000001"',
                "CA d'Aville",
            ],
            ['="QN00102N"', "Centre <Gare>", '="99"', '="01"', '="01001"', "Aville", '="200000001"', "CA d'Aville"],
            ['="QN00201I"', "Le Plateau", '="99"', '="02"', '="02001"', "Cœurville", '="200000002"', "CC de Cœurville"],
            ['="QN00301M"', "Ailleurs", '="98"', '="03"', '="03001"', "Dailleurs", '="200000003"', "CC d'Ailleurs"],
        ]
    )


def correspondence_csv() -> bytes:
    return _csv(
        [
            [
                "QP2024",
                "Label_QP2024",
                "Statut",
                "QP2015_1",
                "Label_QP2015_1",
                "QP2015_2",
                "Label_QP2015_2",
                "QP2015_3",
                "Label_QP2015_3",
            ],
            ["QN00101M", "Les Tilleuls", "Modifié", "QP001001", "Tilleuls", "QP001002", "Gare", "", ""],
            ["QN00102N", "Centre <Gare>", "Nouveau", "", "", "", "", "", ""],
            ["QN00201I", "Le Plateau", "Inchangé", "QP002001", "Le Plateau", "", "", "", ""],
            ["QN00301M", "Ailleurs", "Modifié", "QP003001", "Ailleurs", "", "", "", ""],
        ]
    )


def contrats_2024_json() -> bytes:
    frame = contrats_2024_frame()
    features = [
        _feature({"codgeo": code, "code_cv": cv, "lib_cv": lib, "insee_dep": dep, "pop": pop}, geom)
        for code, cv, lib, dep, pop, geom in zip(
            frame.porteur_code,
            frame.code_cv,
            frame.lib_cv,
            frame.insee_dep,
            frame.pop_anct,
            frame.geometry,
            strict=True,
        )
    ]
    features.append(
        _feature(
            {
                "codgeo": "200000003",
                "code_cv": "CN00301M",
                "lib_cv": "03 - CC d'Ailleurs",
                "insee_dep": "03",
                "pop": 10.0,
            },
            box(6, 48, 6.01, 48.01).centroid,
        )
    )
    return _fc(features)


def contrats_2015_topojson() -> bytes:
    # Two squares sharing the arc x=5.2 (arc 1 is reversed in the second polygon).
    arcs = [
        [[5.2, 48.0], [5.0, 48.0], [5.0, 48.1], [5.2, 48.1]],
        [[5.2, 48.1], [5.2, 48.0]],
        [[5.2, 48.0], [5.3, 48.0], [5.3, 48.1], [5.2, 48.1]],
        [[6.0, 48.0], [6.1, 48.0], [6.1, 48.1], [6.0, 48.1], [6.0, 48.0]],
    ]
    geometries = [
        {
            "type": "Polygon",
            "arcs": [[0, 1]],
            "properties": {
                "id": "CV001",
                "lib": "CA d'Aville",
                "perimetre": "epci",
                "nbcom": 2,
                "info1": 200000001,
                "info2": "https://sig.ville.gouv.fr/Territoire/CV001",
                "info3": None,
            },
        },
        {
            "type": "Polygon",
            "arcs": [[2, ~1]],
            "properties": {
                "id": "CV002",
                "lib": "Cœurville",
                "perimetre": "commune",
                "nbcom": 1,
                "info1": 2001,
                "info2": "https://sig.ville.gouv.fr/Territoire/CV002",
                "info3": None,
            },
        },
        {
            "type": "Polygon",
            "arcs": [[3]],
            "properties": {
                "id": "CV003",
                "lib": "Ailleurs",
                "perimetre": "epci",
                "nbcom": 1,
                "info1": 200000003,
                "info2": "",
                "info3": None,
            },
        },
    ]
    return json.dumps(
        {
            "type": "Topology",
            "objects": {"zonage": {"type": "GeometryCollection", "geometries": geometries}},
            "arcs": arcs,
        }
    ).encode()


def contrats_2015_attributes() -> bytes:
    return _fc(
        [
            _feature(
                {
                    "codgeo": "200000001",
                    "code_cv": "CV001",
                    "lib_cv": "01 - CA d'Aville",
                    "insee_dep": "01",
                    "pop": 3000.0,
                },
                box(5, 48, 5.1, 48.1).centroid,
            ),
            _feature(
                {"codgeo": "02001", "code_cv": "CV002", "lib_cv": "02 - Cœurville", "insee_dep": "02", "pop": 900.0},
                box(5.2, 48, 5.3, 48.1).centroid,
            ),
            _feature(
                {"codgeo": "200000003", "code_cv": "CV003", "lib_cv": "03 - Ailleurs", "insee_dep": "03", "pop": 10.0},
                box(6, 48, 6.1, 48.1).centroid,
            ),
        ]
    )


def credits_json(dispositif: str, year: int) -> bytes:
    code_cv = "CV001" if year < 2024 else "CN00101M"
    records = [
        {
            "id_poste": f"{dispositif[:2]}{year}1",
            "code_tiers": "1",
            "raison_sociale": "ASSO A",
            "annee": year,
            "montant": 7164,
            "code_cv": code_cv,
            "insee_dep": "01",
            "insee_reg": "99",
        },
        {
            "id_poste": f"{dispositif[:2]}{year}2",
            "raison_sociale": "ASSO AILLEURS",
            "annee": str(year),
            "montant": 7164,
            "code_cv": "CN00301M",
            "insee_dep": "03",
            "insee_reg": "98",
        },
    ]
    return json.dumps(records).encode()


def contours(level: str) -> bytes:
    communes = communes_frame()
    if level == "communes":
        features = [
            _feature({"code": c, "nom": n, "departement": d, "region": "99"}, g)
            for c, n, d, g in zip(communes.insee_com, communes.nom, communes.insee_dep, communes.geometry, strict=True)
        ]
        features.append(
            _feature({"code": "03001", "nom": "Dailleurs", "departement": "03", "region": "98"}, OUTSIDE_COMMUNE)
        )
    elif level == "epci":
        features = [
            _feature({"code": "200000001", "nom": "CA d'Aville"}, box(5.0, 48.0, 5.2, 48.1)),
            _feature({"code": "200000002", "nom": "CC de Cœurville"}, box(5.2, 48.0, 5.3, 48.1)),
            _feature({"code": "200000003", "nom": "CC d'Ailleurs"}, OUTSIDE_COMMUNE),
        ]
    elif level == "departements":
        features = [
            _feature({"code": "01", "nom": "Ain-Test", "region": "99"}, box(5.0, 48.0, 5.2, 48.1)),
            _feature({"code": "02", "nom": "Aisne-Test", "region": "99"}, box(5.2, 48.0, 5.3, 48.1)),
            _feature({"code": "03", "nom": "Ailleurs", "region": "98"}, OUTSIDE_COMMUNE),
        ]
    else:
        features = [
            _feature({"code": "99", "nom": "Région Test"}, box(5.0, 48.0, 5.3, 48.1)),
            _feature({"code": "98", "nom": "Autre Région"}, OUTSIDE_COMMUNE),
        ]
    return _fc(features)


def official_files(base: str) -> dict[str, bytes]:
    """Path → content of every file the local server publishes."""
    files = {
        "/datasets/r/qpv-perimetres": qpv_perimeters_zip(),
        "/listeqp2024-cog2024.csv": qpv_list_csv(),
        "/api/resources": json.dumps(
            {
                "data": [
                    {"title": "Liste des QPV 2024", "url": f"{base}/listeqp2024-cog2024.csv"},
                    {
                        "title": "Correspondance QPV 2024 - QPV 2015",
                        "url": f"{base}/liste-correspondance-qp2024-qp2015.csv",
                    },
                ]
            }
        ).encode(),
        "/liste-correspondance-qp2024-qp2015.csv": correspondence_csv(),
        "/ci-ville2/geom_cv_ctr.json": contrats_2024_json(),
        "/ci-ville/geom_cv_ctr.json": contrats_2015_attributes(),
        "/superposeur/cv.topojson": contrats_2015_topojson(),
        "/contours/communes-100m.geojson": contours("communes"),
        "/contours/epci-100m.geojson": contours("epci"),
        "/contours/departements-100m.geojson": contours("departements"),
        "/contours/regions-100m.geojson": contours("regions"),
        "/npm/decoupage-administratif-6.0.0.tgz": decoupage_tgz(),
        "/page.html": b"<!doctype html><html><body>Maintenance</body></html>",
    }
    for dispositif, name in (("adultes-relais", "adulte-relais"), ("FONJEP", "postes-fonjep")):
        for year in range(2020, 2026):
            files[f"/credits/{name}-{year}.json"] = credits_json(dispositif, year)
    return files


def official_addresses(base: str) -> dict[str, str]:
    """The update's address table, pointing at the local server (perimeters through a redirect)."""
    addresses = {
        "qpv_perimetres": f"{base}/redirect/datasets/r/qpv-perimetres",
        "qpv_liste": f"{base}/listeqp2024-cog2024.csv",
        "qpv_ressources": f"{base}/api/resources",
        "contrats_2024": f"{base}/ci-ville2/geom_cv_ctr.json",
        "contrats_2015_attributs": f"{base}/ci-ville/geom_cv_ctr.json",
        "contrats_2015_perimetres": f"{base}/superposeur/cv.topojson",
        "communes_contours": f"{base}/contours/communes-100m.geojson",
        "epci_contours": f"{base}/contours/epci-100m.geojson",
        "departements_contours": f"{base}/contours/departements-100m.geojson",
        "regions_contours": f"{base}/contours/regions-100m.geojson",
        "decoupage_administratif": f"{base}/npm/decoupage-administratif-6.0.0.tgz",
    }
    for dispositif, name in (("adultes-relais", "adulte-relais"), ("FONJEP", "postes-fonjep")):
        for year in range(2020, 2026):
            addresses[f"{dispositif}_{year}"] = f"{base}/credits/{name}-{year}.json"
    return addresses


class OfficialServer:
    """A real HTTP server on 127.0.0.1 with a few misbehaving addresses for the failure tests."""

    def __init__(self) -> None:
        files: dict[str, bytes] = {}
        self.hits: list[tuple[str, str]] = []
        hits = self.hits

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep the test output quiet
                pass

            def do_GET(self) -> None:
                hits.append((self.path, self.headers.get("User-Agent", "")))
                if self.path.startswith("/redirect/"):
                    self.send_response(302)
                    self.send_header("Location", self.path.removeprefix("/redirect"))
                    self.end_headers()
                elif self.path == "/lent":
                    time.sleep(3)
                    self._send(b"{}")
                elif self.path == "/tronque":
                    self.send_response(200)
                    self.send_header("Content-Length", "100000")
                    self.end_headers()
                    self.wfile.write(b'{"type": "FeatureCollection", "features": [')
                elif self.path in files:
                    self._send(files[self.path])
                else:
                    self.send_error(404, "Not Found")

            def _send(self, body: bytes) -> None:
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        files.update(official_files(self.base))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> OfficialServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
