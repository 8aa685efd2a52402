"""A name the user typed that matches nothing: one error, with the closest known names ("did you mean …?").

Every not-found error for a document, code, coder, speaker, group or role is built here, so the
same slip (``tillit`` for ``tilltro``, ``FG1`` for ``FG1_Norrvik``, ``fg2_sjostad``) gets the
same help everywhere. rapidfuzz is already needed for search; it is imported only when a name
is not found, so this module stays cheap to import for the rest of the core.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from mda_coder.core.errors import NotFoundError
from mda_coder.i18n import Message

CUTOFF = 70
"""The least similarity (0–100, rapidfuzz's ratio, case and punctuation ignored) for a name to be suggested.

At 70, ``tillit`` finds ``tilltro`` (77), ``anne`` ``anna`` (75) and ``fg2_sjostad``
``FG2_Sjöstad`` (91); ``FG7`` does not find ``FG1`` (67), nor ``R7`` ``R1`` (50): for names that
short, a different digit is a different thing, not a slip.
"""
BEGINNING = 90
"""The similarity of a known name that begins with what was typed (three characters or more):
``FG1`` for ``FG1_Norrvik``, ``Lena`` for ``Lena Berglund``, ``tvivel`` for ``tvivel och brist på tilltro``."""
SUGGESTED = 3
"""At most this many suggestions, each within ``CLOSE`` of the best one."""
CLOSE = 10
LISTED = 8
"""Known names listed in the error (then ``…``)."""


def closest(name: str, known: Iterable[str] | Mapping[str, str]) -> list[str]:
    """The known names ``name`` was most likely meant to be, best first (none when nothing is close).

    ``known`` may map each text to match to the name to suggest, so that a code is found by its
    name and suggested by its path (``tvival`` → ``tilltro/tvivel``).
    """
    shown = dict(known) if isinstance(known, Mapping) else {k: k for k in known}
    from rapidfuzz import fuzz, utils

    typed = utils.default_process(name)
    if not typed or not shown:
        return []
    scores: dict[str, float] = {}
    for text, suggestion in shown.items():
        candidate = utils.default_process(text)
        score = fuzz.ratio(typed, candidate)
        if len(typed) >= 3 and candidate.startswith(typed):
            score = max(score, BEGINNING)
        if score >= CUTOFF and suggestion != name:
            scores[suggestion] = max(score, scores.get(suggestion, 0))
    if not scores:
        return []
    best = max(scores.values())
    ranked = sorted(scores, key=lambda s: (-scores[s], len(s), s))
    return [s for s in ranked if scores[s] >= best - CLOSE][:SUGGESTED]


def not_found(
    head: str,
    name: str,
    known: Iterable[str] | Mapping[str, str],
    noun: str,
    *,
    hint: str | None = None,
    empty: str = Message("none yet"),
) -> NotFoundError:
    """``head`` (``no document called 'FG1'``), the closest names, then the known ones or ``hint``.

    ``no document called 'FG1': did you mean 'FG1_Norrvik'? (documents: FG1_Norrvik, FG2_Sjöstad)``
    The message is a ``Message`` (so are ``head``, ``noun`` and ``hint`` when the caller made them one).
    """
    known = dict(known) if isinstance(known, Mapping) else list(known)  # an iterator is read once
    names = list(dict.fromkeys(known.values() if isinstance(known, dict) else known))
    suggested = closest(name, known)
    if hint is not None:
        listed = hint
    elif names:
        listed = Message(
            "{noun}: {names}", noun=noun, names=", ".join(names[:LISTED]) + (", …" if len(names) > LISTED else "")
        )
    else:
        listed = Message("{noun}: {names}", noun=noun, names=empty)
    if suggested:
        return NotFoundError(
            Message("{head}: did you mean {names}? ({listed})", head=head, names=_either(suggested), listed=listed)
        )
    return NotFoundError(Message("{head} ({listed})", head=head, listed=listed))


def _either(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return (
        quoted[0] if len(quoted) == 1 else Message("{names} or {last}", names=", ".join(quoted[:-1]), last=quoted[-1])
    )
