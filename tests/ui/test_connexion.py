"""What the sign-in remembers between a browser's sessions: its XSRF token's hash, and that it left for the provider."""

from __future__ import annotations

import secrets

from cartographie.ui.connexion import Attempts, browser_key


def test_a_browser_is_known_by_its_token_whatever_mask_streamlit_draws_at_each_page_load():
    from streamlit.web.server.starlette.starlette_app_utils import generate_xsrf_token_string

    token = secrets.token_bytes(16)
    first, second = (generate_xsrf_token_string(token, 1_700_000_000) for _ in range(2))
    assert first != second  # the installed Streamlit masks the token differently each time
    assert browser_key(first) == browser_key(second) is not None
    assert browser_key(generate_xsrf_token_string(secrets.token_bytes(16), 1_700_000_000)) != browser_key(first)


def test_anything_but_a_token_gives_no_key():
    for cookie in ("", "2|", "1|aa|bb|1", "2|zz|bb|1", "2||bb|1", "2|aa||1", "2|" + "a" * 400 + "|bb|1"):
        assert browser_key(cookie) is None, cookie


def test_a_browser_that_left_is_remembered_once_and_for_a_while():
    attempts = Attempts(keep=600)
    attempts.note("navigateur")
    assert attempts.take("navigateur") and not attempts.take("navigateur")
    assert not attempts.take("autre") and not attempts.take(None)
    expired = Attempts(keep=0)
    expired.note("navigateur")
    assert not expired.take("navigateur")


def test_the_memory_of_attempts_is_bounded():
    attempts = Attempts(keep=600, most=3)
    for n in range(10):
        attempts.note(f"n{n}")
    assert [attempts.take(f"n{n}") for n in range(10)] == [True] * 3 + [False] * 7
