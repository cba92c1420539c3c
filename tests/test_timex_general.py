"""newslens.timex on general news English: ranges, relative offsets, clock words, decades."""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
import pytest

from newslens.timex import extract

FRI = datetime(2016, 12, 16, 12, 9, tzinfo=timezone.utc)

# (text, surface, kind, timex3)
CASES = [
    ("The war ran from 2014 to 2018.", "2014 to 2018", "range", "2014/2018"),
    ("Output fell in 2014-2018.", "2014-2018", "range", "2014/2018"),
    ("Talks are set for March 3-5.", "March 3-5", "range", "2016-03-03/2016-03-05"),
    ("Talks ran 3-5 March 2015.", "3-5 March 2015", "range", "2015-03-03/2015-03-05"),
    ("Prices rose in Jan-Feb 2017.", "Jan-Feb 2017", "range", "2017-01/2017-02"),
    ("It lasted from January to April 2015.", "January to April 2015", "range",
     "2015-01/2015-04"),
    ("It ran Nov 18-Dec 19, 2015.", "Nov 18-Dec 19, 2015", "range", "2015-11-18/2015-12-19"),
    ("Shops open between 10 and 11:30 am.", "10 and 11:30 am", "range",
     "2016-12-16T10:00/2016-12-16T11:30"),
    ("Voting is 5-6 pm.", "5-6 pm", "range", "2016-12-16T17:00/2016-12-16T18:00"),
    ("They fled two months ago.", "two months ago", "date", "2016-10"),
    ("They fled two weeks ago.", "two weeks ago", "date", "2016-W48"),
    ("They fled 3 days ago.", "3 days ago", "date", "2016-12-13"),
    ("It fell last year.", "last year", "date", "2015"),
    ("It peaked in the nineties.", "the nineties", "date", "199"),
    ("It peaked in the late '90s.", "the late '90s", "date", "199"),
    ("Due by the end of the month.", "the end of the month", "date", "2016-12"),
    ("It starts in mid-December.", "mid-December", "date", "2016-12"),
    ("Signed on December 15th.", "December 15th", "date", "2016-12-15"),
    ("Signed on the 15th of December.", "15th of December", "date", "2016-12-15"),
    ("They met at half past three.", "half past three", "time", "2016-12-16T03:30"),
    ("They met at 3 in the afternoon.", "3 in the afternoon", "time", "2016-12-16T15:00"),
    ("Shelling began at midnight.", "midnight", "time", "2016-12-16T00:00"),
    ("It ended at quarter to five.", "quarter to five", "time", "2016-12-16T04:45"),
]


@pytest.mark.parametrize(("text", "surface", "kind", "timex3"), CASES,
                         ids=[c[0][:40] for c in CASES])
def test_general(text: str, surface: str, kind: str, timex3: str) -> None:
    df = extract(text, FRI)
    row = df[df["surface"] == surface]
    assert len(row) == 1, df[["surface", "timex3"]].to_dict("records")
    assert (row.iloc[0]["kind"], row.iloc[0]["timex3"]) == (kind, timex3)


def test_range_interval_covers_both_bounds() -> None:
    row = extract("from 2014 to 2018", FRI, local_tz="UTC").iloc[0]
    assert row["value_start_utc"] == pd.Timestamp("2014-01-01", tz="UTC")
    assert row["value_end_utc"] == pd.Timestamp("2019-01-01", tz="UTC")


@pytest.mark.parametrize("text", [
    "Tel: +86 138-2010-2015", "His temperature was 37.1 in the morning",
    "Race - 3pm - this week", "the score was 3 to 5", "10 and 11 people",
])
def test_range_negatives(text: str) -> None:
    df = extract(text, FRI)
    assert "range" not in set(df["kind"]), df[["surface", "timex3"]].to_dict("records")
    assert not df["surface"].str.contains("37.1|2010-2015").any()
