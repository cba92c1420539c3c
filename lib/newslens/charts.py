"""One look for every newslens chart, offline rendering, and the data behind each chart.

- `enable()` picks the renderer once per notebook: interactive Vega through the offline
  ``jupyter`` renderer in JupyterLab (no CDN), or static SVG (deterministic, byte-identical
  run to run) for stored notebook outputs and reports. ``NEWSLENS_CHARTS=svg`` selects SVG;
  `newslens notebooks`, `newslens report` and the test suite set it.
- `show(chart, name)` displays a chart together with the table behind it, so that a report can
  save that table as CSV for checking in a spreadsheet.
- The palette differs in lightness as well as hue, and marks also differ by shape or dash, so
  charts stay readable in grey-scale.

Article text is untrusted: SVG output escapes it (XML text), and interactive charts go
through Vega, which escapes tooltip values.
"""

from __future__ import annotations

import json
import os
from typing import Any

import altair as alt
import pandas as pd

# Okabe–Ito colours ordered so neighbours differ in lightness too.
PALETTE = ["#000000", "#E69F00", "#0072B2", "#F0E442", "#009E73", "#D55E00", "#56B4E9", "#CC79A7"]
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "wedge", "stroke"]
DASHES = [[1, 0], [6, 3], [2, 2], [8, 2, 2, 2], [4, 4], [1, 3]]
TABLE_MIME = "application/vnd.newslens.table+json"
FONT = "DejaVu Sans, Arial, sans-serif"
MAX_ROWS = 5000


def theme() -> dict[str, Any]:
    return {
        "config": {
            "font": FONT,
            "background": "white",
            "view": {"stroke": None, "continuousWidth": 520, "continuousHeight": 280},
            "range": {"category": PALETTE},
            "axis": {"labelFontSize": 11, "titleFontSize": 12, "grid": True, "gridColor": "#e6e6e6",
                     "labelLimit": 260},
            "legend": {"labelFontSize": 11, "titleFontSize": 12, "labelLimit": 260},
            "title": {"fontSize": 14, "anchor": "start"},
            "point": {"size": 70, "filled": True},
        }
    }


def mode() -> str:
    """``svg`` (static, deterministic) or ``interactive``."""
    return "svg" if os.environ.get("NEWSLENS_CHARTS", "").lower() == "svg" else "interactive"


def enable() -> str:
    """Configure Altair once for this kernel; returns the chosen mode."""
    alt.theme.register("newslens", enable=True)(theme)
    alt.data_transformers.disable_max_rows()  # charts aggregate first; `show` enforces the limit
    if mode() == "svg":
        alt.renderers.enable("svg")
    else:
        alt.renderers.enable("jupyter", offline=True)
    return mode()


def chart_data(chart: alt.TopLevelMixin) -> pd.DataFrame:
    """The table a chart draws (the top-level data, or the first layer's)."""
    data = getattr(chart, "data", alt.Undefined)
    if isinstance(data, pd.DataFrame):
        return data
    for layer in getattr(chart, "layer", []) or []:
        if isinstance(getattr(layer, "data", None), pd.DataFrame):
            return layer.data
    return pd.DataFrame()


def _jsonable(df: pd.DataFrame) -> dict[str, Any]:
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].map(lambda t: t.isoformat() if pd.notna(t) else None)
    return json.loads(out.to_json(orient="split", index=False, date_format="iso"))


def show(chart: alt.TopLevelMixin, name: str, *, data: pd.DataFrame | None = None) -> None:
    """Display ``chart`` with the table behind it (kept in the output for reports as CSV)."""
    from IPython.display import display

    table = chart_data(chart) if data is None else data
    if len(table) > MAX_ROWS:
        raise ValueError(f"chart {name!r} has {len(table)} rows; aggregate in newslens before charting")
    if mode() == "svg":
        bundle = chart._repr_mimebundle_()
        bundle = bundle[0] if isinstance(bundle, tuple) else bundle
        bundle = {k: v for k, v in bundle.items() if k == "image/svg+xml"}
        bundle[TABLE_MIME] = {"name": name, **_jsonable(table)}
        bundle["text/plain"] = f"<chart {name}: {len(table)} rows>"
        display(bundle, raw=True)
    else:
        display(chart)


def to_svg(chart: alt.TopLevelMixin) -> str:
    """Render offline to SVG (used by tests to count marks)."""
    import vl_convert as vlc

    return vlc.vegalite_to_svg(chart.to_json(), vl_version=alt.SCHEMA_VERSION.lstrip("v").rsplit(".", 1)[0])


def outlet_scale(outlets: list[str]) -> dict[str, Any]:
    """A fixed colour and shape per outlet, in sorted order, for every chart of a run."""
    names = sorted(outlets)
    return {
        "color": alt.Scale(domain=names, range=[PALETTE[i % len(PALETTE)] for i in range(len(names))]),
        "shape": alt.Scale(domain=names, range=[SHAPES[i % len(SHAPES)] for i in range(len(names))]),
    }


def words_bar(df: pd.DataFrame, *, x: str, y: str, color: str, title: str, tooltip: list[str]) -> alt.Chart:
    """Horizontal stacked bars (e.g. words per article by sentence kind)."""
    kinds = sorted(df[color].unique())
    return (
        alt.Chart(df, title=title)
        .mark_bar(stroke="black", strokeWidth=0.4)
        .encode(
            y=alt.Y(f"{y}:N", title=None, sort="ascending"),
            x=alt.X(f"{x}:Q", title=x.replace("_", " ")),
            color=alt.Color(f"{color}:N", scale=alt.Scale(domain=kinds, range=PALETTE[: len(kinds)])),
            order=alt.Order(f"{color}:N"),
            tooltip=tooltip,
        )
    )
