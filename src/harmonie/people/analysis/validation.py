"""Validate respondent answers. Anything not exactly as the form offers it is refused
(tampering): unknown fields, non-integers, out-of-range values, points not summing to 100."""

from ..instruments import (
    ALL_FIELDS,
    CULTURE_DIMENSIONS,
    CULTURE_PERSPECTIVES,
    CULTURE_TYPE_KEYS,
    FREE_TEXT_MAX,
    POINTS_PER_DIMENSION,
    SCALE_5_VALUES,
    STEP_KEYS,
    culture_field,
    step_fields,
)

Errors = list[tuple[str, str]]  # (field name or "", Dutch message)


def _int(value):
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value if value is not None else "").strip()
    digits = text[1:] if text[:1] == "-" else text
    # ASCII digits only: str.isdigit() also accepts '²' or '①', which int() refuses; and a bounded length
    if not digits or len(digits) > 9 or not (digits.isascii() and digits.isdigit()):
        return None
    return int(text)


def validate_fields(fields: list[str], data: dict) -> tuple[dict, Errors]:
    """Check the given fields of ``data``; returns (clean values, errors)."""
    clean: dict = {}
    errors: Errors = []
    perspective_labels = dict(CULTURE_PERSPECTIVES)
    for name in fields:
        raw = data.get(name)
        if name == "opmerking":
            text = str(raw or "").replace("\x00", "").strip()  # NUL cannot be stored (PostgreSQL)
            if len(text) > FREE_TEXT_MAX:
                errors.append((name, f"De toelichting is te lang: hoogstens {FREE_TEXT_MAX} tekens."))
            clean[name] = text
            continue
        value = _int(raw)
        if raw is None or str(raw).strip() == "":
            errors.append((name, "Vul dit antwoord in."))
            continue
        if value is None:
            errors.append((name, "Vul een geheel getal in."))
            continue
        if name.split("-")[0] in perspective_labels:
            if not 0 <= value <= POINTS_PER_DIMENSION:
                errors.append((name, f"Vul een aantal punten van 0 tot en met {POINTS_PER_DIMENSION} in."))
                continue
        elif value not in SCALE_5_VALUES:
            errors.append((name, "Kies een antwoord van 1 tot en met 5."))
            continue
        clean[name] = value
    # 100 points per dimension and perspective
    for perspective, label in CULTURE_PERSPECTIVES:
        for dimension in CULTURE_DIMENSIONS:
            names = [culture_field(perspective, dimension.key, t) for t in CULTURE_TYPE_KEYS]
            if not all(n in fields for n in names) or not all(n in clean for n in names):
                continue
            total = sum(clean[n] for n in names)
            if total != POINTS_PER_DIMENSION:
                errors.append((names[0], f"‘{dimension.title}’ ({label.lower()}): de punten tellen op tot {total} "
                                         f"in plaats van {POINTS_PER_DIMENSION}."))
    return clean, errors


def validate_step(step: str, data: dict) -> tuple[dict, Errors]:
    if step not in STEP_KEYS:
        return {}, [("", "Onbekende stap in de vragenlijst.")]
    return validate_fields(step_fields(step), data)


def validate_all(data: dict) -> tuple[dict, Errors]:
    """The complete set of answers, as stored at submission. Unknown fields are tampering."""
    unknown = sorted(set(data) - set(ALL_FIELDS))
    clean, errors = validate_fields(list(ALL_FIELDS), data)
    if unknown:
        errors.insert(0, ("", "De antwoorden bevatten onbekende velden: " + ", ".join(unknown[:5]) + "."))
    return clean, errors
