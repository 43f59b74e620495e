"""The typed table behind a resource: its file (store), its writer, what a reader asks of it
(query), its exports and the disclosure control of its small counts."""
from . import roles
from .layout import BATCH, CHART_BARS, FILTERED_COUNT_CAP, NUMERIC, chart_axes
from .query import (OPERATORS, SUPPRESSED, TYPE_OPERATORS, BadQuery, Condition, Page, Query, Suppressed, decode_token,
                    encode_token)
from .store import Table, TableUnreadable
from .writer import TableWriter, add_page_keys, build

__all__ = ["roles", "BATCH", "CHART_BARS", "FILTERED_COUNT_CAP", "NUMERIC", "chart_axes", "SUPPRESSED", "BadQuery", "Page", "Query",
           "OPERATORS", "TYPE_OPERATORS", "Condition", "Suppressed", "decode_token", "encode_token", "Table", "TableUnreadable", "TableWriter", "add_page_keys",
           "build"]
