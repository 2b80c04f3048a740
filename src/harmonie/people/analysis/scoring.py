"""Scores per set of respondents: culture profile (now / preferred), readiness (ORIC
commitment and efficacy with agreement), felt urgency ("willen" vs "moeten"), and the
differences between partners. Works on plain dataclasses."""

from dataclasses import dataclass
from statistics import fmean, pvariance

from ..instruments import (
    CULTURE_DIMENSION_KEYS,
    CULTURE_TYPE_KEYS,
    ORIC_COMMITMENT,
    ORIC_EFFICACY,
    URGENCY_HAVE_TO,
    URGENCY_WANT,
    culture_field,
)

DEFAULT_THRESHOLD = 10.0  # points: differences of at least this are flagged
DEFAULT_COERCION_GAP = 1.0  # "moeten" minus "willen" on the 1-5 scale that signals coercion
SCALE_POINTS = 5


@dataclass(frozen=True)
class Answers:
    """One respondent's complete, validated answers."""

    culture_now: dict  # dimension -> type -> points
    culture_preferred: dict
    oric: tuple  # 12 values 1-5, item 1 first
    want: tuple  # "willen" items 1-5
    have_to: tuple  # "moeten" items 1-5

    @classmethod
    def from_clean(cls, clean: dict) -> "Answers":
        def culture(perspective):
            return {d: {t: int(clean[culture_field(perspective, d, t)]) for t in CULTURE_TYPE_KEYS}
                    for d in CULTURE_DIMENSION_KEYS}

        return cls(
            culture_now=culture("nu"),
            culture_preferred=culture("gewenst"),
            oric=tuple(int(clean[f"oric-{n}"]) for n in range(1, 13)),
            want=tuple(int(clean[f"willen-{n}"]) for n, _t in URGENCY_WANT),
            have_to=tuple(int(clean[f"moeten-{n}"]) for n, _t in URGENCY_HAVE_TO),
        )


def _r(value, digits=1):
    return round(float(value), digits)


def culture_profile(answers: list[Answers], threshold: float = DEFAULT_THRESHOLD) -> dict:
    """Mean points per type (over dimensions and respondents), now and preferred.

    ``difference`` = preferred - now; ``flagged`` lists the types where the change the
    respondents want is at least ``threshold`` points.
    """
    def mean_profile(attr):
        per_dimension = {d: {t: _r(fmean(getattr(a, attr)[d][t] for a in answers)) for t in CULTURE_TYPE_KEYS}
                         for d in CULTURE_DIMENSION_KEYS}
        overall = {t: _r(fmean(getattr(a, attr)[d][t] for a in answers for d in CULTURE_DIMENSION_KEYS))
                   for t in CULTURE_TYPE_KEYS}
        return overall, per_dimension

    now, now_dims = mean_profile("culture_now")
    preferred, preferred_dims = mean_profile("culture_preferred")
    difference = {t: _r(preferred[t] - now[t]) for t in CULTURE_TYPE_KEYS}
    return {
        "now": now,
        "preferred": preferred,
        "difference": difference,
        "flagged": [t for t in CULTURE_TYPE_KEYS if abs(difference[t]) >= threshold],
        "dimensions": {d: {"now": now_dims[d], "preferred": preferred_dims[d]} for d in CULTURE_DIMENSION_KEYS},
    }


def rwg_j(item_scores: list[list[int]], points: int = SCALE_POINTS):
    """Within-group agreement r_wg(J) (James, Demaree & Wolf 1984) for a multi-item scale,
    against a uniform null distribution. ``item_scores``: one list per item of all respondents'
    answers. None with fewer than two respondents."""
    if not item_scores or len(item_scores[0]) < 2:
        return None
    expected = (points ** 2 - 1) / 12
    mean_variance = fmean(pvariance(scores) * len(scores) / (len(scores) - 1) for scores in item_scores)
    ratio = min(mean_variance / expected, 1.0)
    j = len(item_scores)
    value = j * (1 - ratio) / (j * (1 - ratio) + ratio)
    return _r(max(0.0, min(1.0, value)), 2)


def readiness(answers: list[Answers]) -> dict:
    """ORIC (Shea et al. 2014): commitment = mean of items 2,4,6,9,11; efficacy = mean of items
    1,3,5,7,8,10,12; organisation score = mean of the respondents' scores."""
    def scale(items):
        per_person = [fmean(a.oric[i - 1] for i in items) for a in answers]
        agreement = rwg_j([[a.oric[i - 1] for a in answers] for i in items])
        return _r(fmean(per_person), 2), agreement

    commitment, commitment_rwg = scale(ORIC_COMMITMENT)
    efficacy, efficacy_rwg = scale(ORIC_EFFICACY)
    return {
        "commitment": commitment,
        "efficacy": efficacy,
        "commitment_agreement": commitment_rwg,
        "efficacy_agreement": efficacy_rwg,
    }


def urgency(answers: list[Answers], coercion_gap: float = DEFAULT_COERCION_GAP) -> dict:
    """Felt urgency: mean "willen" and "moeten" (1-5). gap = moeten - willen; a gap of at least
    ``coercion_gap`` signals that the cooperation is felt as coercion (lesson L2/L3)."""
    want = _r(fmean(fmean(a.want) for a in answers), 2)
    have_to = _r(fmean(fmean(a.have_to) for a in answers), 2)
    gap = _r(have_to - want, 2)
    return {"want": want, "have_to": have_to, "gap": gap, "coercion_signal": gap >= coercion_gap}


def summarize(answers: list[Answers], threshold: float = DEFAULT_THRESHOLD) -> dict:
    return {
        "culture": culture_profile(answers, threshold),
        "readiness": readiness(answers),
        "urgency": urgency(answers),
    }


def partner_differences(profiles: dict, threshold: float = DEFAULT_THRESHOLD) -> list[dict]:
    """Differences in culture between every pair of (visible) partners, per perspective and type.

    ``profiles``: partner -> culture_profile(). Returns one row per pair, perspective and type
    with ``flagged`` True when the absolute difference is at least ``threshold`` points.
    """
    rows = []
    keys = sorted(profiles)
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            for perspective in ("now", "preferred"):
                for t in CULTURE_TYPE_KEYS:
                    diff = _r(profiles[a][perspective][t] - profiles[b][perspective][t])
                    rows.append({"a": a, "b": b, "perspective": perspective, "type": t, "difference": diff,
                                 "flagged": abs(diff) >= threshold})
    return rows
