"""Interactive helpers for notebooks in JupyterLab (ipywidgets), on top of static tables.

A widget callback runs outside the cell that made it: an exception there is lost (papermill
even exits 0), so every search is wrapped and its error shown as text in the widget. Static
outputs cannot run a widget at all: `show` puts a note in its place there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd


def live_table(control, search: Callable[[Any], tuple[str, pd.DataFrame | None]]):
    """``control`` above an output area showing ``search(control.value)``: a line of text and
    an optional table (plain DataFrame display, escaped). Runs once at once, then on change."""
    import ipywidgets as widgets
    from IPython.display import display

    out = widgets.Output()

    def update(change=None) -> None:
        out.clear_output()
        with out:
            try:
                message, table = search(control.value)
                print(message)
                if table is not None:
                    display(table)
            except Exception as exc:  # a widget callback must report, not raise
                print(f"Could not show {control.value!r}: {exc}")

    control.observe(update, names="value")
    update()
    return widgets.VBox([control, out])


def show(widget, note: str) -> None:
    """Display ``widget`` in JupyterLab. Static outputs (``NEWSLENS_CHARTS=svg``: stored
    notebooks, reports) cannot run a widget and would store its random model id, so there
    ``note`` is printed instead (the widget was built, so its first search has run)."""
    from IPython.display import display

    from newslens.charts import mode

    if mode() == "interactive":
        display(widget)
    else:
        print(note)
