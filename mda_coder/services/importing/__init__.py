"""Import transcripts, and REFI-QDA projects and codebooks from other QDA programs, each in one transaction.

The use cases and the values they return; the steps behind them are the private modules beside this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mda_coder.services._lazy import face

if TYPE_CHECKING:
    from mda_coder.services.importing._files import FileReport, SpeakerSummary, TurnPreview, import_files, preview_files
    from mda_coder.services.importing._refi import (
        RefiImportReport,
        SourceReport,
        import_qdc,
        import_qdpx,
        read_qdc_codebook,
    )

__all__ = [
    "FileReport",
    "RefiImportReport",
    "SourceReport",
    "SpeakerSummary",
    "TurnPreview",
    "import_files",
    "import_qdc",
    "import_qdpx",
    "preview_files",
    "read_qdc_codebook",
]

__getattr__ = face(
    __name__,
    {
        "_files": ("FileReport", "SpeakerSummary", "TurnPreview", "import_files", "preview_files"),
        "_refi": ("RefiImportReport", "SourceReport", "import_qdc", "import_qdpx", "read_qdc_codebook"),
    },
)
