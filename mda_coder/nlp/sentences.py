"""Split speaker turns into sentences, as code-point spans relative to each turn."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from mda_coder.core.spans import Span, strip_span
from mda_coder.nlp.marks import respect_marks
from mda_coder.nlp.pipeline import load, sentence_ends

CHUNK_CHARS = 100_000
"""Longest piece of one turn handed to spaCy at a time.

spaCy refuses texts over its ``max_length`` (a million characters) and its memory grows with
the text; a turn longer than this (a speech, a transcript without speaker labels) is cut at
a paragraph, a sentence end or a space before this size, and its sentences are joined again.
"""
_CUT = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?…]\s"), re.compile(r"\s"))


def chunks(text: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """``(offset, piece)`` covering ``text``, each piece at most ``size`` characters long.

    Cuts at the last blank line in the window, else a line end, a sentence end, a space,
    and only when there is none of those (a 100,000-character word) in the middle of text.
    """
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = size
        for boundary in _CUT:
            found = [m.end() for m in boundary.finditer(window, size // 2)]
            if found:
                cut = found[-1]
                break
        yield start, text[start : start + cut]
        start += cut
    yield start, text[start:]


def _pieces(texts: Iterable[str]) -> Iterator[tuple[str, tuple[int, int, str]]]:
    """Each text's chunks, tagged ``(offset, chunk count, whole text)``."""
    for text in texts:
        parts = list(chunks(text)) if len(text) > CHUNK_CHARS else [(0, text)]
        for offset, piece in parts:
            yield piece, (offset, len(parts), text)


def split_sentences(texts: Iterable[str], language: str, batch_size: int = 256) -> Iterator[list[Span]]:
    """For each text, its sentences as spans into that text, trimmed of white space.

    Turns are split one by one (never the whole document), because the sentencizer would
    otherwise join a turn's first words to the previous turn; a very long turn is split in
    pieces (see :data:`CHUNK_CHARS`), never refused. Transcription marks such as ``[skratt]``
    or ``(paus 3 sek.)`` stay inside sentences (see :mod:`mda_coder.nlp.marks`).
    """
    nlp = load(language)
    ends = sentence_ends()
    spans: list[Span] = []
    seen = 0
    # Each piece's position rides along as the context: ``doc.text`` would rebuild it token by
    # token, which cost a third of this function's time (bench/bench_import.py).
    for doc, (offset, count, text) in nlp.pipe(_pieces(texts), as_tuples=True, batch_size=batch_size):
        for sent in doc.sents:
            span = strip_span(text, offset + sent.start_char, offset + sent.end_char)
            if span is not None:
                spans.append(span)
        seen += 1
        if seen < count:
            continue
        # A sentencizer leaves trailing white space between sentences outside every span;
        # a text that is not all white space always yields at least one sentence.
        if not spans:
            whole = strip_span(text, 0, len(text))
            if whole is not None:
                spans.append(whole)
        yield respect_marks(text, spans, ends)
        spans, seen = [], 0
