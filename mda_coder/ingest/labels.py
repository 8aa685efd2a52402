"""What a speaker label looks like, which labels are conventional, and which are moderators.

Transcribers in Swedish, Danish and English social research use a small set of
conventional labels (``I``, ``R1``, ``IP3``, ``Moderator``, ``Deltagare 2``); any
other label has to earn its place by recurring or by appearing in a legend.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

MAX_LABEL_CHARS = 40
MAX_LABEL_WORDS = 4
MAX_SLIP_LABEL_CHARS = 4
"""Labels this short are the ones transcribers mistype as ``X.``, ``M;`` or ``K Nej``."""

_KNOWN_LABEL = re.compile(
    r"(?:"
    # These stand alone or take a number: ``I``, ``R``, ``R2``, ``Intervjuare 2``.
    r"(?:I|R|M|Int|Mod|Moderator|Intervjuare|Intervjuer|Interviewer|Interviewee"
    r"|Intervjuperson|Respondent|Resp|Informant|Forskare|Forsker|Facilitator|Researcher"
    r"|Samtalsledare|Ordstyrer)(?:[ ]?\d{1,3}[a-z]?)?"
    # These only ever carry a number: ``P2``, ``IP3``, ``B1``, ``Deltagare 4``, ``Speaker 1``.
    r"|(?:P|B|D|IP|Deltagare|Deltager|Speaker|Talare|Taler|Participant|Person)[ ]?\d{1,3}[a-z]?"
    r")",
    re.IGNORECASE,
)

_MODERATOR_LABEL = re.compile(
    r"(?:I|M|Int|Mod|Moderator|Intervjuare|Intervjuer|Interviewer|Forskare|Forsker|Researcher"
    r"|Facilitator|Samtalsledare|Ordstyrer)(?:[ ]?\d{1,3}[a-z]?)?",
    re.IGNORECASE,
)

_MODERATOR_WORD = re.compile(
    r"\b(?:intervjuare|intervjuer|interviewer|moderator|forskare|forsker|researcher"
    r"|samtalsledare|facilitator|ordstyrer)",
    re.IGNORECASE,
)

_JOINT = re.compile(r"\s*[+&/]\s*|\s+(?:og|och|and|und|et|y|e)\s+", re.IGNORECASE)
"""What joins two labels into one for speech said together: ``X og Y``, ``I1 + I2``, ``A & B``."""

_PARTY = re.compile(r"[A-ZÅÄÖÆØÜ]{1,4}[a-zåäöæø]?[A-ZÅÄÖÆØ]?")
"""A party abbreviation after a name: ``(KD)``, ``(S)``, ``(FrP)``, ``(KrF)``."""
_UPPER_WORD = re.compile(r"[^\W\d_][\w.'’-]*")

NOT_LABELS = frozenset(
    "men och så alltså ja nej jo okej ok obs ps nb dvs typ exempel ex fast"
    " og altså nå okay but and so yes no note example".split()
)
"""Words that open ordinary sentences: ``Men: ...`` twice in a file is still prose, not a speaker."""

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
    if len(words) == 1 and label.lower() in NOT_LABELS:
        return False
    return all(word[0].isupper() or word[0].isdigit() for word in words)


_CODE_LABEL = re.compile(r"[^\W\d_]\d{0,3}")
"""A capital letter with or without a number (``X``, ``Y``, ``K``, ``X1``): a code for a speaker."""


def is_known_label(label: str) -> bool:
    """True for the conventional labels transcribers use, accepted even when seen once.

    Besides the words (``Intervjuare``, ``Deltagare 4``), any capital letter with an optional
    number is one: transcribers code speakers ``X``, ``Y``, ``K``, ``X1``, and no sentence
    starts with ``Y:``.
    """
    if _CODE_LABEL.fullmatch(label) and label[0].isupper():
        return True
    return _KNOWN_LABEL.fullmatch(label) is not None


def is_annotation(content: str) -> bool:
    """True when bracketed ``content`` is a stage direction (``Skratt``, ``Paus 3 sek``)."""
    words = content.split()
    if not words:
        return True
    return words[0].lower().strip(".,:;!?") in ANNOTATION_WORDS


def role_for(label: str, description: str | None) -> str | None:
    """``moderator`` for interviewer labels or descriptions, else the legend's description.

    A legend line like ``R1: arbetskonsulent`` says what R1 is, so that text is the role,
    and it beats any guess from the label (``M: Mand`` is a man, not a moderator); without
    a legend only conventional moderator labels get a role. Joint labels (``I1 + I2``) are
    moderators when every part is one.
    """
    if description is not None and description.strip():
        return "moderator" if _MODERATOR_WORD.search(description) is not None else description.strip()
    if _MODERATOR_LABEL.fullmatch(label) is not None:
        return "moderator"
    parts = joint_parts(label)
    if parts and all(_MODERATOR_LABEL.fullmatch(part) for part in parts):
        return "moderator"
    return None


@lru_cache(maxsize=4096)
def label_key(label: str) -> str:
    """What two spellings of one label share: ``Y``, ``Y:``, `` Y `` and ``y`` all give ``y``.

    White space (a no-break space too) is folded, Markdown emphasis and trailing
    punctuation dropped, and case ignored; the reader merges labels with equal keys and
    says so.
    """
    folded = " ".join(label.replace("*", " ").replace("_", " ").split())
    return folded.rstrip(".:;,").strip().casefold()


def joint_parts(label: str) -> list[str] | None:
    """The labels in a joint label (``X og Y`` → ``X``, ``Y``), or None for a single label."""
    parts = [part.strip() for part in _JOINT.split(label)]
    if len(parts) < 2 or not all(parts):
        return None
    return parts


@dataclass(frozen=True, slots=True)
class LabelParts:
    """A raw label cut into the speaker label and what else it carries."""

    label: str
    note: str | None = None
    """A note in parentheses that is not a party: ``til I2``, ``utydeligt hvem?``."""
    attributes: tuple[tuple[str, str], ...] = ()
    """``party`` and ``title`` from parliamentary labels (``Statsrådet ANNA BERG (S)``)."""


@lru_cache(maxsize=4096)
def split_label(label: str, note: str | None) -> LabelParts:
    """Separate a parliamentary party and title from a name; keep any other note as a note.

    ``ANNA ANDERSSON BERG`` with ``KD`` becomes the label ``ANNA ANDERSSON BERG`` with
    party ``KD``; ``Statsrådet ANNA BERG`` with ``S`` becomes ``ANNA BERG`` with the title
    ``Statsrådet``. A note on a label that is not an upper-case name stays a note.
    """
    words = label.split()
    upper = [w for w in words if _UPPER_WORD.fullmatch(w) and w.upper() == w and any(c.isalpha() for c in w)]
    attributes: list[tuple[str, str]] = []
    if note is not None and upper and _PARTY.fullmatch(note.strip()):
        first = words.index(upper[0])
        if words[first:] == upper and (first == 0 or len(upper) >= 2):
            if first:
                attributes.append(("title", " ".join(words[:first])))
            attributes.append(("party", note.strip()))
            return LabelParts(" ".join(upper), None, tuple(attributes))
    return LabelParts(label, note.strip() if note else None)
