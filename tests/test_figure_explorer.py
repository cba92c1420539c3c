"""The figure explorer widget appends corrections to the register."""

from pathlib import Path


def test_explorer_appends_a_correction(tmp_path):
    import pandas as pd

    from newslens import corrections, figures_views, store

    figs = store.read_table(Path(__file__).resolve().parents[1] / "data" / "processed", "figures")
    path = tmp_path / "corrections.csv"
    widget = figures_views.explorer(figs, corrections_path=str(path))
    form = widget.children[-1]
    item, field, value, reason, author, button, message = form.children
    assert item.options, "the form offers the figures shown"
    item.value = item.options[0]
    field.value = "attributed_to"
    value.value = "SANA"
    reason.value = "the agency is named two sentences earlier"
    author.value = "test"
    button.click()
    register = corrections.load(path)
    assert [(r.item_id, r.field, r.value) for r in register.rows] == [(item.options[0], "attributed_to", "SANA")]
    reason.value = ""
    button.click()  # an invalid correction is reported, not raised, and nothing is written
    assert len(corrections.load(path).rows) == 1
    assert isinstance(figs, pd.DataFrame)
