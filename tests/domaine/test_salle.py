"""The room's address and the live keywords' limits, without Streamlit."""

import pytest

from cartographie.domaine.salle import (
    NETWORK_WINDOWS,
    KeywordLimits,
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


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_a_participant_sends_three_keywords_whatever_the_session_they_open():
    clock = Clock()
    limits = KeywordLimits(clock=clock)
    key = participant_key("jeton-aleatoire-de-test", "journee")
    for _ in range(3):
        clock.now += 10  # a person's pace
        assert limits.check(key, "10.0.0.1").accepted
        limits.record(key, "10.0.0.1")
    verdict = limits.check(key, "10.0.0.1")
    assert not verdict.accepted and "déjà proposé 3 mots-clés" in verdict.message
    # Another session of the day is another count; the token alone does not appear in what is kept.
    assert participant_key("jeton-aleatoire-de-test", "autre") != key
    assert "jeton" not in key


def test_a_room_of_300_phones_behind_one_router_is_stored_whole():
    """300 phones arriving within 60 s from the venue's one address, each opening the page then typing a word."""
    import random

    clock = Clock()
    limits = KeywordLimits(clock=clock)
    rng = random.Random(300)
    events = []
    for phone in range(300):
        opened = rng.uniform(0, 60)
        first = opened + rng.uniform(3, 15)  # a person reads the question and types
        events += [(first + gap, f"p{phone}", opened) for gap in (0, rng.uniform(5, 30), rng.uniform(35, 90))]
    stored = 0
    for when, phone, opened in sorted(events):
        clock.now = when
        verdict = limits.check(phone, "routeur", opened)
        assert verdict.accepted, (phone, when, verdict.message)
        limits.record(phone, "routeur")
        stored += 1
    assert stored == 900


def test_a_script_sending_150_words_is_held_back_whatever_it_does():
    clock = Clock()
    limits = KeywordLimits(clock=clock)
    # One participant (its cookie kept): three words, then a refusal that says why.
    for n in range(150):
        clock.now = n * 0.2
        if limits.check("script", "10.0.0.9", opened=0.0).accepted:
            limits.record("script", "10.0.0.9")
    assert limits.sent("script") == 3
    # A new session (cookie cleared) for every word, sent as soon as the page is open: none stored.
    clock.now, refused = 100.0, []
    for n in range(150):
        clock.now += 0.2
        verdict = limits.check(f"s{n}", "10.0.0.9", opened=clock.now - 0.1)
        assert not verdict.accepted
        refused.append(verdict.message)
    assert all("Prenez le temps d'écrire votre mot : réessayez dans 2 secondes" in m for m in refused)
    # …or waiting as long as a person would, one after the other: a person's pace, 15 words in 30 s.
    clock.now, stored = 1_000.0, 0
    start = clock.now
    for n in range(150):
        opened = clock.now
        clock.now += 2.0
        if clock.now - start > 30:
            break
        if limits.check(f"w{n}", "10.0.0.9", opened).accepted:
            limits.record(f"w{n}", "10.0.0.9")
            stored += 1
    assert stored <= 15


def test_the_network_windows_hold_many_scripted_sessions_together():
    clock = Clock()
    limits = KeywordLimits(clock=clock)
    stored = 0
    for n in range(3_000):
        clock.now = 10_000.0 + n * 0.02  # fifty sessions a second, each waiting as a person would
        if limits.check(f"script{n}", "script", opened=clock.now - 2.5).accepted:
            limits.record(f"script{n}", "script")
            stored += 1
    assert stored == NETWORK_WINDOWS[0][0]  # the first window's worth, then held back
    verdict = limits.check("script-suivant", "script", opened=0.0)
    assert not verdict.accepted and "réessayez dans" in verdict.message and verdict.retry_after >= 1


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


def test_memory_stays_bounded():
    limits = KeywordLimits(clock=Clock(), max_participants=10)
    for n in range(25):
        limits.record(f"p{n}", f"reseau{n}")
    assert len(limits._counts) <= 10 and len(limits._recent) <= 11
