"""A discriminative linear classifier over UPL names: multinomial logistic regression (softmax, L2).

Input: sparse rows (the matcher's TF-IDF title character n-grams, title word features and title+abstract word
features, plus the audience flags), hashed into a fixed number of columns per block so the weight matrix stays
small enough for the npz model. Output: a probability per UPL name that occurred in the training data.

Training: a few epochs of mini-batch Adagrad on the softmax cross-entropy (several right names per record: the
target is spread evenly over them), L2 applied lazily to the rows of the features in a batch. Pure numpy/scipy.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

HASH_PRIME = 2654435761  # Knuth's multiplicative hash


def hash_columns(m: sp.csr_matrix, width: int, offset: int, scale: float = 1.0) -> sp.csr_matrix:
    """Fold the columns of ``m`` into ``width`` buckets starting at ``offset`` (collisions add up)."""
    m = m.tocsr()
    idx = ((m.indices.astype(np.int64) * HASH_PRIME) % width + offset).astype(np.int32)
    out = sp.csr_matrix((m.data * np.float32(scale), idx, m.indptr.copy()), shape=(m.shape[0], offset + width))
    out.sum_duplicates()
    return out


def _softmax(s: np.ndarray) -> np.ndarray:
    s = s - s.max(axis=1, keepdims=True)
    np.exp(s, out=s)
    s /= s.sum(axis=1, keepdims=True)
    return s


class LinearClassifier:
    """Softmax regression: ``p(class | x) = softmax(x @ W + b)``; ``classes`` are label ids of the matcher."""

    def __init__(self, w: np.ndarray, b: np.ndarray, classes: np.ndarray):
        self.w = np.asarray(w, np.float32)
        self.b = np.asarray(b, np.float32)
        self.classes = np.asarray(classes, np.int64)

    @classmethod
    def fit(
        cls,
        x: sp.csr_matrix,
        y: sp.csr_matrix,
        epochs: int = 4,
        batch: int = 256,
        lr: float = 0.5,
        l2: float = 1e-4,
        seed: int = 0,
    ) -> "LinearClassifier":
        """``x``: (records, features) sparse; ``y``: (records, labels) sparse, rows summing to 1."""
        x = sp.csr_matrix(x, dtype=np.float32)
        y = sp.csr_matrix(y, dtype=np.float32)
        classes = np.flatnonzero(np.asarray(y.sum(axis=0)).ravel() > 0)
        y = sp.csr_matrix(y[:, classes])
        n, d = x.shape
        c = len(classes)
        w = np.zeros((d, c), np.float32)
        b = np.zeros(c, np.float32)
        gw = np.full((d, c), 1e-6, np.float32)
        gb = np.full(c, 1e-6, np.float32)
        rng = np.random.default_rng(seed)
        for _ in range(epochs):
            order = rng.permutation(n)
            for start in range(0, n, batch):
                rows = order[start : start + batch]
                xb = x[rows]
                cols = np.unique(xb.indices)
                xs = sp.csr_matrix((xb.data, np.searchsorted(cols, xb.indices), xb.indptr), shape=(len(rows), len(cols)))
                ws = w[cols]
                p = _softmax(xs @ ws + b)
                p -= y[rows].toarray()
                p /= len(rows)
                g = np.asarray(xs.T @ p, np.float32) + l2 * ws
                gsum = gw[cols]
                gsum += g * g
                gw[cols] = gsum
                w[cols] = ws - lr * g / np.sqrt(gsum)
                g_b = p.sum(axis=0)
                gb += g_b * g_b
                b -= lr * g_b / np.sqrt(gb)
        return cls(w, b, classes)

    def predict(self, x: sp.csr_matrix, n_labels: int) -> np.ndarray:
        """(queries, n_labels) probabilities; names never seen in training get 0."""
        out = np.zeros((x.shape[0], n_labels), np.float32)
        if len(self.classes):
            out[:, self.classes] = _softmax(np.asarray(x @ self.w, np.float32) + self.b)
        return out

    def to_arrays(self, prefix: str = "lin_") -> dict[str, np.ndarray]:
        return {prefix + "w": self.w.astype(np.float16), prefix + "b": self.b, prefix + "classes": self.classes}

    @classmethod
    def from_arrays(cls, arrays: dict, prefix: str = "lin_") -> "LinearClassifier | None":
        if prefix + "w" not in arrays:
            return None
        return cls(arrays[prefix + "w"].astype(np.float32), arrays[prefix + "b"], arrays[prefix + "classes"])
