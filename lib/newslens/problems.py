"""Problems found in input: recorded with where they are and what to do, never hidden."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

PROBLEM_COLUMNS = ["severity", "file", "line", "article_id", "what", "todo"]


@dataclass(frozen=True)
class Problem:
    """One finding about the input.

    ``severity`` is ``error`` (the corpus cannot be trusted until it is fixed: `newslens build`
    refuses) or ``warning`` (the article is kept; the finding is recorded).
    """

    severity: str
    file: str
    line: int | None
    what: str
    todo: str
    article_id: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        aid = f" [{self.article_id}]" if self.article_id else ""
        return f"{self.severity.upper()}: {where}{aid}: {self.what} — {self.todo}"


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """The problems table, sorted so that it is stable run to run."""
    rows = [asdict(p) for p in problems]
    df = pd.DataFrame(rows, columns=PROBLEM_COLUMNS)
    df["line"] = df["line"].astype("Int64")
    for col in ["severity", "file", "article_id", "what", "todo"]:
        df[col] = df[col].fillna("").astype("str")
    order = {"error": 0, "warning": 1}
    df = df.sort_values(
        ["severity", "file", "line", "what"],
        key=lambda s: s.map(order) if s.name == "severity" else s,
        na_position="first",
        kind="stable",
    )
    return df.reset_index(drop=True)


def format_problem(row: dict) -> str:
    """One line for a problems-table row (as `Problem.__str__`)."""
    line = row.get("line")
    line = None if line is None or pd.isna(line) else int(line)
    return str(Problem(row["severity"], row["file"], line, row["what"], row["todo"], row.get("article_id") or ""))


class NewslensError(Exception):
    """A user-facing error: the message says what is wrong and what to do (no traceback)."""


class CorpusError(NewslensError):
    """The raw corpus cannot be used; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(str(p) for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the raw corpus:\n{lines}")
