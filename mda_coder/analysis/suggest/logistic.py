"""A logistic regression with balanced class weights and an L2 penalty, fitted by L-BFGS in plain numpy.

The objective is scikit-learn's for ``LogisticRegression(C=10, class_weight="balanced")``:
``C · Σ sᵢ log(1 + exp(−yᵢ zᵢ)) + ½‖β‖²`` with ``zᵢ = xᵢ·β + b``, the intercept not penalised and
``sᵢ = n / (2 nᵧ)`` so that the few coded units weigh as much as the many uncoded ones. Starting
from zero with a fixed iteration order, the fit is deterministic. Why numpy rather than
scikit-learn is said, with figures, in ``pyproject.toml``.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from mda_coder.analysis.suggest.features import Matrix

C = 10.0
"""Weaker regularisation than scikit-learn's default (1): with 5–50 coded units and rows of length 1, C = 1
keeps every score near 0.5 (a turn saying the coder's key word twice scored 0.6); 10 separates them and, on
the sample project's and the tests' codes, held out the same or better."""
MAX_ITERATIONS = 300
TOLERANCE = 1e-6
"""Stop when the largest gradient component is this small, relative to the objective's scale."""
_MEMORY = 10


@dataclass(frozen=True)
class Model:
    coefficients: np.ndarray
    intercept: float
    iterations: int

    def scores(self, x: Matrix) -> np.ndarray:
        """The probability of the code for each row of ``x`` (0–1)."""
        return _sigmoid(x.dot(self.coefficients) + self.intercept)


def _sigmoid(z: np.ndarray) -> np.ndarray:
    result: np.ndarray = np.exp(-np.logaddexp(0.0, -z))
    return result


def fit(x: Matrix, labels: np.ndarray) -> Model:
    """Fit on the rows of ``x`` with ``labels`` (True: coded); both classes must be present."""
    y = np.where(np.asarray(labels, dtype=bool), 1.0, -1.0)
    n = len(y)
    positives = float((y > 0).sum())
    weights = np.where(y > 0, n / (2.0 * positives), n / (2.0 * (n - positives))) * C
    rows = x.row_of_each()
    columns = x.columns

    def objective(theta: np.ndarray) -> tuple[float, np.ndarray]:
        beta, b = theta[:columns], theta[columns]
        z = np.bincount(rows, weights=x.data * beta[x.indices], minlength=n) + b
        margin = y * z
        loss = float(np.dot(weights, np.logaddexp(0.0, -margin))) + 0.5 * float(np.dot(beta, beta))
        g_z = -weights * y * _sigmoid(-margin)
        grad = np.empty_like(theta)
        grad[:columns] = np.bincount(x.indices, weights=x.data * g_z[rows], minlength=columns) + beta
        grad[columns] = g_z.sum()
        return loss, grad

    theta = np.zeros(columns + 1)
    f, g = objective(theta)
    scale = max(1.0, abs(f))
    history: deque[tuple[np.ndarray, np.ndarray, float]] = deque(maxlen=_MEMORY)
    iterations = 0
    for iterations in range(1, MAX_ITERATIONS + 1):  # noqa: B007 - the count is reported
        if float(np.max(np.abs(g))) <= TOLERANCE * scale:
            break
        direction = _two_loop(g, history)
        slope = float(np.dot(g, direction))
        if slope >= 0:  # not a descent direction (curvature lost): start again from the gradient
            history.clear()
            direction, slope = -g, -float(np.dot(g, g))
        step = 1.0 if history else min(1.0, 1.0 / max(float(np.linalg.norm(g)), 1e-12))
        while True:
            candidate = theta + step * direction
            f_new, g_new = objective(candidate)
            if f_new <= f + 1e-4 * step * slope or step < 1e-10:
                break
            step *= 0.5
        s, t = candidate - theta, g_new - g
        curvature = float(np.dot(s, t))
        if curvature > 1e-10:
            history.append((s, t, 1.0 / curvature))
        improvement = f - f_new
        theta, f, g = candidate, f_new, g_new
        if 0 <= improvement <= 1e-12 * scale:
            break
    return Model(theta[:columns].copy(), float(theta[columns]), iterations)


def _two_loop(g: np.ndarray, history: deque[tuple[np.ndarray, np.ndarray, float]]) -> np.ndarray:
    """L-BFGS's two-loop recursion: ``−H·g`` from the last few steps' changes."""
    q = g.copy()
    alphas = []
    for s, t, rho in reversed(history):
        a = rho * float(np.dot(s, q))
        alphas.append(a)
        q -= a * t
    if history:
        s, t, _ = history[-1]
        q *= float(np.dot(s, t)) / float(np.dot(t, t))
    for (s, t, rho), a in zip(history, reversed(alphas)):
        b = rho * float(np.dot(t, q))
        q += (a - b) * s
    return -q
