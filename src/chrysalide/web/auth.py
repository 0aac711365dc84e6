"""Access control for the dashboard: loopback by default, a token whenever it listens elsewhere.

The token arrives as ``Authorization: Bearer TOKEN`` or as the ``chrysalide_token`` cookie set by the
login form. Forms that change data also carry a per-process CSRF token, so that a web page open in
the same browser cannot post review decisions to a dashboard on 127.0.0.1. The ``Host`` header must name
the address the dashboard is bound to: a page of ``attacker.test`` whose name an attacker re-points at
127.0.0.1 (DNS rebinding) sends ``Host: attacker.test`` and is refused.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets

from chrysalide.errors import ConfigError

COOKIE = "chrysalide_token"
OPEN_PATHS = ("/login", "/static/")
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
WILDCARDS = frozenset({"", "0.0.0.0", "::"})


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def required_token(host: str, token: str | None) -> str | None:
    """The token the app must demand, or None on loopback without one; refuse an open non-loopback bind."""
    if token:
        if len(token) < 16:
            raise ConfigError(
                "--token must be at least 16 characters (try: python -c 'import secrets; print(secrets.token_urlsafe())')"
            )
        return token
    if not is_loopback(host):
        raise ConfigError(
            f"--host {host} is not loopback: pass --token or set CHRYSALIDE_TOKEN so that the dashboard is not open to the network"
        )
    return None


def allowed_hosts(host: str) -> frozenset[str] | None:
    """Host names a request may carry for a dashboard bound to ``host``; None (any) for 0.0.0.0 / ::.

    On a wildcard address the dashboard answers under any name the machine has, and a token is then
    required (:func:`required_token`), which a rebinding page does not have.
    """
    name = host.strip("[]").lower()
    if name in WILDCARDS:
        return None
    return frozenset({name} | (LOOPBACK_NAMES if is_loopback(name) else set()))


def host_name(header: str | None) -> str:
    """The host name of a ``Host`` header, without its port (``[::1]:8000`` -> ``::1``)."""
    value = (header or "").strip().lower()
    if value.startswith("["):
        return value[1 : value.find("]")] if "]" in value else value
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


def token_matches(expected: str, authorization: str | None, cookie: str | None) -> bool:
    """Constant-time comparison of the presented token (header first, then cookie)."""
    presented = None
    if authorization and authorization.lower().startswith("bearer "):
        presented = authorization[7:].strip()
    elif cookie:
        presented = cookie
    return presented is not None and same_secret(presented, expected)


def same_secret(presented: str, expected: str) -> bool:
    """Constant-time comparison of two secrets."""
    return hmac.compare_digest(presented.encode(), expected.encode())


def new_csrf() -> str:
    return secrets.token_urlsafe(24)
