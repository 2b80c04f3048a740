"""Side-by-side comparison of the management & governance questionnaire."""

import re

from ..instruments import STEERING_KPIS, STEERING_QUESTIONS


def _norm(text) -> str:
    return re.sub(r"[\s.,;:]+", " ", str(text or "").strip().lower()).strip()


def compare(partners: list, answers: dict, kpis: dict) -> dict:
    """``partners``: [(code, name)]; ``answers``: code -> {question key: text};
    ``kpis``: code -> {kpi key: {"definition", "norm"}}. A row is ``differs`` when at least two
    partners gave different non-empty answers (normalised for case and punctuation)."""
    questions = []
    for q in STEERING_QUESTIONS:
        cells = [answers.get(code, {}).get(q.key, "") for code, _name in partners]
        distinct = {_norm(c) for c in cells if _norm(c)}
        questions.append({"key": q.key, "theme": q.theme, "label": q.label, "cells": cells,
                          "differs": len(distinct) > 1, "answered": sum(1 for c in cells if _norm(c))})
    kpi_rows = []
    for key, label in STEERING_KPIS:
        cells = [kpis.get(code, {}).get(key, {"definition": "", "norm": ""}) for code, _name in partners]
        definitions = {_norm(c.get("definition")) for c in cells if _norm(c.get("definition"))}
        norms = {_norm(c.get("norm")) for c in cells if _norm(c.get("norm"))}
        kpi_rows.append({"key": key, "label": label, "cells": cells,
                         "definition_differs": len(definitions) > 1, "norm_differs": len(norms) > 1})
    return {"partners": [{"code": code, "name": name} for code, name in partners],
            "questions": questions, "kpis": kpi_rows,
            "differences": sum(r["differs"] for r in questions)
            + sum(r["definition_differs"] or r["norm_differs"] for r in kpi_rows)}
