"""The room's address and the live keywords' limits, without Streamlit."""

import pytest

from cartographie.domaine.salle import KeywordLimits, address_from_headers, is_loopback, participant_key


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


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_a_participant_sends_three_keywords_whatever_the_session_they_open():
    limits = KeywordLimits(clock=Clock())
    key = participant_key("jeton-aleatoire-de-test", "journee")
    for _ in range(3):
        assert limits.check(key, "10.0.0.1").accepted
        limits.record(key, "10.0.0.1")
    verdict = limits.check(key, "10.0.0.1")
    assert not verdict.accepted and "déjà proposé 3 mots-clés" in verdict.message
    # Another session of the day is another count; the token alone does not appear in what is kept.
    assert participant_key("jeton-aleatoire-de-test", "autre") != key
    assert "jeton" not in key


def test_a_room_behind_one_router_passes_and_a_flood_is_slowed():
    clock = Clock()
    limits = KeywordLimits(clock=clock)
    # 150 phones behind the venue's router, one keyword each within a minute, then two more each.
    for phone in range(150):
        clock.now = phone * 0.4
        assert limits.check(f"p{phone}", "routeur").accepted
        limits.record(f"p{phone}", "routeur")
    for phone in range(150):
        for _ in range(2):
            clock.now += 1.0
            assert limits.check(f"p{phone}", "routeur").accepted
            limits.record(f"p{phone}", "routeur")
    # A script that opens a new session for every keyword: held back by its network's windows.
    clock.now = 10_000.0
    stored = 0
    for n in range(1_000):
        clock.now += 60 / 267  # 267 a minute, as measured
        if limits.check(f"script{n}", "script").accepted:
            limits.record(f"script{n}", "script")
            stored += 1
    minutes = 1_000 * 60 / 267 / 60
    assert stored <= 600 + 1 and stored / minutes < 267 * 0.7
    verdict = limits.check("script-suivant", "script")
    assert not verdict.accepted and "réessayez dans" in verdict.message and verdict.retry_after >= 1


def test_memory_stays_bounded():
    limits = KeywordLimits(clock=Clock(), max_participants=10)
    for n in range(25):
        limits.record(f"p{n}", f"reseau{n}")
    assert len(limits._counts) <= 10 and len(limits._recent) <= 11
