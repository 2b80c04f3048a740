"""Charts of the diagnosis as Vega-Lite specs, rendered to SVG on the server with vl-convert
(the same spec for the web page and the board report). Without vl-convert a plain table is
shown instead (the pages always have the table alternative)."""

from __future__ import annotations

import functools
import json
import logging

from .analysis.index import INDEX_LAYERS, LAYER_LABELS

logger = logging.getLogger(__name__)

FONT = "Noto Sans, DejaVu Sans, sans-serif"
CONFIG = {"font": FONT, "view": {"stroke": None}, "axis": {"labelFontSize": 11, "titleFontSize": 11},
          "legend": {"labelFontSize": 11, "titleFontSize": 11}}


def layer_spec(index: dict) -> dict:
    values = [{"laag": LAYER_LABELS[layer], "index": index["layers"][layer]}
              for layer in INDEX_LAYERS if index["layers"].get(layer) is not None]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": "Harmonisatie-index per laag (0 = geen overeenkomst, 1 = volledig geharmoniseerd).",
        "width": 360, "height": {"step": 26}, "config": CONFIG,
        "data": {"values": values},
        "layer": [
            {"mark": {"type": "bar", "color": "#1c4181"},
             "encoding": {"y": {"field": "laag", "type": "nominal", "title": None, "sort": None},
                          "x": {"field": "index", "type": "quantitative", "title": "harmonisatie-index",
                                "scale": {"domain": [0, 1]}}}},
            {"mark": {"type": "text", "align": "left", "dx": 4, "color": "#1a1a1a"},
             "encoding": {"y": {"field": "laag", "type": "nominal", "sort": None},
                          "x": {"field": "index", "type": "quantitative"},
                          "text": {"field": "index", "type": "quantitative", "format": ".2f"}}},
        ],
    }


SHORT = {"products": "Producten", "processes": "Processen", "steering": "Aansturing", "culture": "Cultuur",
         "applications": "Applicaties"}


def partner_spec(index: dict, names: dict) -> dict:
    values = []
    for code, layers in index["partners"].items():
        for layer in INDEX_LAYERS:
            if layers.get(layer) is not None:
                values.append({"partner": names.get(code, code), "laag": SHORT[layer], "index": layers[layer]})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": "Harmonisatie-index per partner en laag: hoe dicht een partner bij de anderen staat.",
        "config": CONFIG, "data": {"values": values},
        "width": {"step": 86}, "height": {"step": 30},
        "layer": [
            {"mark": "rect", "encoding": {
                "x": {"field": "laag", "type": "nominal", "title": None, "sort": None,
                      "axis": {"labelAngle": 0, "orient": "top", "labelLimit": 90}},
                "y": {"field": "partner", "type": "nominal", "title": None},
                "color": {"field": "index", "type": "quantitative", "title": "index",
                          "scale": {"domain": [0, 1], "scheme": "blues"}}}},
            {"mark": {"type": "text", "fontSize": 12}, "encoding": {
                "x": {"field": "laag", "type": "nominal", "sort": None},
                "y": {"field": "partner", "type": "nominal"},
                "text": {"field": "index", "type": "quantitative", "format": ".2f"},
                # black below 0.74 and white from there: at least 4.5:1 on every shade of "blues"
                "color": {"condition": {"test": "datum.index >= 0.74", "value": "white"}, "value": "#000000"}}},
        ],
    }


def trend_spec(rows: list[dict]) -> dict:
    values = []
    for row in rows:
        for layer in INDEX_LAYERS:
            if row["layers"].get(layer) is not None:
                values.append({"meting": row["created_at"].strftime("%Y-%m-%d %H:%M"), "laag": LAYER_LABELS[layer],
                               "index": row["layers"][layer]})
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "description": "Trend van de harmonisatie-index per laag over de bewaarde metingen.",
        "config": CONFIG, "width": 420, "height": 180, "data": {"values": values},
        "mark": {"type": "line", "point": True},
        "encoding": {"x": {"field": "meting", "type": "ordinal", "title": "meting", "axis": {"labelAngle": -30}},
                     "y": {"field": "index", "type": "quantitative", "scale": {"domain": [0, 1]}},
                     "color": {"field": "laag", "type": "nominal", "title": "laag"}},
    }


@functools.lru_cache(maxsize=64)
def _render(spec_json: str) -> str:
    import vl_convert as vlc

    # Dutch number format (0,65), like the tables next to the charts
    return vlc.vegalite_to_svg(json.loads(spec_json), format_locale="nl-NL")


def to_svg(spec: dict) -> str:
    """SVG of a Vega-Lite spec (empty string when it cannot be rendered or has no data)."""
    if not spec.get("data", {}).get("values"):
        return ""
    try:
        svg = _render(json.dumps(spec, sort_keys=True))
    except Exception:  # noqa: BLE001 - a chart is never worth a failed page
        logger.warning("vl-convert could not render a chart", exc_info=True)
        return ""
    label = spec.get("description", "")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
