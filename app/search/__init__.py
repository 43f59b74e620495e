"""Full-text search of published datasets (Whoosh, numpy facets): what the services import.

text: Indonesian analysis. schema: what a document stores. snapshot: an index generation as
arrays. scoring, facets, suggestions: one search. highlighting: marked titles and snippets.
index: SearchIndex, its generations and writer. A module imports only those before it.
"""

from .facets import FACET_ALIASES
from .highlighting import highlight
from .index import IndexWriteError, SearchIndex, SearchResult
from .schema import FACET_FIELDS
from .scoring import SORTS
from .snapshot import IdSet, IdValues, id_array

__all__ = ["SearchIndex", "SearchResult", "IdSet", "IdValues", "IndexWriteError", "FACET_FIELDS", "FACET_ALIASES",
           "SORTS", "highlight", "id_array"]
