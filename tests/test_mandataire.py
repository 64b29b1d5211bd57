"""The room's proxy: what nginx is told, checked by nginx itself; Streamlit's interface compressed once."""

from __future__ import annotations

import gzip
import shutil
import subprocess

import brotli
import pytest
from fontTools.ttLib import TTFont

from cartographie import icones
from cartographie.mandataire import BROTLI_MODULE, nginx_binary, nginx_config, precompressed_static


def test_the_configuration_keeps_each_browser_on_its_process_and_serves_the_interface_itself(tmp_path):
    text = nginx_config(
        listen="127.0.0.1:8080", ports=[8081, 8082], static=tmp_path / "s", folder=tmp_path, brotli=True
    )
    assert "server 127.0.0.1:8081 max_fails=0;" in text and "server 127.0.0.1:8082 max_fails=0;" in text
    assert "hash $cartographie_route consistent;" in text  # a cookie, not the address: a room shares one
    assert "proxy_set_header Upgrade $http_upgrade;" in text and "proxy_set_header Host $http_host;" in text
    assert f"alias {tmp_path / 's'}/;" in text and "gzip_static on;" in text and "brotli_static on;" in text
    assert "immutable" in text
    font = "/media/MaterialSymbols-"
    assert f"location /static{font} {{\n            alias {tmp_path / 's'}{font};" in text
    assert 'add_header Cache-Control "no-cache";' in text  # the cut-down icon font, under Streamlit's name
    assert "brotli_static" not in nginx_config(
        listen="127.0.0.1:8080", ports=[8081], static=tmp_path / "s", folder=tmp_path, brotli=False
    )


@pytest.mark.skipif(nginx_binary() is None, reason="nginx absent (./scripts/tests.sh l'installe)")
def test_nginx_accepts_the_configuration(tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        nginx_config(listen="127.0.0.1:8080", ports=[8081, 8082], static=tmp_path, folder=tmp_path), "utf-8"
    )
    checked = subprocess.run(
        [nginx_binary(), "-t", "-c", str(conf), "-p", str(tmp_path)], capture_output=True, text=True, timeout=30
    )
    assert checked.returncode == 0 and "[warn]" not in checked.stderr, checked.stderr
    assert ("brotli" in conf.read_text()) == BROTLI_MODULE.exists()


def test_the_interface_is_compressed_once_per_streamlit_version_and_set_of_icons(tmp_path):
    from cartographie.mandataire import streamlit_static

    assert sorted(streamlit_static().glob("static/js/index.*.js")), "le script principal de Streamlit"
    source = tmp_path / "source"
    (source / "js").mkdir(parents=True)
    (source / "media").mkdir()
    raw = b"const texte = 'Contrats de ville';\n" * 200
    (source / "js" / "index.abc123.js").write_bytes(raw)
    (source / "media" / "police.woff2").write_bytes(b"\x00" * 50)
    icon_font = next((streamlit_static() / "static" / "media").glob(icones.FONT_GLOB))
    shutil.copy(icon_font, source / "media" / icon_font.name)
    first = precompressed_static(tmp_path / "copie", source, icons={"forum", "map"})
    assert gzip.decompress((first / "js" / "index.abc123.js.gz").read_bytes()) == raw
    assert brotli.decompress((first / "js" / "index.abc123.js.br").read_bytes()) == raw
    assert not (first / "media" / "police.woff2.gz").exists()  # a font is compressed already
    cut = first / "media" / icon_font.name  # under Streamlit's name, the two icons alone
    kept = icones.ligatures(TTFont(cut))  # (and the other names of the same glyphs: « question_answer »)
    assert {"forum", "map"} <= kept.keys() and len(set(kept.values())) == 2 and cut.stat().st_size < 10_000
    marker = (first / ".complet").stat().st_mtime_ns
    again = precompressed_static(tmp_path / "copie", source, icons={"map", "forum"})
    assert again == first and (first / ".complet").stat().st_mtime_ns == marker  # reused
    assert precompressed_static(tmp_path / "copie", source, icons={"forum"}) != first  # other icons, another copy
