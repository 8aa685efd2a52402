"""A transcript as the importers produce it: normalised text, speakers and turns."""

from __future__ import annotations

from dataclasses import dataclass, field

from mda_coder.core.spans import Span


@dataclass(frozen=True, slots=True)
class SpeakerInfo:
    """One speaker label as found in a transcript."""

    label: str
    """The label exactly as written before the utterance (``R1``, ``Anna Berg``)."""
    role: str | None = None
    """A role from a legend block or a known label (``moderator`` for ``I:``, ``Moderator:``)."""
    description: str | None = None
    """The legend's text for this label, when the transcript has a legend."""
    attributes: tuple[tuple[str, str], ...] = ()
    """What the label itself says besides the name: ``party``, ``title`` (``Anf. 3 ANNA BERG (KD):``)."""


@dataclass(frozen=True, slots=True)
class Turn:
    """One speaker turn: the utterance text's span in the document."""

    span: Span
    """The utterance itself: after the label and any timestamp, trimmed of white space."""
    speaker: str | None = None
    """The speaker label, or ``None`` in a document without speaker labels."""
    time: float | None = None
    """Start time in seconds from the beginning of the recording, when the transcript gives one."""
    end_time: float | None = None
    """End time in seconds, from subtitle cues."""


# The kinds of doubt a reader can raise. Each names a decision that could be wrong, so a user
# can find the line and check it; the summary counts them per kind.
LABEL_AS_TEXT = "label-as-text"
"""A line that looks like a speaker label but was read as text of the turn it is in."""
NO_TURN = "no-turn"
"""Text that fell into no turn (before the first label, or between turns)."""
MERGED_LABEL = "merged-label"
"""A spelling of a label merged into another (``Y:`` with ``Y``, ``ANNA`` with ``Anna``)."""
SLIP = "slip"
"""A transcriber's slip after a known label (``X.``, ``M;``, ``K Nej``) read as a turn start."""
LABEL_NOTE = "label-note"
"""A label with a note in it (``X (til I2):``, ``I2 (utydeligt hvem?):``) read as the plain label."""
UNLABELLED = "unlabelled"
"""A line with a time but no speaker label (``*10:00 = Ja, det er rigtigt``), read as text."""
SIMILAR_LABEL = "similar-label"
"""A speaker spelt almost like a busier one (``PARTICPANT 2``): a typo, not merged."""
NEW_SPEAKER = "new-speaker"
"""A label seen once, read as a speaker of its own."""
NOT_IN_LEGEND = "not-in-legend"
"""A speaker who is not in the transcript's legend, or a legend label nobody speaks under."""
NO_SPEAKER = "no-speaker"
"""A turn without a speaker in a file where the other turns have one."""
BANNER = "banner"
"""A subtitle cue that looks like credits or a banner rather than speech; kept as a turn."""
DIRECT_MESSAGE = "direct-message"
"""A chat message sent to one person or a few, not to everyone; kept as a turn."""
LEFT_OUT = "left-out"
"""Something in the file that is not in the imported text (a footnote, a comment, a picture)."""
TIME = "time"
"""A time that runs backwards or could not be read."""


@dataclass(frozen=True, slots=True)
class Doubt:
    """One decision a reader had to guess at, with where to look.

    Listed under ``import --preview`` and ``--json``, counted in the import summary, so that a
    wrong guess is never silent.
    """

    kind: str
    """One of the kinds above, e.g. ``slip``."""
    line: int | None
    """1-based line in the source file (a paragraph in a ``.docx``), or None when not about a line."""
    text: str
    """The line as written (trimmed, shortened to about 80 characters), or what was left out."""
    reading: str
    """What the reader made of it, e.g. ``opens a turn of X``, ``read as text in I1's turn``."""


@dataclass(frozen=True, slots=True)
class ParsedTranscript:
    """What a reader made of one file, before it is stored.

    ``text`` is what every offset refers to: decoded, with line endings
    normalised to ``\\n`` once, here, and never changed afterwards.
    """

    text: str
    turns: tuple[Turn, ...]
    speakers: tuple[SpeakerInfo, ...]
    """Speakers in order of first appearance (legend order when there is a legend)."""
    format: str
    """``txt``, ``md``, ``docx``, ``vtt`` or ``srt``."""
    layout: str
    """The layout the reader decided on, e.g. ``label-colon``, ``otter``, ``webvtt-zoom``."""
    guessed: bool = False
    """True when the layout was a guess the user should check."""
    encoding: str = "utf-8"
    warnings: tuple[str, ...] = field(default_factory=tuple)
    doubts: tuple[Doubt, ...] = field(default_factory=tuple)
    """Every guess that could be wrong, in line order."""
    lines: int = 0
    """Lines (paragraphs, cues) with text in the source: what the share of doubtful lines is of."""

    @property
    def speaker_labels(self) -> tuple[str, ...]:
        return tuple(s.label for s in self.speakers)
