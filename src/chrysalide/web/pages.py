"""Pages and their JSON twins, declared once: ``@page("/members", "members.html")`` on one view function.

A view takes a :class:`~chrysalide.web.reader.Db` (a read-only cursor of the store) and its parameters (declared with FastAPI's ``Query`` /
``Path`` / ``Cookie`` so that they are parsed and bounded), and returns a dict, or None for "not found".
:func:`register` adds two routes per page: the HTML page, rendered by the named template from that dict,
and its twin (``/members.json``, ``/members/{id}.json``, ``/.json`` for ``/``) answering the same dict as
JSON, as Datasette does. The dict goes through :func:`jsonable` first, so that the twin always serialises
and the template sees exactly what the twin shows.
"""

from __future__ import annotations

import datetime as dt
import inspect
import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

import numpy as np
from fastapi import FastAPI, Path, Query, Request
from fastapi.responses import JSONResponse, Response

MAX_ID = 2**63 - 1  # every id of the store is a 63-bit hash (ingest/ids.py)
MAX_OFFSET = 10_000_000
MAX_LIMIT = 500

#: Integer parameters, bounded: a value outside answers 422 with a message instead of reaching DuckDB.
Id = Annotated[int, Path(ge=0, le=MAX_ID)]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]


View = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class Page:
    """One page: its path, template, view, and what to say when the view finds nothing."""

    path: str
    template: str
    view: View
    missing: str = "page"

    @property
    def twin(self) -> str:
        """The JSON twin's path."""
        return twin_path(self.path)


def twin_path(path: str) -> str:
    """The path of the JSON twin of the page at ``path``."""
    return "/.json" if path == "/" else f"{path}.json"


PAGES: list[Page] = []


def page(path: str, template: str, *, missing: str = "page") -> Callable[[View], View]:
    """Declare ``view`` as the data of the page at ``path`` and of its JSON twin."""

    def declare(view: View) -> View:
        PAGES.append(Page(path, template, view, missing))
        return view

    return declare


def jsonable(value: Any) -> Any:
    """``value`` with every part JSON can hold: NaN and NaT become None, dates ISO text, arrays lists."""
    if value is None or isinstance(value, bool | str | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | np.ndarray):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return jsonable(value.item())
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return None if value != value else value.isoformat()  # pandas' NaT is a datetime unequal to itself
    if isinstance(value, Decimal):
        return jsonable(float(value))
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    raise TypeError(f"not JSON data: {type(value).__name__}")


Render = Callable[[Request, str, dict[str, Any], int], Response]
Open = Callable[[], Any]  # a context manager yielding a read-only cursor


def _endpoint(entry: Page, cursor: Open, respond: Callable[[Request, dict[str, Any] | None], Response]) -> Any:
    """An endpoint with the view's own parameters (after the cursor), as FastAPI reads them."""
    signature = inspect.signature(entry.view, eval_str=True)
    params = list(signature.parameters.values())[1:]

    def endpoint(request: Request, **kwargs: Any) -> Response:
        with cursor() as db:
            data = entry.view(db, **kwargs)
        return respond(request, None if data is None else jsonable(data))

    request_param = inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Request)
    endpoint.__signature__ = signature.replace(parameters=[request_param, *params])  # type: ignore[attr-defined]
    endpoint.__name__ = entry.view.__name__
    return endpoint


def register(app: FastAPI, pages: list[Page], cursor: Open, render: Render) -> None:
    """Add each page and its JSON twin to ``app`` (the twin first: ``/members/{id}`` would take ``5.json``)."""
    for entry in pages:

        def as_json(request: Request, data: dict[str, Any] | None, entry: Page = entry) -> Response:
            if data is None:
                return JSONResponse({"error": f"{entry.missing} not found"}, status_code=404)
            return JSONResponse(data)

        def as_html(request: Request, data: dict[str, Any] | None, entry: Page = entry) -> Response:
            if data is None:
                return render(request, "error.html", {"message": f"{entry.missing} not found"}, 404)
            return render(request, entry.template, data, 200)

        name = entry.view.__name__
        twins = [entry.twin, "/index.json"] if entry.path == "/" else [entry.twin]
        for twin in twins:
            app.add_api_route(twin, _endpoint(entry, cursor, as_json), methods=["GET"], name=f"{name}_json")
        app.add_api_route(entry.path, _endpoint(entry, cursor, as_html), methods=["GET"], name=name)
