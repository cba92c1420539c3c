"""Report parameters: read from YAML or `-p key=value`, checked against the notebooks' own
parameters cells before anything runs.

YAML 1.1 (what PyYAML reads) turns `NO` into False and `01234` into 668; papermill's `-p`
guesses types too. Here a value must have the type its notebook declares, and a scalar that
YAML re-typed behind the writer's back is an error that says to quote it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import yaml

from newslens.problems import NewslensError

# Scalars YAML 1.1 resolves to something other than the text a journalist typed.
_YAML11_SURPRISE = re.compile(
    r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF|0[0-7_]+|0x[0-9a-fA-F_]+|0b[01_]+"
    r"|[-+]?\d[\d_]*(?::[0-5]?\d)+(?:\.\d*)?|\d{4}-\d{1,2}-\d{1,2}.*)$"
)
_TYPES: dict[str, tuple[type, ...]] = {
    "str": (str,), "int": (int,), "float": (float, int), "bool": (bool,), "list": (list,),
    "dict": (dict,), "None": (type(None),),
}


class ParameterError(NewslensError):
    pass


def _check_surprises(text: str, path: str) -> None:
    root = yaml.compose(text, Loader=yaml.SafeLoader)

    def walk(node: yaml.Node) -> None:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                walk(k)
                walk(v)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item)
        elif isinstance(node, yaml.ScalarNode) and node.style is None and _YAML11_SURPRISE.match(node.value):
            raise ParameterError(
                f"{path}:{node.start_mark.line + 1}: unquoted value {node.value!r} is read by YAML as "
                f"{yaml.safe_load(node.value)!r} — quote it (\"{node.value}\") if you meant the text"
            )

    if root is not None:
        walk(root)


def load_file(path: str | Path) -> dict[str, Any]:
    """Parameters from a YAML file (a mapping of name → value), YAML 1.1 traps refused."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ParameterError(f"{p}: parameter file not found") from None
    try:
        _check_surprises(text, str(p))
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise ParameterError(f"{p}{line}: YAML syntax error: {getattr(exc, 'problem', exc)} — fix that line") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParameterError(f"{p}: expected a mapping of parameter names to values")
    return data


def parse_assignment(item: str, declared: str | None) -> tuple[str, Any]:
    """`key=value` from the command line, read as the declared type (no guessing for text)."""
    if "=" not in item:
        raise ParameterError(f"-p {item!r}: write -p name=value")
    key, raw = item.split("=", 1)
    key = key.strip()
    if declared == "str":
        return key, raw
    if declared == "bool":
        if raw.lower() not in {"true", "false"}:
            raise ParameterError(f"-p {key}={raw}: {key} is true or false")
        return key, raw.lower() == "true"
    if declared in {"int", "float"}:
        try:
            return key, int(raw) if declared == "int" else float(raw)
        except ValueError:
            raise ParameterError(f"-p {key}={raw}: {key} is a number ({declared})") from None
    try:
        return key, ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        if raw in {"null", "None", "none"}:
            return key, None
        return key, raw


def declared_types(specs: dict[str, dict[str, Any]]) -> dict[str, str]:
    return {name: str(spec.get("inferred_type_name") or "None") for name, spec in specs.items()}


def _allowed(declared: str) -> tuple[type, ...]:
    kinds: tuple[type, ...] = ()
    for part in re.split(r"\s*\|\s*|Optional\[|\]", declared):
        if part in _TYPES:
            kinds += _TYPES[part]
    return kinds


def validate(values: dict[str, Any], notebooks: dict[str, dict[str, dict[str, Any]]]) -> list[str]:
    """Messages for unknown names and wrong types (empty when the values fit).

    ``notebooks`` maps notebook name → papermill's inspected parameters.
    """
    known: dict[str, list[tuple[str, str]]] = {}
    for nb, specs in notebooks.items():
        for name, declared in declared_types(specs).items():
            known.setdefault(name, []).append((nb, declared))
    msgs = []
    for name, value in sorted(values.items()):
        if name not in known:
            msgs.append(f"unknown parameter {name!r}; the notebooks take: {', '.join(sorted(known))}")
            continue
        for nb, declared in known[name]:
            allowed = _allowed(declared)
            # A parameter declared `None` in the notebook is optional: None or any value.
            if "None" in declared and value is not None and allowed == (type(None),):
                continue
            if not allowed:
                continue
            wrong_bool = isinstance(value, bool) and bool not in allowed
            if wrong_bool or not isinstance(value, allowed):
                msgs.append(f"parameter {name!r} of {nb} is {declared}; got {type(value).__name__} {value!r}")
    return msgs
