"""The room's address and the live keywords' limits, without Streamlit."""

import pytest

from cartographie.domaine.salle import (
    address_from_headers,
    is_loopback,
    participant_key,
)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"Origin": "http://192.168.1.20:8501", "Host": "192.168.1.20:8501"}, "http://192.168.1.20:8501"),
        ({"Origin": "https://Cartographie.Exemple.fr", "Host": "127.0.0.1:8501"}, "https://cartographie.exemple.fr"),
        ({"origin": "https://carto.exemple.fr:443"}, "https://carto.exemple.fr"),
        ({"Host": "salle.local:8501"}, "http://salle.local:8501"),
        (
            {"Host": "127.0.0.1:8501", "X-Forwarded-Host": "carto.exemple.fr", "X-Forwarded-Proto": "https"},
            "https://carto.exemple.fr",
        ),
        ({"Origin": "http://[::1]:8501"}, "http://[::1]:8501"),
        # Malformed or hostile: ignored, never passed on to a QR code.
        ({"Origin": "javascript:alert(1)"}, None),
        ({"Origin": "null", "Host": "evil host<script>"}, None),
        ({"Host": "a.fr:99999"}, None),
        ({"Host": "user:pw@a.fr"}, None),
        ({"Origin": "http://a.fr/chemin?x=1", "Host": "a.fr"}, "http://a.fr"),
        ({}, None),
    ],
)
def test_the_address_comes_from_what_the_browser_sent(headers, expected):
    assert address_from_headers(headers) == expected


@pytest.mark.parametrize(
    ("address", "loopback"),
    [
        ("http://localhost:8501", True),
        ("http://127.0.0.1:8501", True),
        ("http://[::1]:8501", True),
        ("http://0.0.0.0:8501", True),
        ("http://app.localhost", True),
        ("http://192.168.1.20:8501", False),
        ("https://cartographie.exemple.fr", False),
    ],
)
def test_loopback_addresses_are_recognised(address, loopback):
    assert is_loopback(address) is loopback


def test_a_participant_is_kept_as_a_hash_of_their_token_and_session():
    key = participant_key("jeton-aleatoire-de-test", "journee")
    assert participant_key("jeton-aleatoire-de-test", "autre") != key  # another session is another count
    assert "jeton" not in key and len(key) == 32


def test_the_verdict_says_why_and_how_long_to_wait():
    from cartographie.domaine.salle import keyword_verdict

    assert keyword_verdict(0, None, [], None).accepted
    assert "déjà proposé 3 mots-clés" in keyword_verdict(3, 100.0, [], 100.0).message
    waiting = keyword_verdict(1, 0.5, [], 100.0)
    assert not waiting.accepted and waiting.retry_after == 1.5 and "réessayez dans 2 secondes" in waiting.message
    assert "réessayez dans 1 seconde." in keyword_verdict(1, 1.5, [], 100.0).message  # not « 1 secondes »
    full = keyword_verdict(0, None, [1.0, 2.0, 30.0], 10.0, windows=((3, 60.0),))
    assert not full.accepted and full.retry_after == 30.0 and "depuis ce réseau" in full.message


def test_refused_words_are_found_whatever_their_accents_case_or_plural():
    from cartographie.domaine.salle import refused_word
    from cartographie.lecture.mots_refuses import load_refused_words

    words = load_refused_words()
    assert refused_word("MERDE", words) and refused_word("Connards", words) and refused_word("fils de pute", words)
    assert refused_word("Débile !", words)
    assert not refused_word("Confiance", words) and not refused_word("Concertation", words)
    assert refused_word("rutabaga", ["Rutabagas"]) is False and refused_word("Rutabagas", ["rutabaga"])


def test_direction_controls_never_reach_the_room_s_screen():
    from cartographie.domaine.contributions import validate_keyword

    assert validate_keyword("\u202eecnaifnoC") == "ecnaifnoC"  # shown as typed, not reversed
    assert validate_keyword("Écoute\u2066 \u2069mutuelle") == "Écoute mutuelle"
