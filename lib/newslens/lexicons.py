"""Editable YAML data (framing vocabularies, sources, events, claim groups, page chrome).

Journalists edit these files by hand, so every load is `yaml.safe_load`-strict and every
validation error names the file and the line of the offending entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, TypeVar

import yaml

PathKey = tuple[Any, ...]


class LexiconError(ValueError):
    """A data file under data/ that cannot be used as it is; says where and what to do."""

    def __init__(self, path: str | Path, line: int | None, what: str, todo: str = "") -> None:
        self.path, self.line, self.what, self.todo = str(path), line, what, todo
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {what}" + (f" — {todo}" if todo else ""))


@dataclass(frozen=True)
class YamlDoc:
    """Parsed YAML plus the source line (1-based) of every mapping key and sequence item."""

    path: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)

    def line(self, *key: Any) -> int | None:
        """Line of the node at ``key`` (or of its nearest recorded ancestor)."""
        for n in range(len(key), -1, -1):
            if key[:n] in self.lines:
                return self.lines[key[:n]]
        return None

    def error(self, *key: Any, what: str, todo: str = "") -> LexiconError:
        return LexiconError(self.path, self.line(*key), what, todo)


def _record_lines(node: yaml.Node, key: PathKey, out: dict[PathKey, int]) -> None:
    out.setdefault(key, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for k_node, v_node in node.value:
            k = k_node.value
            out[(*key, k)] = k_node.start_mark.line + 1
            _record_lines(v_node, (*key, k), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _record_lines(item, (*key, i), out)


def load_yaml(path: str | Path) -> YamlDoc:
    """Read a YAML data file safely, keeping line numbers for error messages.

    Raises LexiconError (file and line) for a missing file or a syntax error.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LexiconError(p, None, "file not found", "check the path or restore it from git") from None
    except UnicodeDecodeError as exc:
        raise LexiconError(p, None, f"not UTF-8 text ({exc.reason})", "save the file as UTF-8") from None
    try:
        data = yaml.safe_load(text)
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise LexiconError(p, line, f"YAML syntax error: {problem}", "fix the indentation or quoting on that line") from None
    lines: dict[PathKey, int] = {}
    if node is not None:
        _record_lines(node, (), lines)
    return YamlDoc(str(p), data, lines)


def data_dir() -> Path:
    """The project's data/ folder (lexicons, reference) for an editable checkout."""
    return Path(__file__).resolve().parents[2] / "data"


_T = TypeVar("_T")


def cached_load(parse: Callable[[Path], _T], path: Path) -> _T:
    """``parse(path)``, reused while the file's bytes stay the same (every chunk of a build
    would otherwise parse the same YAML again). The result is shared: do not mutate it."""
    try:
        data = path.read_bytes()
    except OSError:
        return parse(path)  # it names the problem
    return _parsed(parse, str(path), data)


@lru_cache(maxsize=16)
def _parsed(parse: Callable[[Path], _T], path: str, data: bytes) -> _T:
    return parse(Path(path))
