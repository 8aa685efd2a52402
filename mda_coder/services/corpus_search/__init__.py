"""Corpus search: every document at once, through the search index, as keyword-in-context hits.

The use case and the values it takes and gives; the steps behind it are the private modules beside this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mda_coder.services._lazy import face

if TYPE_CHECKING:
    from mda_coder.services.corpus_search._find import search_corpus
    from mda_coder.services.corpus_search._places import Facets, facets, sentence_at
    from mda_coder.services.corpus_search._values import MATCHES, MODES, SORTS, CorpusHit, CorpusSearch, SearchRequest

__all__ = [
    "MATCHES",
    "MODES",
    "SORTS",
    "CorpusHit",
    "CorpusSearch",
    "Facets",
    "SearchRequest",
    "facets",
    "search_corpus",
    "sentence_at",
]

__getattr__ = face(
    __name__,
    {
        "_find": ("search_corpus",),
        "_places": ("Facets", "facets", "sentence_at"),
        "_values": ("MATCHES", "MODES", "SORTS", "CorpusHit", "CorpusSearch", "SearchRequest"),
    },
)
