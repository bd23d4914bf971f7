"""Data-quality checks: identities, agreement between tables and text, and the article's own
contradictions, each failing check matched to the documented resolution that explains it.

A check that fails and is named by a resolution in ``data/article/resolutions.csv`` is a
*resolved contradiction*; one that fails without a resolution, or a resolution that names a
check which passes (stale), makes :attr:`Report.ok` false and ``flowmap data check`` exit 1.

The parts: :mod:`~flowmap.batken.checks.values` (the checks' deferred texts),
:mod:`~flowmap.batken.checks.finding` (one check's outcome), the families of checks
(:mod:`~flowmap.batken.checks.identities`, :mod:`~flowmap.batken.checks.percentages`,
:mod:`~flowmap.batken.checks.agreement`, :mod:`~flowmap.batken.checks.sums`,
:mod:`~flowmap.batken.checks.ranges`, :mod:`~flowmap.batken.checks.rebuild`),
:mod:`~flowmap.batken.checks.fates` (what happened to each figure),
:mod:`~flowmap.batken.checks.notes`, :mod:`~flowmap.batken.checks.report` and
:mod:`~flowmap.batken.checks.summary` (the report, its summary line and its JSON).
"""

from flowmap.batken.checks.agreement import agreement, printed_periods, repeats
from flowmap.batken.checks.fates import Fate
from flowmap.batken.checks.finding import Finding, Part
from flowmap.batken.checks.identities import net_identities, sex_sums
from flowmap.batken.checks.notes import model_notes, model_parameters
from flowmap.batken.checks.percentages import percentages
from flowmap.batken.checks.rebuild import build_is_current
from flowmap.batken.checks.report import Contradiction, Report, run_checks
from flowmap.batken.checks.summary import report_json, summary_text
from flowmap.batken.checks.sums import flow_identities
from flowmap.batken.checks.values import Cited, Flow, Ref, Where

__all__ = [
    "Cited",
    "Contradiction",
    "Fate",
    "Finding",
    "Flow",
    "Part",
    "Ref",
    "Report",
    "Where",
    "agreement",
    "build_is_current",
    "flow_identities",
    "model_notes",
    "model_parameters",
    "net_identities",
    "percentages",
    "printed_periods",
    "repeats",
    "report_json",
    "run_checks",
    "sex_sums",
    "summary_text",
]
