"""Provincial summary tables built from many signed bundles (no Qt).

``tables`` defines the tables as data (``definitions/*.json``), ``collect`` verifies the bundles
and builds the rows, ``render_xlsx`` / ``render_docx`` write the editable workbook and the
printable table. The column sets are GiantDesk's own proposal, not the official templates
(which were not found): see ``docs/summaries.md``.
"""

from giantdesk.summaries.collect import BundleProblem, Cell, Entry, Summary, collect
from giantdesk.summaries.tables import (
    SUMMARY_IDS,
    Column,
    SummaryDefinition,
    SummaryDefinitionError,
    load_summary,
    load_summary_file,
)

__all__ = ["SUMMARY_IDS", "BundleProblem", "Cell", "Column", "Entry", "Summary",
           "SummaryDefinition", "SummaryDefinitionError", "collect", "load_summary",
           "load_summary_file"]
