"""Compare product catalogues of several organisations on the UPL: shared products and a harmonisation index.

Pure Python. Formula (also in docs/producten-upl.md):

    H(a, b) = J(a, b) × D(a, b)

    J(a, b) = |A ∩ B| / |A ∪ B|          (Jaccard overlap of the two sets of UPL products)
    D(a, b) = mean over u in A ∩ B of d(u), 1.0 when nothing is shared (then J = 0 anyway)
    d(u)    = mean of the definition attributes known at both sides:
              audience  → Jaccard of the audience sets ({particulier, ondernemer})
              online    → 1 if the online-request value (ja / nee / digid) is the same, else 0
              (1.0 when neither attribute is known at both sides)

So H = 1.0 exactly for identical catalogues with identical definitions, and 0.0 when nothing is shared.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations


@dataclass
class Offering:
    """What one organisation says about one UPL product (merged over its rows)."""

    audiences: set[str] = field(default_factory=set)
    online: Counter = field(default_factory=Counter)
    titles: list[str] = field(default_factory=list)

    def online_value(self) -> str | None:
        return self.online.most_common(1)[0][0] if self.online else None


def normalise_audience(value: str | None) -> set[str]:
    out = set()
    for part in (value or "").replace(",", "|").split("|"):
        p = part.strip().lower()
        if p in ("particulier", "burger", "burgers", "particulieren"):
            out.add("particulier")
        elif p in ("ondernemer", "bedrijf", "bedrijven", "ondernemers"):
            out.add("ondernemer")
    return out


def definition_similarity(a: Offering, b: Offering) -> float:
    parts = []
    if a.audiences and b.audiences:
        parts.append(len(a.audiences & b.audiences) / len(a.audiences | b.audiences))
    oa, ob = a.online_value(), b.online_value()
    if oa and ob:
        parts.append(1.0 if oa == ob else 0.0)
    return sum(parts) / len(parts) if parts else 1.0


def harmonisation_index(a: dict[str, Offering], b: dict[str, Offering]) -> tuple[float, int]:
    """(index, number of shared products) for two catalogues keyed by UPL URI."""
    shared = set(a) & set(b)
    union = set(a) | set(b)
    if not shared:
        return 0.0, 0
    jaccard = len(shared) / len(union)
    definitions = sum(definition_similarity(a[u], b[u]) for u in shared) / len(shared)
    return round(jaccard * definitions, 4), len(shared)


@dataclass
class CatalogueComparison:
    organisations: list[str]
    pairs: list[dict]
    products: list[dict]

    def as_dict(self) -> dict:
        return {"organisations": self.organisations, "pairs": self.pairs, "products": self.products}


def compare_catalogues(catalogues: dict[str, dict[str, Offering]], labels: dict[str, str]) -> CatalogueComparison:
    """``catalogues``: organisation → {UPL URI → Offering}; ``labels``: URI → UPL label."""
    names = sorted(catalogues)
    index, shared = pairwise_indices([catalogues[n] for n in names])
    pairs = []
    for i, j in combinations(range(len(names)), 2):
        pairs.append(
            {"a": names[i], "b": names[j], "harmonisation_index": float(index[i, j]), "shared_products": int(shared[i, j])}
        )
    offered: dict[str, list[str]] = defaultdict(list)
    for name in names:
        for uri in catalogues[name]:
            offered[uri].append(name)
    products = [
        {"upl_uri": uri, "upl_label": labels.get(uri, uri.rsplit("/", 1)[-1]), "organisations": orgs}
        for uri, orgs in sorted(offered.items(), key=lambda item: (-len(item[1]), labels.get(item[0], item[0])))
    ]
    return CatalogueComparison(names, pairs, products)


_AUDIENCES = (frozenset(), frozenset({"particulier"}), frozenset({"ondernemer"}), frozenset({"particulier", "ondernemer"}))


def pairwise_indices(catalogues: list[dict[str, Offering]]):
    """All pairs at once (sparse algebra): returns (index matrix, shared-count matrix).

    Every (organisation, product) is given a *signature* (audience set × online value); d between two
    signatures is a small table. Then Σ_u d_ab(u) = X K Xᵀ with X the organisation × (product, signature)
    incidence and K = I ⊗ D_sig, and H = J × D = Σ_u d_ab(u) / |A ∪ B|.
    """
    import numpy as np
    import scipy.sparse as sp

    n = len(catalogues)
    uris = sorted({u for cat in catalogues for u in cat})
    u_index = {u: i for i, u in enumerate(uris)}
    online_values = sorted({o.online_value() for cat in catalogues for o in cat.values() if o.online_value()})
    online_index = {v: i + 1 for i, v in enumerate(online_values)}  # 0 = unknown
    n_on = len(online_values) + 1
    n_sig = len(_AUDIENCES) * n_on
    rows, cols, sig_cols = [], [], []
    for r, cat in enumerate(catalogues):
        for uri, off in cat.items():
            aud = frozenset(off.audiences & {"particulier", "ondernemer"})
            sig = _AUDIENCES.index(aud) * n_on + online_index.get(off.online_value(), 0)
            rows.append(r)
            cols.append(u_index[uri])
            sig_cols.append(u_index[uri] * n_sig + sig)
    ones = np.ones(len(rows), dtype=np.float64)
    b = sp.csr_matrix((ones, (rows, cols)), shape=(n, len(uris)))
    x = sp.csr_matrix((ones, (rows, sig_cols)), shape=(n, len(uris) * n_sig))
    d_sig = np.zeros((n_sig, n_sig))
    for s in range(n_sig):
        for t in range(n_sig):
            a = Offering(audiences=set(_AUDIENCES[s // n_on]))
            c = Offering(audiences=set(_AUDIENCES[t // n_on]))
            if s % n_on:
                a.online[online_values[s % n_on - 1]] += 1
            if t % n_on:
                c.online[online_values[t % n_on - 1]] += 1
            d_sig[s, t] = definition_similarity(a, c)
    k = sp.kron(sp.identity(len(uris), format="csr"), sp.csr_matrix(d_sig), format="csr")
    shared = (b @ b.T).toarray()
    sizes = np.asarray(b.sum(axis=1)).ravel()
    union = sizes[:, None] + sizes[None, :] - shared
    dsum = (x @ k @ x.T).toarray()
    with np.errstate(invalid="ignore", divide="ignore"):
        index = np.where(shared > 0, dsum / np.maximum(union, 1), 0.0)
    return np.round(index, 4), shared.astype(int)
