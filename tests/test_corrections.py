"""The corrections register: validated with the row named, applied at build time to whichever
table holds the item, recorded in `corrections_applied`, and loud about items that are gone."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from newslens import corrections, pipeline, store
from newslens.corrections import Correction, CorrectionsError, Register

HEADER = "item_id,field,value,reason,author,date\n"
ARTICLE = ("Buses leave eastern Aleppo\n\n"
           "About 1,000 people left eastern Aleppo on Thursday, the Red Cross said.\n\n"
           "The evacuation had been halted on Wednesday, officials said.\n")


def _register(*rows: tuple[str, str, str], path: str = "corrections.csv") -> Register:
    return Register(path, tuple(Correction(i, f, v, "checked", "jd", "2024-01-02", line=n + 2)
                                for n, (i, f, v) in enumerate(rows)))


@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    utc = "datetime64[ns, UTC]"
    figures = pd.DataFrame({
        "figure_id": ["a-2016-12-16-s0001-f00", "a-2016-12-16-s0002-f00"],
        "sentence_id": ["a-2016-12-16-s0001", "a-2016-12-16-s0002"],
        "start": [10, 50], "value_low": [1000.0, 8.0], "n": [1, 2], "approx": [True, False],
        "attributed_to": ["Outlet", "Outlet"],
    }).astype({"figure_id": "str", "attributed_to": "str"})
    timex = pd.DataFrame({"timex_id": ["a-2016-12-16-s0001-t00"],
                          "value_start_utc": pd.Series([pd.NaT], dtype=utc)}).astype({"timex_id": "str"})
    return {"figures": figures, "timex": timex}


def test_values_are_cast_to_the_column_type(tables):
    reg = _register(("a-2016-12-16-s0001-f00", "attributed_to", "SANA"),
                    ("a-2016-12-16-s0001-f00", "value_low", "1200"),
                    ("a-2016-12-16-s0001-f00", "n", "3"),
                    ("a-2016-12-16-s0001-f00", "approx", "false"),
                    ("a-2016-12-16-s0001-t00", "value_start_utc", "2016-12-15"))
    out, problems = corrections.apply(tables, reg)
    row = out["figures"].iloc[0]
    assert (row["attributed_to"], row["value_low"], row["n"], row["approx"]) == ("SANA", 1200.0, 3, False)
    assert out["figures"]["n"].dtype == "int64" and out["figures"]["approx"].dtype == bool
    assert out["timex"].loc[0, "value_start_utc"] == pd.Timestamp("2016-12-15", tz="UTC")
    assert problems == []
    applied = out["corrections_applied"]
    assert list(applied["table"]) == ["figures"] * 4 + ["timex"]
    assert applied.loc[0, "old_value"] == "Outlet" and applied.loc[0, "value"] == "SANA"
    assert tables["figures"].loc[0, "attributed_to"] == "Outlet", "the input tables are not changed"


def test_drop_removes_a_false_positive(tables):
    out, _ = corrections.apply(tables, _register(("a-2016-12-16-s0002-f00", "drop", ""),
                                                 ("a-2016-12-16-s0002-f00", "attributed_to", "SANA")))
    assert list(out["figures"]["figure_id"]) == ["a-2016-12-16-s0001-f00"]
    assert list(out["corrections_applied"]["field"]) == ["drop", "attributed_to"]


def test_later_rows_win(tables):
    out, _ = corrections.apply(tables, _register(("a-2016-12-16-s0001-f00", "attributed_to", "SANA"),
                                                 ("a-2016-12-16-s0001-f00", "attributed_to", "UN")))
    assert out["figures"].loc[0, "attributed_to"] == "UN"


def test_an_item_that_is_gone_is_a_warning_naming_the_row(tables):
    _, problems = corrections.apply(tables, _register(("a-2016-12-16-s0001-f00", "n", "2"),
                                                      ("a-2016-12-16-s0099-f03", "drop", "")))
    [p] = problems
    assert (p.severity, p.line, p.article_id) == ("warning", 3, "a-2016-12-16")
    assert "a-2016-12-16-s0099-f03" in p.what and "remove this row" in p.todo


@pytest.mark.parametrize(("field", "value", "message"), [
    ("value_low", "about 1,200", "is not valid — write a number"),
    ("n", "1.5", "write a whole number"),
    ("approx", "maybe", "write true or false"),
    ("start", "3", "cannot be corrected"),
    ("figure_id", "x", "cannot be corrected"),
    ("colour", "red", "has no column 'colour'"),
])
def test_corrections_that_cannot_apply_name_their_line(tables, field, value, message):
    with pytest.raises(CorrectionsError, match=message) as exc:
        corrections.apply(tables, _register(("a-2016-12-16-s0001-f00", "n", "2"),
                                            ("a-2016-12-16-s0001-f00", field, value)))
    assert "corrections.csv:3:" in str(exc.value)


def test_a_time_needs_its_offset(tables):
    with pytest.raises(CorrectionsError, match="with its offset"):
        corrections.apply(tables, _register(("a-2016-12-16-s0001-t00", "value_start_utc", "2016-12-15T10:00")))


def test_missing_register_is_empty(tmp_path):
    assert corrections.load(tmp_path / "none.csv").rows == ()


def test_shipped_register_is_valid_and_empty():
    assert corrections.load(corrections.default_path(pipeline.data_dir() / "raw")).rows == ()


@pytest.mark.parametrize(("text", "message"), [
    ("item_id,field,value,reason,author\n", "it must be item_id,field,value,reason,author,date"),
    ("item_id,field,value,reason,author,date,extra\n", "it must be"),
    ("item_id,field,value,reason,author,date,date\n", "it must be"),
    (HEADER + ",drop,,why,jd,2024-01-02\n", "corrections.csv:2: empty item_id"),
    (HEADER + "x-s0001-f00,,v,why,jd,2024-01-02\n", "corrections.csv:2: empty field"),
    (HEADER + "x-s0001-f00,drop,,,jd,2024-01-02\n", "corrections.csv:2: empty reason"),
    (HEADER + "x-s0001-f00,drop,,why,jd,2024-01-02\nx-s0001-f01,drop,,why,jd,02/01/2024\n", "corrections.csv:3: date '02/01/2024'"),
    (HEADER + "x-s0001-f00,drop,,why,jd,2024-13-01\n", "is not a date"),
    (HEADER + "x-s0001-f00,drop,,why, with comma,jd,2024-01-02\n", "corrections.csv:2: more fields than the header"),
    (b"\xff\xfe" + HEADER.encode("utf-16-le"), "not UTF-8"),
])
def test_load_names_the_bad_row(tmp_path, text, message):
    path = tmp_path / "corrections.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    with pytest.raises(CorrectionsError, match=message):
        corrections.load(path)


def test_append_creates_validates_and_keeps_history(tmp_path):
    path = tmp_path / "corrections.csv"
    row = {"item_id": "x-s0001-f00", "field": "attributed_to", "value": "SANA, the state agency",
           "reason": "the figure is SANA's", "author": "jd", "date": "2024-01-02"}
    assert len(corrections.append(path, row).rows) == 1
    reg = corrections.append(path, {**row, "value": "SANA"})
    assert [c.value for c in reg.rows] == ["SANA, the state agency", "SANA"]
    with open(path, newline="", encoding="utf-8") as f:
        assert next(csv.reader(f)) == corrections.COLUMNS
    before = path.read_bytes()
    with pytest.raises(CorrectionsError, match="empty reason"):
        corrections.append(path, {**row, "reason": ""})
    with pytest.raises(CorrectionsError, match="unknown column"):
        corrections.append(path, {**row, "colour": "red"})
    assert path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]


def test_round_trip_through_the_build(raw_builder, tmp_path):
    raw_builder.add("wire-2016-12-16", ARTICLE)
    raw = raw_builder.write()
    out, register = tmp_path / "processed", tmp_path / "corrections.csv"
    pipeline.build(raw, out, workers=1)
    timex = store.read_table(out, "timex")
    assert len(timex) >= 2 and store.read_table(out, "corrections_applied").empty
    first, second = timex["timex_id"].iloc[0], timex["timex_id"].iloc[1]
    corrections.append(register, {"item_id": first, "field": "value_start_utc", "value": "2016-12-15",
                                  "reason": "Thursday is 15 Dec", "author": "jd", "date": "2024-01-02"})
    corrections.append(register, {"item_id": second, "field": "drop", "value": "", "reason": "not a date here",
                                  "author": "jd", "date": "2024-01-02"})
    pipeline.build(raw, out, workers=1)
    fixed = store.read_table(out, "timex").set_index("timex_id")
    assert fixed.at[first, "value_start_utc"] == pd.Timestamp("2016-12-15", tz="UTC") and second not in fixed.index
    assert list(store.read_table(out, "corrections_applied")["item_id"]) == [first, second]

    # The article goes: its corrections are reported, not silently ignored.
    raw_builder.rows[0]["article_id"] = "wire-2016-12-16-renamed"
    raw_builder.write()
    pipeline.build(raw, out, workers=1)
    problems = store.read_table(out, "problems")
    gone = problems[problems["file"] == str(register)]
    assert len(gone) == 2 and set(gone["severity"]) == {"warning"} and list(gone["line"]) == [2, 3]


def test_a_bad_register_stops_the_build_and_keeps_the_tables(raw_builder, tmp_path):
    raw_builder.add("wire-2016-12-16", ARTICLE)
    raw = raw_builder.write()
    out = tmp_path / "processed"
    pipeline.build(raw, out, workers=1)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    (tmp_path / "corrections.csv").write_text(HEADER + "x-s0001-f00,drop,,why,jd,yesterday\n")
    with pytest.raises(CorrectionsError, match="corrections.csv:2: date 'yesterday'"):
        pipeline.build(raw, out, workers=1)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before
