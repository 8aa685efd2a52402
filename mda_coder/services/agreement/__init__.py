"""Inter-coder agreement: on turns or sentences, on free spans (unitizing), on a table of ratings from elsewhere.

The use cases and the values they return; the steps behind them are the private modules beside this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mda_coder.services._lazy import face

if TYPE_CHECKING:
    from mda_coder.services.agreement._export import POOLED, matrix_document, report_document, save_report, write_report
    from mda_coder.services.agreement._matrix import MatrixDisagreement, MatrixReport, matrix_agreement
    from mda_coder.services.agreement._request import CHARACTER, AgreementRequest, compare, document
    from mda_coder.services.agreement._unitizing import (
        DEFAULT_THRESHOLD,
        UNIT,
        CodeUnitizing,
        GroupUnitizing,
        UnitizingReport,
        unitizing_agreement,
    )
    from mda_coder.services.agreement._unitizing_report import percent, unitizing_document, unmatched
    from mda_coder.services.agreement._units import agreement, check_samples
    from mda_coder.services.agreement._values import (
        SPLITS,
        UNITS,
        AgreementReport,
        CodeAgreement,
        Disagreement,
        GroupAgreement,
        GroupDisagreement,
        Split,
        SplitAgreement,
        Unit,
    )

__all__ = [
    "CHARACTER",
    "DEFAULT_THRESHOLD",
    "POOLED",
    "SPLITS",
    "UNIT",
    "UNITS",
    "AgreementReport",
    "AgreementRequest",
    "CodeAgreement",
    "CodeUnitizing",
    "Disagreement",
    "GroupAgreement",
    "GroupDisagreement",
    "GroupUnitizing",
    "MatrixDisagreement",
    "MatrixReport",
    "Split",
    "SplitAgreement",
    "Unit",
    "UnitizingReport",
    "agreement",
    "check_samples",
    "compare",
    "document",
    "matrix_agreement",
    "matrix_document",
    "percent",
    "report_document",
    "save_report",
    "unitizing_agreement",
    "unitizing_document",
    "unmatched",
    "write_report",
]

__getattr__ = face(
    __name__,
    {
        "_request": (
            "CHARACTER",
            "AgreementRequest",
            "compare",
            "document",
        ),
        "_export": ("POOLED", "matrix_document", "report_document", "save_report", "write_report"),
        "_matrix": ("MatrixDisagreement", "MatrixReport", "matrix_agreement"),
        "_unitizing": (
            "DEFAULT_THRESHOLD",
            "UNIT",
            "CodeUnitizing",
            "GroupUnitizing",
            "UnitizingReport",
            "unitizing_agreement",
        ),
        "_unitizing_report": ("percent", "unitizing_document", "unmatched"),
        "_units": ("agreement", "check_samples"),
        "_values": (
            "SPLITS",
            "UNITS",
            "AgreementReport",
            "CodeAgreement",
            "Disagreement",
            "GroupAgreement",
            "GroupDisagreement",
            "Split",
            "SplitAgreement",
            "Unit",
        ),
    },
)
