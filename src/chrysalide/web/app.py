"""The local dashboard (FastAPI + Jinja2): every page has a JSON twin (``/members/42`` and ``/members/42.json``).

It reads the store and writes only human review decisions, through :mod:`chrysalide.coding.review`.
Everything from the forum is escaped by Jinja2's autoescaping, and a strict Content-Security-Policy
forbids inline scripts, so that a post containing ``<script>`` is text twice over.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape

from chrysalide.coding import review as review_lib
from chrysalide.coding.codebook import CODES
from chrysalide.errors import ChrysalideError
from chrysalide.privacy.consent import ConsentMap, load_consent
from chrysalide.store import Store
from chrysalide.web import auth, views

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("chrysalide.web", "templates"), autoescape=select_autoescape(default=True))
    env.filters["day"] = lambda v: (v or "")[:10]
    env.filters["minute"] = lambda v: (v or "")[:16].replace("T", " ")
    return env


def create_app(db: str | Path, *, token: str | None = None, host: str = "127.0.0.1") -> FastAPI:
    """Build the dashboard for one database; ``token`` is required unless ``host`` is loopback."""
    expected = auth.required_token(host, token)
    store = Store(db, create=False)
    env = _environment()
    csrf = auth.new_csrf()
    app = FastAPI(title="Chrysalide", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.store = store
    static = resources.files("chrysalide.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        path = request.url.path
        if expected is not None and not path.startswith(auth.OPEN_PATHS):
            if not auth.token_matches(expected, request.headers.get("authorization"), request.cookies.get(auth.COOKIE)):
                if path.endswith(".json") or "application/json" in request.headers.get("accept", ""):
                    response: Response = JSONResponse({"error": "token required"}, status_code=401)
                else:
                    response = HTMLResponse(env.get_template("login.html").render(error=None), status_code=401)
                return _secure(response)
        return _secure(await call_next(request))

    def con() -> Any:
        return store.con.cursor()

    def page(name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
        return HTMLResponse(env.get_template(name).render(csrf=csrf, codes=CODES, **context), status_code=status)

    def not_found(what: str) -> HTMLResponse:
        return page("error.html", {"message": f"{what} not found"}, status=404)

    # The store's own connection serves library calls (review, journeys, consent); pages read through cursors.
    lock = threading.Lock()

    def consent() -> ConsentMap:
        with lock:
            return load_consent(store)

    @app.get("/login", response_class=HTMLResponse)
    def login_form() -> HTMLResponse:
        return HTMLResponse(env.get_template("login.html").render(error=None))

    @app.post("/login")
    def login(token_value: Annotated[str, Form(alias="token")]) -> Response:
        if expected is None or auth.token_matches(expected, f"Bearer {token_value}", None):
            response = RedirectResponse("/", status_code=303)
            if expected is not None:
                response.set_cookie(auth.COOKIE, token_value, httponly=True, samesite="strict")
            return response
        return HTMLResponse(env.get_template("login.html").render(error="wrong token"), status_code=401)

    @app.get("/.json")
    @app.get("/index.json")
    def overview_json() -> dict[str, Any]:
        return views.overview(con())

    @app.get("/", response_class=HTMLResponse)
    def overview_page() -> HTMLResponse:
        return page("overview.html", views.overview(con()))

    @app.get("/members.json")
    def members_json(sort: str = "messages", order: str = "desc", limit: int = 100, offset: int = 0) -> dict[str, Any]:
        return views.members(con(), sort=sort, order=order, limit=limit, offset=offset)

    @app.get("/members", response_class=HTMLResponse)
    def members_page(sort: str = "messages", order: str = "desc", limit: int = 100, offset: int = 0) -> HTMLResponse:
        return page("members.html", views.members(con(), sort=sort, order=order, limit=limit, offset=offset))

    def member_data(member_id: int, offset: int = 0, limit: int = 200) -> dict[str, Any] | None:
        return views.member(con(), member_id, consent(), limit=limit, offset=offset)

    @app.get("/members/{member_id}.json")
    def member_json(member_id: int, offset: int = 0, limit: int = 200) -> Response:
        data = member_data(member_id, offset, limit)
        return JSONResponse(data, status_code=200) if data else JSONResponse({"error": "member not found"}, 404)

    @app.get("/members/{member_id}", response_class=HTMLResponse)
    def member_page(member_id: int, offset: int = 0, limit: int = 200) -> HTMLResponse:
        data = member_data(member_id, offset, limit)
        return page("member.html", data) if data else not_found("member")

    def thread_data(thread_id: int) -> dict[str, Any] | None:
        return views.thread(con(), thread_id, consent())

    @app.get("/threads/{thread_id}.json")
    def thread_json(thread_id: int) -> Response:
        data = thread_data(thread_id)
        return JSONResponse(data) if data else JSONResponse({"error": "thread not found"}, 404)

    @app.get("/threads/{thread_id}", response_class=HTMLResponse)
    def thread_page(thread_id: int) -> HTMLResponse:
        data = thread_data(thread_id)
        return page("thread.html", data) if data else not_found("thread")

    def review_data(n: int) -> dict[str, Any]:
        with lock:
            queue = review_lib.queue(store, n=n, audit=max(1, n // 4))
        return {"queue": views.review_queue(con(), queue, consent()), "n": n}

    @app.get("/review.json")
    def review_json(n: int = 20) -> dict[str, Any]:
        return review_data(n)

    @app.get("/review", response_class=HTMLResponse)
    def review_page(n: int = 20, saved: int | None = None) -> HTMLResponse:
        return page("review.html", {**review_data(n), "saved": saved})

    @app.post("/review/{message_id}")
    def review_decide(
        message_id: int,
        primary: Annotated[str, Form()],
        reviewer: Annotated[str, Form()],
        csrf_token: Annotated[str, Form()],
        secondary: Annotated[list[str] | None, Form()] = None,
    ) -> Response:
        if not auth.same_secret(csrf_token, csrf):
            return page("error.html", {"message": "form expired: reload the review page"}, status=403)
        try:
            with lock:
                review_lib.decide(store, message_id, primary, secondary=tuple(secondary or ()), reviewer=reviewer)
        except ChrysalideError as exc:
            return page("error.html", {"message": str(exc)}, status=400)
        return RedirectResponse(f"/review?saved={message_id}", status_code=303)

    @app.get("/lexical.json")
    def lexical_json() -> dict[str, Any]:
        return views.lexical(con())

    @app.get("/lexical", response_class=HTMLResponse)
    def lexical_page() -> HTMLResponse:
        return page("lexical.html", views.lexical(con()))

    @app.get("/alerts.json")
    def alerts_json() -> dict[str, Any]:
        return views.alerts(con())

    @app.get("/alerts", response_class=HTMLResponse)
    def alerts_page() -> HTMLResponse:
        return page("alerts.html", views.alerts(con()))

    return app


def _secure(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
