"""The templates' environment: autoescaping, number and date formats, the codebook and the figures."""

from __future__ import annotations

from fastapi import Request
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from chrysalide.coding import CODES, load_codebook
from chrysalide.report.authors import no_member_label
from chrysalide.report.html.build import code_marks
from chrysalide.report.periods import PERIOD_COLUMNS, period_cells, period_name
from chrysalide.units import duration, number, percent, sentence, summary_value
from chrysalide.web import figures, glossary
from chrysalide.web.pages import twin_path

LANG = "en"  # the dashboard's own words; forum text stays in its language


def codebook_entries() -> dict[str, dict[str, str]]:
    """Each code's label, definition and "not this" note from the packaged codebook, in :data:`LANG`."""
    book = load_codebook()
    out = {}
    for code in CODES:
        entry = book.codes.get(code, {})
        out[code] = {
            key: " ".join(str((entry.get(key) or {}).get(LANG, "")).split()) for key in ("label", "definition", "not")
        }
    return out


def day(value: str | None) -> str:
    return (value or "")[:10]


def minute(value: str | None) -> str:
    return (value or "")[:16].replace("T", " ")


def twin_url(request: Request) -> str:
    """The JSON twin of the page asked for, with the same query."""
    twin = twin_path(request.url.path)
    return f"{twin}?{request.url.query}" if request.url.query else twin


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("chrysalide.web", "templates"),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,  # a misspelt field fails the tests instead of showing nothing
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        day=day, minute=minute, num=number, pct=percent, duration=duration, no_member=no_member_label,
        code_marks=code_marks, sentence=sentence,
    )  # fmt: skip
    env.globals.update(
        codes=CODES, summary_value=summary_value, book=codebook_entries(), fig=figures, glossary=glossary,
        period_columns=PERIOD_COLUMNS, period_cells=period_cells, period_name=period_name,
    )  # fmt: skip
    return env
