"""The report's sections, in reading order: each is ``section_x(ctx) -> Section``."""

from chrysalide.report.html.sections.alerts import section_alerts
from chrysalide.report.html.sections.community import section_network, section_responses
from chrysalide.report.html.sections.journeys import section_journeys, section_timelines
from chrysalide.report.html.sections.lexical import section_reference_words, section_reinert
from chrysalide.report.html.sections.overview import section_overview, section_stage_mix
from chrysalide.report.html.sections.summary import section_summary

SECTIONS = [
    section_summary,
    section_overview,
    section_stage_mix,
    section_responses,
    section_network,
    section_journeys,
    section_timelines,
    section_reinert,
    section_reference_words,
    section_alerts,
]

__all__ = ["SECTIONS"]
