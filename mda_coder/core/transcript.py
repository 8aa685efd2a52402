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

    @property
    def speaker_labels(self) -> tuple[str, ...]:
        return tuple(s.label for s in self.speakers)
