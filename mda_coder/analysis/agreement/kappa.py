"""Chance-corrected agreement coefficients of the κ family, and plain percent agreement."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from mda_coder.analysis.agreement.data import (
    MISSING,
    ReliabilityData,
    contingency_table,
)
from mda_coder.analysis.agreement.result import (
    FEWER_THAN_TWO_CODERS,
    NO_PAIRS,
    NO_SHARED_UNITS,
    ONE_CATEGORY_CHANCE,
    Result,
    defined,
    undefined,
)
from mda_coder.i18n import Phrase

SINGLE_CATEGORY_DECLARED = Phrase(
    "only one category exists: with q = 1 there is nothing to agree on by chance or otherwise"
)


def _two_coders(data: ReliabilityData, name: str) -> None:
    if data.n_coders != 2:
        raise ValueError(f"{name} is defined for exactly two coders; this matrix has {data.n_coders}")


def _kappa(name: str, observed: float, expected: float, fields: dict[str, Any], reason: str) -> Result:
    if expected >= 1.0 - 1e-15:
        return undefined(name, reason, observed=observed, expected=expected, **fields)
    return defined(name, (observed - expected) / (1.0 - expected), observed=observed, expected=expected, **fields)


def _two_coder_table(data: ReliabilityData, name: str) -> tuple[np.ndarray, dict[str, Any]] | Result:
    table = data.contingency()
    n = float(table.sum())
    fields: dict[str, Any] = {
        "basis": "agreement",
        "n_units": data.n_units,
        "n_pairable": int(n),
        "n_values": int(2 * n),
        "table": contingency_table(data),
    }
    if data.coders_with_values < 2:
        return undefined(name, FEWER_THAN_TWO_CODERS, observed=None, expected=None, **fields)
    if n == 0:
        return undefined(name, NO_SHARED_UNITS, observed=None, expected=None, **fields)
    return table / n, fields


def cohen_kappa(data: Any) -> Result:
    """Cohen's (1960) κ for exactly two coders, on the units both coded.

    p_o is the share of those units with equal codes; p_e = Σ_k p_k· p_·k uses each coder's own
    marginal distribution (which is what distinguishes κ from Scott's π). The contingency table
    (rows: first coder, columns: second) is in `table`.
    """
    data = ReliabilityData.from_rows(data)
    _two_coders(data, "Cohen's κ")
    got = _two_coder_table(data, "cohen_kappa")
    if isinstance(got, Result):
        return got
    p, fields = got
    observed = float(np.trace(p))
    expected = float(p.sum(axis=1) @ p.sum(axis=0))
    return _kappa("cohen_kappa", observed, expected, fields, ONE_CATEGORY_CHANCE)


def scott_pi(data: Any) -> Result:
    """Scott's (1955) π for exactly two coders, on the units both coded.

    Like Cohen's κ but the chance term pools the two coders' values: p_e = Σ_k ((p_k· + p_·k)/2)².
    Fleiss' κ (`fleiss_kappa`) is its generalisation to more coders and missing values.
    """
    data = ReliabilityData.from_rows(data)
    _two_coders(data, "Scott's π")
    got = _two_coder_table(data, "scott_pi")
    if isinstance(got, Result):
        return got
    p, fields = got
    pooled = (p.sum(axis=1) + p.sum(axis=0)) / 2
    return _kappa("scott_pi", float(np.trace(p)), float(pooled @ pooled), fields, ONE_CATEGORY_CHANCE)


def _multi_coder(data: ReliabilityData, name: str) -> tuple[float, np.ndarray, dict[str, Any]] | Result:
    """Gwet's (2014, ch. 2) p_a with missing values, the category shares π_k, and the Result fields.

    p_a = mean over units with m_u ≥ 2 of Σ_k n_uk(n_uk − 1) / (m_u(m_u − 1)): the share of agreeing
    ordered coder pairs within a unit, averaged over units. π_k = mean over units with m_u ≥ 1 of
    n_uk / m_u. With no missing values these are Fleiss's (1971) P̄ and p_j.
    """
    m = data.values_per_unit
    pairable = data.pairable
    fields: dict[str, Any] = {
        "basis": "agreement",
        "n_units": data.n_units,
        "n_pairable": int(pairable.sum()),
        "n_values": int(m[pairable].sum()),
    }
    if data.coders_with_values < 2:
        return undefined(name, FEWER_THAN_TWO_CODERS, observed=None, expected=None, table=None, **fields)
    if not pairable.any():
        return undefined(name, NO_PAIRS, observed=None, expected=None, table=None, **fields)
    fields["table"] = data.coincidence_table()
    mp = m[pairable]
    observed = float(np.mean(data.agreeing_pairs[pairable] / (mp * (mp - 1))))
    coded = m >= 1
    weights = np.broadcast_to((1.0 / np.where(coded, m, 1))[:, None], data.codes.shape)[data.present]
    shares = np.bincount(data.codes[data.present], weights=weights, minlength=data.n_categories) / coded.sum()
    return observed, shares, fields


def fleiss_kappa(data: Any) -> Result:
    """Fleiss' (1971) κ, generalised to units with differing numbers of ratings after Gwet (2014).

    p_e = Σ_k π_k² where π_k is the mean over coded units of each unit's share of category k (see
    `_multi_coder` for p_a). With every unit rated by the same number of coders this is exactly Fleiss
    (1971); with two coders and no missing values it equals Scott's π. The `table` is the coincidence
    matrix of the same data, for showing where coders disagree.
    """
    data = ReliabilityData.from_rows(data)
    got = _multi_coder(data, "fleiss_kappa")
    if isinstance(got, Result):
        return got
    observed, shares, fields = got
    return _kappa("fleiss_kappa", observed, float(shares @ shares), fields, ONE_CATEGORY_CHANCE)


def brennan_prediger(data: Any, categories: Any = None) -> Result:
    """Brennan and Prediger's (1981) κ_n: chance agreement is 1/q for q categories.

    q is the number of categories: those declared by `categories` (or in a `ReliabilityData` built
    with them), else those seen in the data. Declare them when some went unused: the value depends on q.
    p_a is as for Fleiss' κ, so any number of coders and missing values are handled.
    """
    data = ReliabilityData.from_rows(data, categories)
    got = _multi_coder(data, "brennan_prediger")
    if isinstance(got, Result):
        return got
    observed, _, fields = got
    q = data.n_categories
    return _kappa("brennan_prediger", observed, 1.0 / q, fields, SINGLE_CATEGORY_DECLARED)


def gwet_ac1(data: Any, categories: Any = None) -> Result:
    """Gwet's (2008) AC1: chance agreement p_e = Σ_k π_k(1 − π_k) / (q − 1).

    Multi-coder form with missing values after Gwet (2014): p_a and π_k as for Fleiss' κ. q counts the
    declared categories (see `brennan_prediger`); AC1 is undefined for q = 1.
    """
    data = ReliabilityData.from_rows(data, categories)
    got = _multi_coder(data, "gwet_ac1")
    if isinstance(got, Result):
        return got
    observed, shares, fields = got
    q = data.n_categories
    if q < 2:
        return undefined("gwet_ac1", SINGLE_CATEGORY_DECLARED, observed=observed, expected=None, **fields)
    return _kappa("gwet_ac1", observed, float(shares @ (1 - shares)) / (q - 1), fields, ONE_CATEGORY_CHANCE)


PercentMethod = Literal["pairwise", "all", "holsti"]


def percent_agreement(data: Any, method: PercentMethod = "pairwise") -> Result:
    """Agreement without a chance correction, as a share (0–1); the coefficient is named
    "percent_agreement_<method>".

    "pairwise": the mean over pairable units of the share of coder pairs that agree (Fleiss' P̄).
    "all": the share of pairable units on which every coder who coded it gave the same value.
    "holsti": Holsti (1969) for two coders, 2M / (N1 + N2) with N1, N2 the units each coded and M the
    units both coded the same; a unit only one coder coded counts against agreement here, unlike the
    other two methods. None of these corrects for chance; report them beside α, not instead of it.
    """
    data = ReliabilityData.from_rows(data)
    name = f"percent_agreement_{method}"
    if method == "holsti":
        _two_coders(data, "Holsti's agreement")
        coded = data.present.sum(axis=0)
        agree = int(((data.codes[:, 0] == data.codes[:, 1]) & (data.codes[:, 0] != MISSING)).sum())
        fields: dict[str, Any] = {
            "basis": "agreement",
            "n_units": data.n_units,
            "n_pairable": int(data.present.all(axis=1).sum()),
            "n_values": int(coded.sum()),
            "expected": None,
            "table": contingency_table(data),
        }
        if data.coders_with_values < 2:
            return undefined(name, FEWER_THAN_TWO_CODERS, observed=None, **fields)
        value = 2 * agree / int(coded.sum())
        return defined(name, value, observed=value, **fields)
    if method not in ("pairwise", "all"):
        raise ValueError(f"unknown method {method!r}; expected pairwise, all or holsti")
    got = _multi_coder(data, name)
    if isinstance(got, Result):
        return got
    observed, _, fields = got
    if method == "all":
        m = data.values_per_unit[data.pairable]
        observed = float(np.mean(data.agreeing_pairs[data.pairable] == m * (m - 1)))
    return defined(name, observed, observed=observed, expected=None, **fields)
