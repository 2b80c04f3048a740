"""Test helpers: valid answer sets and small survey fixtures."""

import random

from harmonie.people.instruments import (
    CULTURE_DIMENSION_KEYS,
    CULTURE_TYPE_KEYS,
    URGENCY_HAVE_TO,
    URGENCY_WANT,
    culture_field,
)


def split_100(rng, weights=(1, 1, 1, 1)):
    raw = [rng.random() * w for w in weights]
    total = sum(raw) or 1
    points = [int(100 * r / total) for r in raw]
    points[0] += 100 - sum(points)
    return points


def valid_answers(seed=0, *, now=(1, 1, 1, 1), preferred=(1, 1, 1, 1), oric=None, want=None, have_to=None,
                  comment=""):
    rng = random.Random(seed)
    data = {}
    for perspective, weights in (("nu", now), ("gewenst", preferred)):
        for dimension in CULTURE_DIMENSION_KEYS:
            for type_key, points in zip(CULTURE_TYPE_KEYS, split_100(rng, weights)):
                data[culture_field(perspective, dimension, type_key)] = str(points)
    for number in range(1, 13):
        data[f"oric-{number}"] = str(oric if oric is not None else rng.randint(1, 5))
    for number, _text in URGENCY_WANT:
        data[f"willen-{number}"] = str(want if want is not None else rng.randint(1, 5))
    for number, _text in URGENCY_HAVE_TO:
        data[f"moeten-{number}"] = str(have_to if have_to is not None else rng.randint(1, 5))
    data["opmerking"] = comment
    return data


def fixed_culture(perspective, points=(25, 25, 25, 25)):
    return {culture_field(perspective, d, t): str(p) for d in CULTURE_DIMENSION_KEYS
            for t, p in zip(CULTURE_TYPE_KEYS, points)}
