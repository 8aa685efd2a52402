"""The codebook: import and export it, list the code tree, and edit it (add, rename, move, merge, describe codes).

The use cases and the values they return; the steps behind them are the private modules beside this one.
"""

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
