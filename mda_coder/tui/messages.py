"""Messages workers post back to the screen: small frozen values, never ORM rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

from mda_coder.core.coding import Coding
from mda_coder.core.reading import DocumentView, Mark
from mda_coder.core.spans import Span

if TYPE_CHECKING:  # the services (and SQLAlchemy) load after the first paint
    from mda_coder.core.coding import DocumentInfo
    from mda_coder.services.changes import Change
    from mda_coder.services.codebook import CodeDetail, CodeListing
    from mda_coder.services.corrections import CorrectionReport
    from mda_coder.services.history import HistoryStep
    from mda_coder.services.presence import OpenWindow


@dataclass
class DocumentLoaded(Message):
    view: DocumentView
    marks: list[Mark]
    cursor: int = 0
    selection: Span | None = None
    """A span to select in the cursor's turn once shown (a jump from an excerpt, a report, a review)."""
    head: int | None = None
    """The journal head read before the marks: the screen shows the project as of that entry."""
    memos: dict[int, list[str]] | None = None
    """The memos on the document's turns, by turn number (None: not read with it)."""


@dataclass
class WorkspaceReady(Message):
    """The workspace has shown its first document and takes keys: the app replays any held back."""

    document: str | None


@dataclass
class CodingChanged(Message):
    """A coding action committed: the screen redraws ``span`` of ``document`` and says so."""

    document: str
    span: Span
    description: str
    coding: Coding | None = None
    added: bool = False
    """A new coding was applied: the screen can draw it without reloading every mark."""
    memos: dict[int, list[str]] | None = None
    """The memos on ``document``'s turns, read again after a memo was saved (None: unchanged)."""


@dataclass
class ActionFailed(Message):
    """A service refused an action (a user mistake or a conflict); nothing was changed."""

    message: str


@dataclass
class MarksReloaded(Message):
    document: str
    marks: list[Mark] = field(default_factory=list)
    head: int | None = None
    """The journal head read before the marks (see ``DocumentLoaded.head``)."""
    memos: dict[int, list[str]] | None = None
    """The memos on the document's turns, when they were read again too (None: not read)."""


@dataclass
class HistoryStepped(Message):
    """Undo or redo committed (``step`` None: there was nothing to undo or redo)."""

    step: HistoryStep | None
    direction: str


@dataclass
class HistoryHeld(Message):
    """Undo or redo was refused, nothing changed: its step was taken in another window and not shown here yet."""

    step: HistoryStep


@dataclass
class WindowOpened(Message):
    """This workspace is noted among the project's open windows; ``others`` are the coder's other ones."""

    window: int
    others: list[OpenWindow]


@dataclass
class WindowBeat(Message):
    """This workspace's row among the open windows was renewed; ``window`` is its id (new if it had gone stale)."""

    window: int


@dataclass
class OthersChanged(Message):
    """Another connection committed changes to the project (the change feed on a server): show them."""

    changes: list[Change]


@dataclass
class FeedChanged(Message):
    """The change feed's connection was made (``lost`` None), or broke and is being made again."""

    lost: str | None
    """Why the server cannot be listened to, if it cannot."""


@dataclass
class DocumentsListed(Message):
    """The project's documents, read on the load worker before the first of them (the panel lists them)."""

    documents: list[DocumentInfo]
    head: int
    """The journal head read before them."""


@dataclass
class CodebookRead(Message):
    """The codebook and the coder's own count of codings per code, read off the UI thread."""

    codes: list[CodeListing]
    mine: dict[str, int]


@dataclass
class CodeDetailRead(Message):
    """The highlighted code's texts, for the panel under the codebook."""

    detail: CodeDetail


@dataclass
class OthersRead(Message):
    """The project's coders other than the screen's own, read when blind mode was turned off."""

    others: list[str]


@dataclass
class TextCorrected(Message):
    """A correction of a turn committed (its text, a split, a merge, a speaker): the document is shown anew."""

    loaded: DocumentLoaded
    """The document as it is now, read after the correction, with the cursor on the turn concerned."""
    report: CorrectionReport
    what: str
    """What was done, e.g. ``turn 12 corrected``."""


@dataclass
class DocumentChanged(Message):
    """The document shown was corrected elsewhere (another window, another coder): it is shown anew."""

    loaded: DocumentLoaded
