"""Load a spaCy pipeline for a language: a trained one when installed, else a blank one with rules.

spaCy costs ~0.7 s to import, so nothing here runs at start-up; the first
segmentation pays for it, once per process and language.
"""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover - typing only
    from spacy.language import Language

# Sentence-final characters beyond spaCy's defaults: transcribers end trailing-off
# utterances with an ellipsis, written either as one character or as three dots.
EXTRA_SENTENCE_ENDS = ("…", "...", "....")

TRAINED_PIPELINES = {
    "sv": ("sv_core_news_lg", "sv_core_news_md", "sv_core_news_sm"),
    "da": ("da_core_news_lg", "da_core_news_md", "da_core_news_sm"),
    "nb": ("nb_core_news_lg", "nb_core_news_md", "nb_core_news_sm"),
    "en": ("en_core_web_lg", "en_core_web_md", "en_core_web_sm"),
    "de": ("de_core_news_lg", "de_core_news_md", "de_core_news_sm"),
}
"""Installed trained pipelines are preferred, in this order; ``MDA_CODER_SPACY_MODEL`` overrides."""


def trained_pipeline_name(language: str) -> str | None:
    """The name of an installed trained pipeline for ``language``, if there is one."""
    override = os.environ.get("MDA_CODER_SPACY_MODEL")
    if override:
        return override
    for name in TRAINED_PIPELINES.get(language, ()):
        if importlib.util.find_spec(name) is not None:
            return name
    return None


def language_supported(language: str) -> bool:
    """Whether spaCy has tokenizer rules for ``language`` (``sv``, ``da``, ``en`` …)."""
    if not language.isascii() or not language.isalpha() or not 2 <= len(language) <= 3:
        return False
    return importlib.util.find_spec(f"spacy.lang.{language}") is not None


@lru_cache(maxsize=8)
def load(language: str) -> Language:
    """A pipeline that splits sentences, for ``language``; cached per process."""
    import spacy

    name = trained_pipeline_name(language)
    if name is not None:
        nlp = spacy.load(name, exclude=["ner"])
        if not (nlp.has_pipe("parser") or nlp.has_pipe("senter") or nlp.has_pipe("sentencizer")):
            nlp.add_pipe("sentencizer", config={"punct_chars": _punct_chars()})
        return nlp
    nlp = spacy.blank(language)
    nlp.add_pipe("sentencizer", config={"punct_chars": _punct_chars()})
    return nlp


@lru_cache(maxsize=1)
def sentence_ends() -> frozenset[str]:
    """The single characters the sentencizer ends a sentence at (``.``, ``!``, ``…``, and those of other scripts)."""
    return frozenset(c for c in _punct_chars() if len(c) == 1)


def _punct_chars() -> list[str]:
    from spacy.pipeline.sentencizer import Sentencizer

    default: Any = Sentencizer.default_punct_chars
    return list(dict.fromkeys([*default, *EXTRA_SENTENCE_ENDS]))
