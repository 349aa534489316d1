"""A tiny local peer for connecting accounts: a Mastodon-compatible server (app
registration, the authorisation-code flow, verify_credentials) and a Bluesky XRPC
server (createSession), on 127.0.0.1, answering as the real ones do (the payloads of
Mastodon's API documentation and the com.atproto.server.createSession lexicon).

``serve_peer()`` yields a ``Peer``: ``peer.url``, the requests it got, and
``peer.authorise(location)``, which plays the member who allows Koers on the server's
authorisation page: it reads the address Koers sent them to and returns the code the
server would put in the redirect back.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

USERNAME = "fietsen"
BLUESKY_HANDLE = "fietsen.bsky.social"
BLUESKY_DID = "did:plc:4h2kqmhixb6ic4k5gyaifumx"
APP_PASSWORD = "abcd-efgh-ijkl-mnop"


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: dict


@dataclass
class Peer:
    url: str = ""
    requests: list[Seen] = field(default_factory=list)
    apps: dict[str, dict] = field(default_factory=dict)  # client_id → app
    codes: dict[str, str] = field(default_factory=dict)  # code → client_id
    tokens: set[str] = field(default_factory=set)
    # Set to make the server refuse every token exchange (a revoked authorisation).
    refuse_codes: bool = False

    def paths(self) -> list[str]:
        return [seen.path for seen in self.requests]

    def authorise(self, location: str) -> tuple[str, str]:
        """The member allows Koers: (code, state) the server sends back."""
        parts = urlsplit(location)
        assert f"{parts.scheme}://{parts.netloc}" == self.url, location
        assert parts.path == "/oauth/authorize", location
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        app = self.apps[query["client_id"]]
        assert query["redirect_uri"] == app["redirect_uri"]
        assert query["response_type"] == "code"
        assert query["scope"] == "read write"
        code = secrets.token_urlsafe(16)
        self.codes[code] = query["client_id"]
        return code, query["state"]

    # --- answers ----------------------------------------------------------------------

    def answer(self, seen: Seen) -> tuple[int, dict]:
        route = (seen.method, seen.path)
        if route == ("POST", "/api/v1/apps"):
            client_id = secrets.token_urlsafe(12)
            app = {
                "id": str(len(self.apps) + 1),
                "name": seen.body.get("client_name", ""),
                "website": seen.body.get("website"),
                "scopes": seen.body.get("scopes", "").split(),
                "redirect_uri": seen.body.get("redirect_uris", ""),
                "redirect_uris": [seen.body.get("redirect_uris", "")],
                "client_id": client_id,
                "client_secret": secrets.token_urlsafe(24),
            }
            self.apps[client_id] = app
            return 200, app
        if route == ("POST", "/oauth/token"):
            client_id = self.codes.pop(seen.body.get("code", ""), None)
            app = self.apps.get(seen.body.get("client_id", ""))
            if (
                self.refuse_codes
                or client_id is None
                or app is None
                or client_id != app["client_id"]
                or seen.body.get("client_secret") != app["client_secret"]
                or seen.body.get("redirect_uri") != app["redirect_uri"]
                or seen.body.get("grant_type") != "authorization_code"
            ):
                return 400, {
                    "error": "invalid_grant",
                    "error_description": "The provided authorization grant is invalid, "
                    "expired, revoked, does not match the redirection URI used in the "
                    "authorization request, or was issued to another client.",
                }
            token = secrets.token_urlsafe(24)
            self.tokens.add(token)
            return 200, {
                "access_token": token,
                "token_type": "Bearer",
                "scope": "read write",
                "created_at": 1573979017,
            }
        if route == ("GET", "/api/v1/accounts/verify_credentials"):
            token = seen.headers.get("authorization", "").removeprefix("Bearer ")
            if token not in self.tokens:
                return 401, {"error": "The access token is invalid"}
            return 200, {
                "id": "109302436954721982",
                "username": USERNAME,
                "acct": USERNAME,
                "display_name": "Van Dijk Fietsen",
                "url": f"{self.url}/@{USERNAME}",
            }
        if route == ("POST", "/xrpc/com.atproto.server.createSession"):
            identifier = seen.body.get("identifier", "")
            if identifier != BLUESKY_HANDLE or seen.body.get("password") != APP_PASSWORD:
                return 401, {
                    "error": "AuthenticationRequired",
                    "message": "Invalid identifier or password",
                }
            return 200, {
                "did": BLUESKY_DID,
                "handle": BLUESKY_HANDLE,
                "accessJwt": "access." + secrets.token_urlsafe(16),
                "refreshJwt": "refresh." + secrets.token_urlsafe(16),
                "active": True,
            }
        return 404, {"error": "Record not found"}


def _handler(peer: Peer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self, method: str) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else {}
            except ValueError:
                body = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
            seen = Seen(
                method,
                parts.path,
                parse_qs(parts.query),
                {k.lower(): v for k, v in self.headers.items()},
                body if isinstance(body, dict) else {},
            )
            peer.requests.append(seen)
            status, data = peer.answer(seen)
            answer = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def do_GET(self):
            self._serve("GET")

        def do_POST(self):
            self._serve("POST")

        def log_message(self, format, *args):
            pass

    return Handler


@contextmanager
def serve_peer() -> Iterator[Peer]:
    peer = Peer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(peer))
    server.daemon_threads = True
    peer.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield peer
    finally:
        server.shutdown()
        server.server_close()
