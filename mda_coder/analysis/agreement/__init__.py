"""Inter-coder agreement on a units × coders reliability data matrix: α, the κ family, percent agreement.

Every function takes the matrix (rows are units, columns coders, cells a category label or None for
missing) or a `ReliabilityData` built once from it with `ReliabilityData.from_rows`, and returns a
`Result` that carries the counts behind the number, or the reason there is no number.
"""

from mda_coder.analysis.agreement.alpha import LEVELS, Level, krippendorff_alpha
from mda_coder.analysis.agreement.bootstrap import AlphaInterval, bootstrap_alpha
from mda_coder.analysis.agreement.data import MISSING, ReliabilityData
from mda_coder.analysis.agreement.kappa import (
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    percent_agreement,
    scott_pi,
)
from mda_coder.analysis.agreement.result import Label, Result, Table, verdict

__all__ = [
    "LEVELS",
    "MISSING",
    "AlphaInterval",
    "Label",
    "Level",
    "ReliabilityData",
    "Result",
    "Table",
    "bootstrap_alpha",
    "brennan_prediger",
    "cohen_kappa",
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "percent_agreement",
    "scott_pi",
    "verdict",
]
