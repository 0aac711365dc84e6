"""``report(store, out)``: one self-contained HTML file with every section the store can fill.

Sections are built in a fixed order (:data:`SECTIONS`); each reads the newest runs of its step and
degrades to a short "not computed yet" note when they are missing. A section that fails on an
unexpected store is reported as failed in the page (and logged) instead of losing the whole report.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from chrysalide import __version__
from chrysalide.errors import ConfigError
from chrysalide.outputs import output_file, writing
from chrysalide.report.html.context import QUOTE_CHOICES, Context, Section
from chrysalide.report.html.notes import NOTES, REFERENCES
from chrysalide.report.html.sections import SECTIONS
from chrysalide.store import Store
from chrysalide.units import number

log = logging.getLogger(__name__)
QUOTE_MODES_SHOWN = {
    "consented": "verbatim text and words only from members who granted quoting",
    "all-pseudonymised": "the pseudonymised text of every member who is not excluded (not for publication without"
    " consent)",
    "none": "none shown; words only from members who granted quoting",
}
_CITE = re.compile(r"\[([a-z]+[0-9]{4})\]")
_CODE = re.compile(r"`([^`]+)`")


def code_marks(text: str) -> Markup:
    """Escape, then show `command` spans as code (the only markup a section message carries; the dashboard's too)."""
    return Markup(_CODE.sub(lambda m: f"<code>{m.group(1)}</code>", str(escape(text))))


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("chrysalide.report.html", "templates"),
        autoescape=True,  # every forum string (titles, terms, pseudonyms, quotes) is escaped
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["cell"] = number
    env.filters["code_marks"] = code_marks
    return env


def _build(ctx: Context, builder: Callable[[Context], Section]) -> Section:
    key = builder.__name__.removeprefix("section_")
    ctx.section = key
    try:
        section = builder(ctx)
    except Exception as exc:  # a report with one failed section is more useful than none
        log.warning("report section %s failed", builder.__name__, exc_info=True)
        return Section(key, key.replace("_", " ").capitalize(), missing=f"this section failed: {type(exc).__name__}")
    withheld = ctx.withheld_terms.get(key, 0)
    if withheld and not section.missing:
        section.paragraphs.append(
            f"{withheld:,} term(s) are not shown: only messages whose authors may not be quoted use them (members who"
            " have not granted quoting; guests, deleted accounts and unknown authors, who cannot grant it:"
            " `chrysalide report --quotes all-pseudonymised` shows the words of every author who is not excluded)."
        )
    return section


def _cite(sections: list[Section]) -> list[tuple[str, str]]:
    """Number the references in order of first citation; turn [key] marks in notes into links."""
    order: list[str] = []
    for s in sections:
        order += [k for k in dict.fromkeys(_CITE.findall(s.note)) if k in REFERENCES and k not in order]
    number = {k: i + 1 for i, k in enumerate(order)}
    for s in sections:

        def link(m: re.Match[str]) -> str:
            n = number.get(m.group(1))
            return f'<a href="#ref-{m.group(1)}">[{n}]</a>' if n else m.group(0)

        s.note_html = Markup(_CITE.sub(link, str(escape(s.note))))
    return [(k, REFERENCES[k]) for k in order]


def render(store: Store, *, title: str | None = None, quotes: str = "consented", panel_size: int = 21) -> str:
    """The report as an HTML string (see :func:`report`)."""
    ctx = Context(store, quotes=quotes, panel_size=panel_size)
    sections = [_build(ctx, builder) for builder in SECTIONS]
    for s in sections:
        s.note = s.note or NOTES.get(s.key, "")
    references = _cite(sections)
    database = Path(store.path).name if store.path != ":memory:" else ":memory:"
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            title=title or "Chrysalide report: empowerment of an online patient community",
            version=__version__,
            generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M"),
            database=database,
            quotes_mode=QUOTE_MODES_SHOWN[quotes],
            sections=sections,
            references=references,
        )
    )


def report(
    store: Store, out: str | Path, *, title: str | None = None, quotes: str = "consented", panel_size: int = 21
) -> Path:
    """Write the HTML report of ``store`` to ``out`` and return its path.

    ``quotes``: ``consented`` shows verbatim examples and words only from members whose consent allows
    quoting (other examples read "[quote withheld: no consent]"); ``all-pseudonymised`` shows the
    pseudonymised text of every member who is not excluded; ``none`` shows no example at all. ``panel_size``:
    members in the timelines figure (the study followed 21). Nothing is written to the store.
    """
    if quotes not in QUOTE_CHOICES:
        raise ConfigError(f"--quotes must be one of {', '.join(QUOTE_CHOICES)}, not {quotes!r}")
    path = output_file(out)
    html = render(store, title=title, quotes=quotes, panel_size=panel_size)
    with writing(path) as part:
        part.write_text(html, encoding="utf-8")
    return path
