"""Inter-coder agreement on a units × coders reliability data matrix: α, the κ family, percent agreement.

Every function takes the matrix (rows are units, columns coders, cells a category label or None for
missing) or a `ReliabilityData` built once from it with `ReliabilityData.from_rows`, and returns a
`Result` that carries the counts behind the number, or the reason there is no number.
`krippendorff_alphas` takes many variables coded by the same coders on the same units at once.
Where coders draw their own span boundaries there are no given units: `unitizing_alpha` and
`segment_matching` take a `Unitization` (segments on character continua) instead.
"""

from mda_coder.analysis.agreement.alpha import LEVELS, Level, krippendorff_alpha, krippendorff_alphas
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
from mda_coder.analysis.agreement.segments import (
    SegmentMatching,
    Unmatched,
    segment_kappa,
    segment_matching,
)
from mda_coder.analysis.agreement.unitizing import Unitization, unitizing_alpha

__all__ = [
    "LEVELS",
    "MISSING",
    "AlphaInterval",
    "Label",
    "Level",
    "ReliabilityData",
    "Result",
    "SegmentMatching",
    "Table",
    "Unitization",
    "Unmatched",
    "bootstrap_alpha",
    "brennan_prediger",
    "cohen_kappa",
    "fleiss_kappa",
    "gwet_ac1",
    "krippendorff_alpha",
    "krippendorff_alphas",
    "percent_agreement",
    "scott_pi",
    "segment_kappa",
    "segment_matching",
    "unitizing_alpha",
    "verdict",
]
