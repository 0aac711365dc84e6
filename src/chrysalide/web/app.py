"""The local dashboard (FastAPI + Jinja2): every page has a JSON twin (``/members/42`` and ``/members/42.json``).

Pages are declared in :mod:`chrysalide.web.views` and registered with their twins by
:func:`chrysalide.web.pages.register`. The app reads the store through short read-only connections
(:mod:`chrysalide.web.reader`) and writes only human review decisions, through
:mod:`chrysalide.coding.review`. Everything from the forum is escaped by Jinja2's autoescaping, figures
are SVG drawn on the server, and a strict Content-Security-Policy allows only this app's own scripts,
so a post containing ``<script>`` is text twice over.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from chrysalide.errors import StoreError
from chrysalide.store import Store
from chrysalide.store.lock import DatabaseLocked
from chrysalide.web import auth, forms, pages, templating, views
from chrysalide.web.reader import Busy, Reader

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
RETRY_AFTER = 3  # seconds: the "busy" page reloads itself after this
log = logging.getLogger(__name__)


def wants_json(request: Request) -> bool:
    """A JSON twin, or a client that asked for JSON rather than a page."""
    accept = request.headers.get("accept", "")
    return request.url.path.endswith(".json") or ("application/json" in accept and "text/html" not in accept)


def _prepare(db: str | Path) -> str:
    """The database's path, once checked to exist and brought to the current schema when it is free."""
    path = str(db)
    if path != ":memory:" and not Path(path).is_file():
        raise StoreError(f"{path}: no such database (run `chrysalide ingest` first)")
    try:
        Store(path, lock_wait=0).close()  # applies pending migrations; a busy file is migrated by its writer
    except DatabaseLocked:
        log.warning("%s is in use by another command: the dashboard will read it when it is free", path)
    return path


def warm(reader: Reader) -> None:
    """Compute the pages' slow aggregates once (newcomers' response times, stage mix...), so that the first
    visit is as fast as the next ones; they stay cached until the data changes."""
    try:
        with reader.cursor() as db:
            for entry in views.PAGES:
                if entry.path in WARM:
                    entry.view(db)
    except Exception:  # a page that fails will say so when it is asked for
        log.debug("warming the dashboard's caches failed", exc_info=True)


WARM = ("/", "/community", "/alerts", "/review")


def create_app(db: str | Path, *, token: str | None = None, host: str = "127.0.0.1", warm_up: bool = False) -> FastAPI:
    """Build the dashboard for one database; ``token`` is required unless ``host`` is loopback.

    ``warm_up`` computes the slow aggregates in the background at once (``chrysalide serve`` does).
    """
    expected = auth.required_token(host, token)
    hosts = auth.allowed_hosts(host)
    reader = Reader(_prepare(db))
    csrf = auth.new_csrf()
    templates = Jinja2Templates(env=templating.environment())

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        reader.close()

    app = FastAPI(title="Chrysalide", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.reader = reader
    app.state.csrf = csrf
    app.mount(
        "/static", StaticFiles(directory=str(resources.files("chrysalide.web").joinpath("static"))), name="static"
    )

    def render(request: Request, template: str, data: dict[str, Any], status: int = 200) -> Response:
        context = {**data, "data": data, "csrf": csrf, "twin": templating.twin_url(request)}
        return templates.TemplateResponse(request, template, context, status_code=status)

    def problem(request: Request, message: str, status: int, headers: dict[str, str] | None = None) -> Response:
        if wants_json(request):
            return JSONResponse({"error": message}, status_code=status, headers=headers)
        # A page asked for with GET reloads itself while busy; a refused form must not be re-sent as a GET.
        reload = status == 503 and request.method == "GET"
        response = render(request, "error.html", {"message": message, "status": status, "reload": reload}, status)
        response.headers.update(headers or {})
        return response

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        if hosts is not None and auth.host_name(request.headers.get("host")) not in hosts:
            # Plain text: nothing of the dashboard (not even the CSRF token) reaches a rebinding page.
            response: Response = Response(
                f"Host {auth.host_name(request.headers.get('host'))!r} is not this dashboard's address"
                f" ({host}): refused as a guard against DNS rebinding.\n",
                status_code=421,
                media_type="text/plain",
            )
            return _secure(response)
        path = request.url.path
        if expected is not None and not path.startswith(auth.OPEN_PATHS):
            if not auth.token_matches(expected, request.headers.get("authorization"), request.cookies.get(auth.COOKIE)):
                if wants_json(request):
                    return _secure(JSONResponse({"error": "token required"}, status_code=401))
                return _secure(templates.TemplateResponse(request, "login.html", {"error": None}, status_code=401))
        try:
            response = await call_next(request)
        except Exception:  # answered here, not re-raised: a 500 must not drop the keep-alive connection
            log.exception("dashboard error on %s", path)
            response = problem(request, "internal error: the dashboard's log has the details", 500)
        return _secure(response)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return problem(request, forms.validation_message(exc), 422)

    @app.exception_handler(Busy)
    async def busy(request: Request, exc: Busy) -> Response:
        if request.method == "GET":
            message = f"busy, retrying: another command is writing the database ({exc}); this page reloads itself"
        else:
            message = f"busy: another command is writing the database ({exc}); nothing was saved, go back and save again in a moment"
        return problem(request, message, 503, headers={"Retry-After": str(RETRY_AFTER)})

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return problem(request, str(exc.detail), exc.status_code, headers=getattr(exc, "headers", None))

    forms.register(app, reader=reader, csrf=csrf, expected=expected, render=render, problem=problem)
    pages.register(app, views.PAGES, reader.cursor, render)
    if warm_up:
        threading.Thread(target=warm, args=(reader,), name="chrysalide-warm-up", daemon=True).start()
    return app


def _secure(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)  # the report file sets a stricter one
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
