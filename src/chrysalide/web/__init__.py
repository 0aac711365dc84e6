"""The local web dashboard: FastAPI app, templates, static assets; every page has a JSON twin."""

from __future__ import annotations

from pathlib import Path


def serve(db: str | Path, *, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """Serve the dashboard until interrupted (loopback only unless a token is given)."""
    import uvicorn

    from chrysalide.web.app import create_app

    app = create_app(db, token=token, host=host)
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)


__all__ = ["serve"]
