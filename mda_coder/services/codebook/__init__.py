"""The codebook: import and export it, list the code tree, and edit it (add, rename, move, merge, describe codes).

The use cases and the values they return; the steps behind them are the private modules beside this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mda_coder.services._lazy import face

if TYPE_CHECKING:
    from mda_coder.services.codebook._codebook import (
        CodeDetail,
        CodeListing,
        code_detail,
        coding_counts_of,
        export_codebook_yaml,
        import_codebook,
        list_codes,
    )
    from mda_coder.services.codebook._edit import add_code, edit_code, merge_codes, move_code, rename_code
    from mda_coder.services.codebook._merge import MergeSummary

__all__ = [
    "CodeDetail",
    "CodeListing",
    "MergeSummary",
    "add_code",
    "code_detail",
    "coding_counts_of",
    "edit_code",
    "export_codebook_yaml",
    "import_codebook",
    "list_codes",
    "merge_codes",
    "move_code",
    "rename_code",
]

__getattr__ = face(
    __name__,
    {
        "_codebook": (
            "CodeDetail",
            "CodeListing",
            "code_detail",
            "coding_counts_of",
            "export_codebook_yaml",
            "import_codebook",
            "list_codes",
        ),
        "_edit": ("add_code", "edit_code", "merge_codes", "move_code", "rename_code"),
        "_merge": ("MergeSummary",),
    },
)
