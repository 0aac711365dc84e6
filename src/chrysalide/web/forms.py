"""The routes that are not pages: the login form, review decisions, the report file; validation messages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import FastAPI, Form, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, RedirectResponse, Response

from chrysalide.coding import review as review_lib
from chrysalide.errors import ChrysalideError
from chrysalide.web import auth
from chrysalide.web.pages import MAX_ID, Id
from chrysalide.web.reader import Reader
from chrysalide.web.views.report import find_report
from chrysalide.web.views.review import REVIEWER_COOKIE, SEED, checked_reason

# The report file carries its own inline styles and no script: it gets a CSP of its own, stricter on scripts.
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
YEAR = 365 * 24 * 3600
MAX_DUPLICATES = 50


def validation_message(exc: RequestValidationError) -> str:
    """One line per bad parameter: ``offset: Input should be less than or equal to 10000000 (got '9223...')``."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ())[1:]) or "request"
        got = error.get("input")
        shown = f" (got {str(got)[:40]!r})" if got is not None and not isinstance(got, dict) else ""
        parts.append(f"{where}: {error.get('msg', 'invalid')}{shown}")
    return "; ".join(parts) or "invalid request"


def register(
    app: FastAPI,
    *,
    reader: Reader,
    csrf: str,
    expected: str | None,
    render: Callable[[Request, str, dict[str, Any], int], Response],
    problem: Callable[[Request, str, int], Response],
) -> None:
    """Add the login form, the review decision and the report file routes."""

    @app.get("/login")
    def login_form(request: Request) -> Response:
        return render(request, "login.html", {"error": None}, 200)

    @app.post("/login")
    def login(request: Request, token_value: Annotated[str, Form(alias="token", max_length=1000)]) -> Response:
        if expected is None or auth.token_matches(expected, f"Bearer {token_value}", None):
            response = RedirectResponse("/", status_code=303)
            if expected is not None:
                response.set_cookie(auth.COOKIE, token_value, httponly=True, samesite="strict")
            return response
        return render(request, "login.html", {"error": "wrong token"}, 401)

    @app.post("/review/{message_id}")
    def review_decide(
        request: Request,
        message_id: Id,
        reviewer: Annotated[str, Form(max_length=100)],
        csrf_token: Annotated[str, Form(max_length=200)],
        primary: Annotated[str | None, Form(max_length=40)] = None,
        secondary: Annotated[list[str] | None, Form()] = None,
        also: Annotated[list[int] | None, Form()] = None,
        accept: Annotated[str | None, Form(max_length=10)] = None,
        n: Annotated[int, Form(ge=1, le=100)] = 10,
        reason: Annotated[str | None, Form(max_length=200)] = None,
        sample: Annotated[str | None, Form(max_length=20)] = None,
    ) -> Response:
        """Store a decision (a human code) for the message and its identical copies, then back to the queue (of
        the codes awaiting review for ``reason``, when it was narrowed to them)."""
        if not auth.same_secret(csrf_token, csrf):
            return problem(request, "form expired: reload the review page", 403)
        reason = checked_reason(reason)
        ids = [message_id, *(also or [])[:MAX_DUPLICATES]]
        if not all(0 <= m <= MAX_ID for m in ids):
            return problem(request, "message id out of range", 422)
        try:
            with reader.writer() as store:
                if accept:  # the current code as it stands, secondary codes included
                    current = review_lib.current_codes_of(store.con, [message_id]).get(message_id)
                    if current is None:
                        return problem(request, f"message {message_id} has no code to accept", 400)
                    primary, secondary = current["primary_code"], list(current["secondary_codes"] or [])
                if primary is None:
                    return problem(request, "choose a code, or accept the current one", 400)
                review_lib.check_copies(store.con, message_id, ids[1:])
                for m in ids:
                    review_lib.decide(store, m, primary, secondary=tuple(secondary or ()), reviewer=reviewer,
                                      sample=sample if m == message_id or sample is None else "copy",
                                      seed=SEED)  # fmt: skip
        except ChrysalideError as exc:
            return problem(request, str(exc), 400)
        narrowed = f"&reason={reason}" if reason else ""
        response = RedirectResponse(f"/review?n={n}{narrowed}&saved={message_id}#queue", status_code=303)
        response.set_cookie(REVIEWER_COOKIE, reviewer.strip(), max_age=YEAR, httponly=True, samesite="strict")
        return response

    @app.get("/report/file")
    def report_file(request: Request, name: Annotated[str, Query(max_length=255)]) -> Response:
        """A report listed on ``/report``, served as it is (under a CSP that forbids every script)."""
        with reader.cursor() as db:
            path = find_report(db, name)
        if path is None:
            return problem(request, f"no report called {name[:80]!r} (see /report)", 404)
        return FileResponse(path, media_type="text/html", headers={"Content-Security-Policy": REPORT_CSP})
