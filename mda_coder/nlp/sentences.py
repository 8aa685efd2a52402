"""Split speaker turns into sentences, as code-point spans relative to each turn."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from mda_coder.core.spans import Span, strip_span
from mda_coder.nlp.pipeline import load


def split_sentences(texts: Iterable[str], language: str, batch_size: int = 256) -> Iterator[list[Span]]:
    """For each text, its sentences as spans into that text, trimmed of white space.

    Turns are split one by one (never the whole document), because the
    sentencizer would otherwise join a turn's first words to the previous turn.
    """
    nlp = load(language)
    # Each text rides along as the context: ``doc.text`` would rebuild it token by token,
    # which cost a third of this function's time (bench/bench_import.py).
    for doc, text in nlp.pipe(((t, t) for t in texts), as_tuples=True, batch_size=batch_size):
        spans: list[Span] = []
        for sent in doc.sents:
            start = sent.start_char
            end = sent.end_char
            span = strip_span(text, start, end)
            if span is not None:
                spans.append(span)
        # A sentencizer leaves trailing white space between sentences outside every span;
        # a text that is not all white space always yields at least one sentence.
        if not spans:
            whole = strip_span(text, 0, len(text))
            if whole is not None:
                spans.append(whole)
        yield spans
