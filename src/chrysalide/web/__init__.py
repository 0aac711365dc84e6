"""The local web dashboard: FastAPI app, templates, static assets; every page has a JSON twin."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path


def serve(
    db: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    announce: Callable[[str], None] | None = None,
) -> None:
    """Serve the dashboard until interrupted (loopback only unless a token is given).

    ``announce`` receives the address once the app is built (a missing database fails before).
    """
    import uvicorn

    from chrysalide.web.app import create_app

    app = create_app(db, token=token, host=host, warm_up=True)
    if announce is not None:
        shown = f"[{host}]" if ":" in host else host  # an IPv6 address is bracketed in a URL (RFC 3986)
        announce(f"Chrysalide dashboard on http://{shown}:{port}/ (Ctrl+C to stop)")
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


__all__ = ["serve"]
