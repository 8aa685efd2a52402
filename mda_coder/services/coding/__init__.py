"""Coding: apply and remove codes; edit one coding's memo or span; import and export codings in bulk.

The use cases and the values they take; the steps behind them are the private modules beside this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mda_coder.services._lazy import face

if TYPE_CHECKING:
    from mda_coder.services.coding._apply import Target, apply_code, apply_in, list_codings, remove_code
    from mda_coder.services.coding._edit import change_coding_span, remove_coding, set_coding_memo
    from mda_coder.services.coding._io import export_rows, import_codings

__all__ = [
    "Target",
    "apply_code",
    "apply_in",
    "change_coding_span",
    "export_rows",
    "import_codings",
    "list_codings",
    "remove_code",
    "remove_coding",
    "set_coding_memo",
]

__getattr__ = face(
    __name__,
    {
        "_apply": ("Target", "apply_code", "apply_in", "list_codings", "remove_code"),
        "_edit": ("change_coding_span", "remove_coding", "set_coding_memo"),
        "_io": ("export_rows", "import_codings"),
    },
)
