"""Report parameters are checked against the notebooks before anything runs."""

from __future__ import annotations

import pytest

from newslens import params as P

SPECS = {
    "01_x.ipynb": {
        "processed_dir": {"inferred_type_name": "str"},
        "outlets": {"inferred_type_name": "list | None"},
        "min_count": {"inferred_type_name": "int"},
        "voice": {"inferred_type_name": "str"},
        "since": {"inferred_type_name": "str | None"},
        "exact": {"inferred_type_name": "bool"},
    }
}


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"outlet": ["RT"]}, "unknown parameter 'outlet'"),
        ({"min_count": "5"}, "is int; got str"),
        ({"min_count": True}, "is int; got bool"),
        ({"outlets": "RT"}, "is list | None; got str"),
        ({"voice": False}, "is str; got bool"),
        ({"exact": 1}, "is bool; got int"),
    ],
)
def test_values_that_do_not_fit(values, message):
    msgs = P.validate(values, SPECS)
    assert len(msgs) == 1 and message in msgs[0]


@pytest.mark.parametrize("values", [{"outlets": None}, {"outlets": ["RT"]}, {"min_count": 3}, {"since": None},
                                    {"since": "2016-12-14"}, {"voice": "quoted", "exact": True}])
def test_values_that_fit(values):
    assert P.validate(values, SPECS) == []


@pytest.mark.parametrize(
    ("yaml_text", "fragment"),
    [
        ("voice: NO\n", "'NO' is read by YAML as False"),
        ("voice: yes\n", "'yes' is read by YAML as True"),
        ("since: 01234\n", "'01234' is read by YAML as 668"),
        ("outlets: [RT, off]\n", "'off' is read by YAML as False"),
        ("since: 2016-12-14\n", "quote it"),
        ("since: 12:30\n", "quote it"),
    ],
)
def test_yaml_1_1_surprises_are_errors_with_the_line(tmp_path, yaml_text, fragment):
    path = tmp_path / "p.yaml"
    path.write_text("min_count: 3\n" + yaml_text)
    with pytest.raises(P.ParameterError) as exc:
        P.load_file(path)
    assert fragment in str(exc.value) and f"{path}:2" in str(exc.value)


def test_quoted_values_are_kept_as_written(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text('voice: "NO"\nsince: "01234"\nmin_count: 3\noutlets: [RT, "The New Arab"]\n')
    assert P.load_file(path) == {"voice": "NO", "since": "01234", "min_count": 3, "outlets": ["RT", "The New Arab"]}


def test_broken_yaml_names_the_line(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("min_count: 3\noutlets: [RT\n")
    with pytest.raises(P.ParameterError, match=r"p\.yaml:3: YAML syntax error"):
        P.load_file(path)


@pytest.mark.parametrize(
    ("item", "declared", "expected"),
    [
        ("since=01234", "str", ("since", "01234")),
        ("voice=NO", "str", ("voice", "NO")),
        ("min_count=07", "int", ("min_count", 7)),
        ("outlets=['RT', 'Fars News Agency']", "list | None", ("outlets", ["RT", "Fars News Agency"])),
        ("outlets=None", "list | None", ("outlets", None)),
        ("exact=true", "bool", ("exact", True)),
    ],
)
def test_command_line_assignments_follow_the_declared_type(item, declared, expected):
    assert P.parse_assignment(item, declared) == expected


def test_command_line_bool_must_be_true_or_false():
    with pytest.raises(P.ParameterError):
        P.parse_assignment("exact=NO", "bool")


def test_inspection_reads_annotations_papermill_cannot(tmp_path):
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    from newslens.runner import inspect_parameters

    nb = new_notebook(metadata={"kernelspec": {"name": "newslens", "display_name": "Python (newslens)", "language": "python"}})
    cell = new_code_cell('processed_dir: str = "../data/processed"  # tables\n'
                         'outlets: list | None = None  # None = all\nmin_count: int = 5')
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell]
    path = tmp_path / "n.ipynb"
    nbformat.write(nb, path)
    specs = inspect_parameters(path)
    assert specs["outlets"]["inferred_type_name"] == "list | None"
    assert specs["outlets"]["help"] == "None = all"
    assert P.validate({"outlets": ["RT"], "min_count": 2}, {"n.ipynb": specs}) == []
