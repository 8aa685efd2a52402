"""Describe speakers and documents: display names, roles, free attributes, people; one by one or from a table.

The use cases and the values they return; the steps behind them are the private modules beside this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mda_coder.services._lazy import face

if TYPE_CHECKING:
    from mda_coder.services.metadata._describe import (
        describe_document,
        describe_speaker,
        parse_attributes,
    )
    from mda_coder.services.metadata._speaker_match import EXACT, ID_ENDING, IGNORING_CASE, UnmatchedRow
    from mda_coder.services.metadata._speakers import (
        MatchedRow,
        NamedSpeaker,
        SpeakerImport,
        SpeakerMatch,
        import_speakers,
    )

__all__ = [
    "EXACT",
    "ID_ENDING",
    "IGNORING_CASE",
    "MatchedRow",
    "NamedSpeaker",
    "SpeakerImport",
    "SpeakerMatch",
    "UnmatchedRow",
    "describe_document",
    "describe_speaker",
    "import_speakers",
    "parse_attributes",
]

__getattr__ = face(
    __name__,
    {
        "_describe": ("describe_document", "describe_speaker", "parse_attributes"),
        "_speaker_match": ("EXACT", "ID_ENDING", "IGNORING_CASE", "UnmatchedRow"),
        "_speakers": ("MatchedRow", "NamedSpeaker", "SpeakerImport", "SpeakerMatch", "import_speakers"),
    },
)
