"""Small, dependency-free (numpy only) models for scoring and calibrating suggestions.

* ``fit_logistic``: L2-regularised logistic regression by Newton's method (IRLS).
* ``Isotonic``: pool-adjacent-violators isotonic regression, applied by interpolation.
* ``expected_calibration_error``: the usual equal-width-bin ECE.
"""

from __future__ import annotations

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -35, 35)))


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0, iterations: int = 30) -> np.ndarray:
    """Weights (last one = intercept) of a logistic regression on standardised-by-caller features."""
    n, d = x.shape
    xb = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(d + 1)
    reg = np.full(d + 1, l2)
    reg[-1] = 0.0
    for _ in range(iterations):
        p = sigmoid(xb @ w)
        grad = xb.T @ (p - y) + reg * w
        h = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(reg + 1e-9)
        step = np.linalg.solve(h, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-7:
            break
    return w


def logistic_predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return sigmoid(x @ w[:-1] + w[-1])


class Isotonic:
    """Monotone map from a raw score to a calibrated probability (PAV, linear interpolation)."""

    def __init__(self, xs: np.ndarray | None = None, ys: np.ndarray | None = None):
        self.xs = np.asarray(xs if xs is not None else [0.0, 1.0], dtype=np.float64)
        self.ys = np.asarray(ys if ys is not None else [0.0, 1.0], dtype=np.float64)

    @classmethod
    def fit(cls, scores: np.ndarray, outcomes: np.ndarray, min_block: int = 20) -> "Isotonic":
        order = np.argsort(scores, kind="mergesort")
        s = np.asarray(scores, dtype=np.float64)[order]
        y = np.asarray(outcomes, dtype=np.float64)[order]
        # pool adjacent violators on blocks (value, weight, x-sum)
        vals: list[float] = []
        wts: list[float] = []
        xsum: list[float] = []
        for xi, yi in zip(s, y):
            vals.append(yi)
            wts.append(1.0)
            xsum.append(xi)
            while len(vals) > 1 and vals[-2] >= vals[-1]:
                w = wts[-2] + wts[-1]
                v = (vals[-2] * wts[-2] + vals[-1] * wts[-1]) / w
                xs_ = xsum[-2] + xsum[-1]
                vals[-2:] = [v]
                wts[-2:] = [w]
                xsum[-2:] = [xs_]
        # merge tiny blocks into neighbours so the map is not too jumpy
        i = 0
        while i < len(vals) and len(vals) > 1:
            if wts[i] < min_block:
                j = i + 1 if i + 1 < len(vals) else i - 1
                a, b = min(i, j), max(i, j)
                w = wts[a] + wts[b]
                vals[a : b + 1] = [(vals[a] * wts[a] + vals[b] * wts[b]) / w]
                xsum[a : b + 1] = [xsum[a] + xsum[b]]
                wts[a : b + 1] = [w]
                i = max(a - 1, 0)
                continue
            i += 1
        centres = np.array(xsum) / np.array(wts)
        values = np.maximum.accumulate(np.array(vals))
        return cls(centres, values)

    def __call__(self, scores: np.ndarray) -> np.ndarray:
        return np.interp(scores, self.xs, self.ys)

    def to_dict(self) -> dict:
        return {"xs": self.xs.tolist(), "ys": self.ys.tolist()}

    @classmethod
    def from_dict(cls, data: dict) -> "Isotonic":
        return cls(np.array(data["xs"]), np.array(data["ys"]))


def expected_calibration_error(scores, outcomes, bins: int = 10) -> float:
    scores = np.asarray(scores, dtype=np.float64)
    outcomes = np.asarray(outcomes, dtype=np.float64)
    if scores.size == 0:
        return 0.0
    idx = np.minimum((scores * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        mask = idx == b
        if mask.any():
            total += mask.sum() * abs(scores[mask].mean() - outcomes[mask].mean())
    return float(total / scores.size)


def _softmax_rows(s: np.ndarray) -> np.ndarray:
    s = s - s.max(axis=1, keepdims=True)
    e = np.exp(s)
    return e / e.sum(axis=1, keepdims=True)


def fit_softmax_ranker(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> np.ndarray:
    """Conditional-logit ranker: weights w so that softmax over a title's candidates of ``x @ w`` puts its
    mass on the right candidates (several may be right). ``x``: (titles, candidates, features), ``y``: 0/1
    (titles, candidates). Titles without a right candidate are left out of the fit."""
    from scipy.optimize import minimize

    keep = y.max(axis=1) > 0
    x, y = x[keep], y[keep].astype(np.float64)
    n, m, d = x.shape

    def loss(w):
        s = x @ w
        p = _softmax_rows(s)
        pc = (p * y).sum(axis=1)
        value = -np.log(np.maximum(pc, 1e-12)).sum() + 0.5 * l2 * (w @ w)
        r = p * y / np.maximum(pc[:, None], 1e-12)
        grad = np.einsum("nm,nmd->d", p - r, x) + l2 * w
        return value, grad

    res = minimize(loss, np.zeros(d), jac=True, method="L-BFGS-B", options={"maxiter": 300})
    return res.x


def softmax_predict(w: np.ndarray, x: np.ndarray) -> np.ndarray:
    return _softmax_rows(x @ w)
