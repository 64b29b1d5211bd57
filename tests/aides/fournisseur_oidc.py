"""An OpenID Connect provider on the loopback for the tests: discovery, keys, authorisation code with PKCE, ID token.

It signs its ID tokens (RS256) with joserfc, the JOSE library Authlib itself validates them with,
and lets a test choose who signs in and what goes wrong: another issuer, another audience, an
expired token, a state changed on the way back. The authorisation endpoint answers at once (no
form): the person is the one the test set with :meth:`OidcProvider.sign_in_as`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import RSAKey

#: What can go wrong, and how each is made.
FAULTS = ("issuer", "audience", "expired", "state")


class OidcProvider:
    """The provider; ``url`` is its issuer. Use as a context manager (it serves on a thread)."""

    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": "cle-des-tests", "use": "sig", "alg": "RS256"})
        self.claims: dict = {}
        self.fault: str | None = None
        self.codes: dict[str, dict] = {}
        self.tokens_issued = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> OidcProvider:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def sign_in_as(self, claims: dict, fault: str | None = None) -> None:
        """Who the next sign-in is (their claims), and what goes wrong with it (one of :data:`FAULTS`)."""
        assert fault is None or fault in FAULTS
        self.claims, self.fault = dict(claims), fault

    def metadata(self) -> dict:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        }

    def _authorize(self, query: dict) -> str:
        """The address the browser goes back to, with a code (and the state, changed if asked)."""
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "client_id": query["client_id"],
            "nonce": query.get("nonce"),
            "challenge": query.get("code_challenge"),
            "claims": self.claims,
            "fault": self.fault,
        }
        state = query.get("state", "")
        if self.fault == "state":
            state = state[:-2] + ("AA" if not state.endswith("AA") else "BB")
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': state})}"

    def _token(self, form: dict) -> tuple[int, dict]:
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None:
            return 400, {"error": "invalid_grant"}
        verifier = form.get("code_verifier", "")
        expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if grant["challenge"] and expected != grant["challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        now = int(time.time())
        claims = {
            "iss": self.url,
            "aud": grant["client_id"],
            "sub": grant["claims"].get("email", "personne"),
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            **grant["claims"],
        }
        if grant["fault"] == "issuer":
            claims["iss"] = "http://127.0.0.1:9/un-autre-fournisseur"
        elif grant["fault"] == "audience":
            claims["aud"] = "une-autre-application"
        elif grant["fault"] == "expired":
            claims["iat"], claims["exp"] = now - 3600, now - 1800
        id_token = jwt.encode({"alg": "RS256", "kid": "cle-des-tests"}, claims, self.key)
        self.tokens_issued += 1
        return 200, {"access_token": secrets.token_urlsafe(16), "token_type": "Bearer", "expires_in": 300,
                     "id_token": id_token}  # fmt: skip

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def _json(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                if parts.path == "/.well-known/openid-configuration":
                    self._json(200, provider.metadata())
                elif parts.path == "/jwks":
                    self._json(200, {"keys": [provider.key.as_dict(private=False)]})
                elif parts.path == "/authorize":
                    self.send_response(302)
                    self.send_header("Location", provider._authorize(query))
                    self.end_headers()
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self) -> None:
                length = min(int(self.headers.get("Content-Length") or 0), 65536)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlsplit(self.path).path == "/token":
                    self._json(*provider._token(form))
                else:
                    self._json(404, {"error": "not_found"})

        return Handler
