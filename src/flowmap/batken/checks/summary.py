"""The report in one line, and as JSON."""

from __future__ import annotations

from collections.abc import Mapping

from flowmap.batken.checks.report import Report
from flowmap.text import numbers
from flowmap.text.i18n import t


def summary_text(key: str, counts: Mapping[str, int], lang: str) -> str:
    """Return the one-line summary ``key`` (``cli.check.summary`` or
    ``app.quality.summary``) of check counts, numbers in the language's format."""
    return t(
        key,
        lang,
        n=counts["checks"],
        **{k: numbers.count(counts[k], lang) for k in ("checks", "passed", "resolved", "failed")},
    )


def report_json(report: Report, lang: str = "en") -> dict[str, object]:
    """Return the report as plain JSON-ready data, its texts in ``lang``."""
    return {
        "ok": report.ok,
        "counts": dict(report.counts()),
        "contradictions": [
            {
                "id": c.id,
                "title": c.title.text(lang),
                "rule": c.rule.text(lang),
                "checks": [{"check": f.check, "message": f.text(lang)} for f in c.findings],
                "values": [v.text(lang) for v in c.values],
                "shipped": [
                    {"figure": v.fig_id, "as": v.shipped_as or v.kind, "value": v.shipped_value}
                    for v in c.shipped
                ],
            }
            for c in report.contradictions
        ],
        "failures": [{"check": f.check, "message": f.text(lang)} for f in report.failures],
        "notes": [note.text(lang) for note in report.notes],
        "checks": [
            {"check": f.check, "kind": f.kind, "ok": f.ok, "message": f.text(lang)}
            for f in report.findings
        ],
    }
