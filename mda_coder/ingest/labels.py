"""What a speaker label looks like, which labels are conventional, and which are moderators.

Transcribers in Swedish, Danish and English social research use a small set of
conventional labels (``I``, ``R1``, ``IP3``, ``Moderator``, ``Deltagare 2``); any
other label has to earn its place by recurring or by appearing in a legend.
"""

from __future__ import annotations

import re

MAX_LABEL_CHARS = 40
MAX_LABEL_WORDS = 4

_KNOWN_LABEL = re.compile(
    r"(?:"
    # These stand alone or take a number: ``I``, ``R``, ``R2``, ``Intervjuare 2``.
    r"(?:I|R|M|Int|Mod|Moderator|Intervjuare|Intervjuer|Interviewer|Interviewee"
    r"|Intervjuperson|Respondent|Resp|Informant|Forskare|Forsker|Facilitator"
    r"|Samtalsledare|Ordstyrer)(?:[ ]?\d{1,3}[a-z]?)?"
    # These only ever carry a number: ``P2``, ``IP3``, ``B1``, ``Deltagare 4``, ``Speaker 1``.
    r"|(?:P|B|D|IP|Deltagare|Deltager|Speaker|Talare|Taler|Participant|Person)[ ]?\d{1,3}[a-z]?"
    r")",
    re.IGNORECASE,
)

_MODERATOR_LABEL = re.compile(
    r"(?:I|M|Int|Mod|Moderator|Intervjuare|Intervjuer|Interviewer|Forskare|Forsker"
    r"|Facilitator|Samtalsledare|Ordstyrer)(?:[ ]?\d{1,3}[a-z]?)?",
    re.IGNORECASE,
)

_MODERATOR_WORD = re.compile(
    r"\b(?:intervjuare|intervjuer|interviewer|moderator|forskare|forsker"
    r"|samtalsledare|facilitator|ordstyrer)",
    re.IGNORECASE,
)

# Words that open ordinary sentences; ``Men: ...`` twice in a file is still prose.
_NOT_LABELS = frozenset(
    "men och så alltså ja nej jo okej ok obs ps nb dvs typ exempel ex fast"
    " og altså nå okay but and so yes no note example".split()
)

# First words of bracketed stage directions in sv, da and en: never speakers.
ANNOTATION_WORDS = frozenset(
    # Swedish
    "skratt skrattar skratta fniss paus ohörbart ohörbar ohörbara otydligt otydlig oklart"
    " osäkert överlappande överlapp samtidigt sorl hostar host harklar suck suckar tystnad"
    " avbrott avbryter mumlar namn ort kommun arbetsplats anonymiserat borttaget ljud musik"
    " telefon knackning gråter applåd applåder"
    # Danish
    " latter griner grin pause uhørligt uhørlig uforståeligt utydeligt utydelig"
    " overlappende overlap samtidig afbrydelse afbryder navn by stilhed hoster sukker"
    " mumler anonymiseret græder"
    # English
    " laughter laughs laughing laugh inaudible unclear crosstalk cross-talk overlapping"
    " silence coughs cough sighs sigh interruption interrupts name redacted noise"
    " indistinct unintelligible background applause".split()
)


def is_label_shaped(label: str) -> bool:
    """True for short labels whose every word starts with a capital or a digit.

    ``Anna Berg`` and ``Intervjuare 2`` pass; ``Men säger ni`` (lower-case words)
    and ``00`` (a clock's hours, not a name) do not.
    """
    if len(label) > MAX_LABEL_CHARS:
        return False
    words = label.split()
    if not words or len(words) > MAX_LABEL_WORDS:
        return False
    if all(word.isdigit() for word in words):
        return False
    if len(words) == 1 and label.lower() in _NOT_LABELS:
        return False
    return all(word[0].isupper() or word[0].isdigit() for word in words)


def is_known_label(label: str) -> bool:
    """True for the conventional labels transcribers use, accepted even when seen once."""
    return _KNOWN_LABEL.fullmatch(label) is not None


def is_annotation(content: str) -> bool:
    """True when bracketed ``content`` is a stage direction (``Skratt``, ``Paus 3 sek``)."""
    words = content.split()
    if not words:
        return True
    return words[0].lower().strip(".,:;!?") in ANNOTATION_WORDS


def role_for(label: str, description: str | None) -> str | None:
    """``moderator`` for interviewer labels or descriptions, else the legend's description.

    A legend line like ``R1: arbetskonsulent`` says what R1 is, so that text is
    the role; without a legend only conventional moderator labels get a role.
    """
    if _MODERATOR_LABEL.fullmatch(label) is not None:
        return "moderator"
    if description is not None and _MODERATOR_WORD.search(description) is not None:
        return "moderator"
    return description
