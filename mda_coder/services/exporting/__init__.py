"""Export: excerpts as Markdown, codings as tidy CSV/JSON, REFI-QDA codebooks and projects.

The use cases and the values they return; the steps behind them are the private modules beside this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mda_coder.services._lazy import face

if TYPE_CHECKING:
    from mda_coder.services.exporting._files import (
        STDOUT,
        ExportResult,
        check_target,
        default_language,
        export_markdown,
        export_qdc,
        export_qdpx,
        export_table,
        tidy_rows,
    )

__all__ = [
    "STDOUT",
    "ExportResult",
    "check_target",
    "default_language",
    "export_markdown",
    "export_qdc",
    "export_qdpx",
    "export_table",
    "tidy_rows",
]

__getattr__ = face(
    __name__,
    {
        "_files": (
            "STDOUT",
            "ExportResult",
            "check_target",
            "default_language",
            "export_markdown",
            "export_qdc",
            "export_qdpx",
            "export_table",
            "tidy_rows",
        ),
    },
)
