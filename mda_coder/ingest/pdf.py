"""PDF transcripts: the text layer page by page, read with pypdf, cleaned of page furniture.

Transcription services deliver PDFs printed from Word. Their text layer is the transcript with
hard-wrapped lines, which the text reader already treats as continuation lines of a turn; what
a page adds (numbers, running headers and footers) is removed and reported here. pypdf is
imported only when a PDF is read: it costs ~150 ms that no other command should pay.
"""

from __future__ import annotations

import io
import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from mda_coder.core.display import one_line
from mda_coder.core.errors import InputError
from mda_coder.core.transcript import LEFT_OUT, Doubt
from mda_coder.i18n import Message
from mda_coder.ingest.limits import MAX_TEXT_CHARS
from mda_coder.ingest.page_furniture import remove_furniture

if TYPE_CHECKING:
    from pypdf import PdfReader

MAX_PAGES = 5_000
"""Most pages read: ten times the longest transcript we know of, a bound on pypdf's work."""

_NO_TEXT = Message("has no text layer (scanned pages?): run OCR on it first, or export the transcript as .docx or .txt")
_PASSWORD = Message(
    "is encrypted with a password: open it with the password and save or print it "
    "as a PDF without one, or export the transcript as .docx or .txt"
)
_AES = Message(
    "is encrypted (AES, even without a password), which needs the 'cryptography' package: "
    "pip install cryptography, or save it as a PDF without protection"
)


def pdf_text(data: bytes) -> tuple[str, tuple[Doubt, ...]]:
    """The text layer of the PDF in ``data`` as lines, and what was left out of it.

    Pages follow each other line by line (a page break never joins two lines); trailing
    white space is trimmed; page numbers and running headers and footers are removed and
    counted in one doubt; a page without text among pages with text gets a doubt of its
    own. Raises ``InputError`` (one line) for anything that is not a readable PDF with text.
    """
    pages = _pages(data)
    if not any(line.strip() for page in pages for line in page):
        raise InputError(_NO_TEXT)
    removed = remove_furniture(pages)
    doubts: list[Doubt] = []
    if removed:
        doubts.append(Doubt(LEFT_OUT, None, removed.summary(), Message("removed from the text")))
    lines: list[str] = []
    blank_pages: list[tuple[int, int]] = []
    for number, page in enumerate(pages, 1):
        if not any(line.strip() for line in page):
            blank_pages.append((number, len(lines)))
        lines.extend(page)
    for number, before in blank_pages:
        after = before < len(lines)
        doubts.append(
            Doubt(
                LEFT_OUT,
                before + 1 if after else max(before, 1),
                f"page {number} has no text (an image?)",
                Message("nothing imported from it; it comes before this line")
                if after
                else Message("nothing imported from it; it comes after this line"),
            )
        )
    return "\n".join(lines), tuple(doubts)


def _pages(data: bytes) -> list[list[str]]:
    """Every page's lines, white space trimmed at their ends; refusals as ``InputError``."""
    if b"%PDF-" not in data[:1024]:
        raise InputError(Message("not a PDF file (it does not start with %PDF-)"))
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        with _quiet_pypdf():
            reader = PdfReader(io.BytesIO(data))
            _unlock(reader)
            return list(_page_lines(reader))
    except InputError:
        raise
    except DependencyError as err:
        if "AES" in str(err):
            raise InputError(_AES) from None
        raise InputError(Message("cannot read this PDF ({error})", error=_detail(err))) from None
    except Exception as err:  # noqa: BLE001 - pypdf raises many kinds on a hostile file
        # Damaged and hostile files make pypdf raise anything from its own PdfReadError to
        # KeyError, ValueError or RecursionError; the user needs one line, not a traceback.
        raise InputError(Message("damaged PDF file ({error})", error=_detail(err))) from None


def _detail(err: Exception) -> str:
    return one_line(str(err), 80) or type(err).__name__


def _unlock(reader: PdfReader) -> None:
    """Open an encrypted file with the empty password, as PDF viewers do, or refuse it."""
    if reader.is_encrypted and not reader.decrypt(""):
        raise InputError(_PASSWORD)


def _page_lines(reader: PdfReader) -> Iterator[list[str]]:
    count = len(reader.pages)
    if count == 0:
        raise InputError(Message("has no pages"))
    if count > MAX_PAGES:
        raise InputError(
            Message(
                "has {count} pages: refused (limit {limit})", count=format(count, ","), limit=format(MAX_PAGES, ",")
            )
        )
    total = 0
    for page in reader.pages:
        text = page.extract_text()
        total += len(text)
        if total > MAX_TEXT_CHARS:
            raise InputError(
                Message("its text is too large (over {limit} characters)", limit=format(MAX_TEXT_CHARS, ","))
            )
        yield [line.rstrip() for line in text.splitlines()]


@contextmanager
def _quiet_pypdf() -> Iterator[None]:
    """Keep pypdf's notes on damaged files ("Ignoring wrong pointing object …") off the terminal.

    pypdf reports what it repairs through ``logging`` and ``warnings``; with no handler set
    up, Python prints those to stderr, in the middle of the import's output.
    """
    logger = logging.getLogger("pypdf")
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)
