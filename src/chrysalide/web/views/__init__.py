"""What each dashboard page shows, as plain dicts: the HTML page and its JSON twin render the same dict.

Each module declares its pages with :func:`chrysalide.web.pages.page`; importing them fills :data:`PAGES`,
in the order of the navigation. The views read stored tables and the store's shared views; they never run
an analysis step.
"""

from chrysalide.web.pages import PAGES
from chrysalide.web.views import alerts, lexical, members, overview, report, review, threads

__all__ = ["PAGES", "alerts", "lexical", "members", "overview", "report", "review", "threads"]
