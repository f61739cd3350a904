"""Who may do what, and what every response carries.

- Visitors' endpoints are open.  Planners' endpoints (saved scenarios, shuttle
  optimisation) depend on :func:`require_planner`: with keys configured they
  want ``Authorization: Bearer <key>`` (401 otherwise); without keys they
  answer loopback clients only (403 otherwise), so a laptop needs no set-up.
- :func:`client_address` believes ``X-Forwarded-For`` only from the proxies
  named in the settings.
- :class:`SecurityHeaders` adds the Content-Security-Policy and friends to
  every response, static files and errors included.
- :class:`BodyLimit` refuses request bodies over the configured size with 413,
  whether or not the client announced the length.
"""

from __future__ import annotations

import hmac
import ipaddress
import json

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import HttpError, error_body
from api.settings import Settings, tile_origin


def map_csp(img_sources: tuple[str, ...] = ()) -> str:
    """The map's policy: scripts, styles and data from this server only; images also as data: URLs and from
    ``img_sources`` (the origin of the deployer's tiles, when ``MAAS_TILE_URL`` is set: nothing else leaves the server)."""
    images = " ".join(("'self'", "data:", "blob:", *img_sources))
    return (
        f"default-src 'self'; script-src 'self'; style-src 'self'; "
        f"img-src {images}; connect-src 'self'; font-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )


#: The map's policy without tiles.
CSP_MAP = map_csp()


def map_image_sources(settings: Settings) -> tuple[str, ...]:
    """The origins the map may load images from besides this server: the tiles' (``MAAS_TILE_URL``), if set."""
    return (tile_origin(settings.tile_url),) if settings.tile_url else ()


#: FastAPI's /docs and /redoc pages load Swagger UI / ReDoc from their CDN and start them with an inline script.
CSP_DOCS = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https://fastapi.tiangolo.com; "
    "worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")

HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"no-referrer",
    b"x-frame-options": b"DENY",
    b"cross-origin-opener-policy": b"same-origin",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=(self)",
}


class AuthError(HttpError):
    """The request may not use a planners' endpoint: 401 (no or wrong key, with ``WWW-Authenticate``) or 403."""

    def __init__(self, message: str, status: int) -> None:
        challenge = {"WWW-Authenticate": 'Bearer realm="maas planners"'} if status == 401 else {}
        super().__init__(message, status, "Authorization", challenge)


def client_address(request: Request, settings: Settings) -> str:
    """Return the client's IP address: the peer's, or, when the peer is a trusted proxy, the last untrusted hop it forwarded."""
    peer = request.client.host if request.client else ""
    if not settings.trusted_proxies or not _in(peer, settings.trusted_proxies):
        return peer
    hops = [h.strip() for h in request.headers.get("x-forwarded-for", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _in(hop, settings.trusted_proxies):
            return hop
    return hops[0] if hops else peer


def _in(address: str, networks: tuple) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in n for n in networks)


def is_loopback(address: str) -> bool:
    """Whether ``address`` is this machine (127.0.0.0/8, ::1; the test client's 'testclient' is not)."""
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:
        return False


def key_matches(given: str, keys: tuple[str, ...]) -> bool:
    """Compare ``given`` with every key in constant time (no early exit that would tell which key was close)."""
    found = False
    for key in keys:
        found |= hmac.compare_digest(given.encode(), key.encode())
    return found


def require_planner(request: Request) -> None:
    """FastAPI dependency of the planners' endpoints: a valid key, or a loopback client when no key is configured."""
    settings: Settings = request.app.state.maas.settings
    if settings.api_keys:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise AuthError("Authorization: planners' endpoints need 'Authorization: Bearer <key>'", 401)
        if not key_matches(token.strip(), settings.api_keys):
            raise AuthError("Authorization: the key is not valid", 401)
        return
    if not is_loopback(client_address(request, settings)):
        raise AuthError(
            "planners' endpoints answer only this machine while the server has no keys: "
            "set MAAS_API_KEYS (comma-separated) or MAAS_API_KEYS_FILE and send 'Authorization: Bearer <key>'",
            403,
        )


class SecurityHeaders:
    """ASGI middleware: the security headers on every HTTP response (the stricter CSP everywhere but the API docs)."""

    def __init__(self, app: ASGIApp, img_sources: tuple[str, ...] = ()) -> None:
        self.app = app
        self.csp_map = map_csp(img_sources)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = CSP_DOCS if scope["path"].startswith(DOCS_PATHS) else self.csp_map

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in HEADERS and k.lower() != b"content-security-policy"]
                headers += [(b"content-security-policy", csp.encode()), *HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """ASGI middleware: 413 with the JSON error for bodies larger than ``limit`` bytes (announced or streamed)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers", [])).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await self._refuse(send)
            return
        seen = 0
        refused = False

        async def counting_receive() -> Message:
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    # Answer now; the app then sees a client that went away, and what it sends is dropped.
                    refused = True
                    await self._refuse(send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not refused:
                await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not refused:
                raise

    async def _refuse(self, send: Send) -> None:
        mib = self.limit / (1 << 20)
        body = json.dumps(
            error_body(413, f"request body larger than {mib:g} MiB ({self.limit} bytes), the server's limit (MAAS_MAX_BODY_BYTES)", "body")
        ).encode()
        await send(
            {"type": "http.response.start", "status": 413, "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]}
        )
        await send({"type": "http.response.body", "body": body})
