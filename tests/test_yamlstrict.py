"""The strict YAML loader: positions, refusals, and the small scalar schema."""

from __future__ import annotations

import pickle

import pytest
import yaml

from relboard import yamlstrict
from relboard.yamlstrict import StrictYAMLError, YDict, YList, load_file, load_text

LOADERS = [yaml.SafeLoader] + ([yaml.CSafeLoader] if hasattr(yaml, "CSafeLoader") else [])


@pytest.fixture(autouse=True, params=LOADERS, ids=lambda loader: loader.__name__)
def loader(request, monkeypatch):
    """Run every test with libyaml's parser and with the pure-Python one."""
    monkeypatch.setattr(yamlstrict, "_LOADER", request.param)
    return request.param


def error_of(text: str, **kwargs) -> StrictYAMLError:
    with pytest.raises(StrictYAMLError) as info:
        load_text(text, name="cfg.yaml", **kwargs)
    return info.value


def where(err: StrictYAMLError) -> tuple[int, int]:
    return err.line, err.col


# --- the result --------------------------------------------------------------------------


def test_containers_know_their_positions():
    data = load_text("a: 1\nb:\n  - x\n  - {c: d}\n")
    assert data == {"a": 1, "b": ["x", {"c": "d"}]}
    assert isinstance(data, YDict) and isinstance(data["b"], YList)
    assert (data.line, data.col) == (1, 1)
    assert data.pos("a") == (1, 1) and data.pos("b") == (2, 1)
    assert data.value_pos("a") == (1, 4)
    assert data["b"].pos(0) == (3, 5) and data["b"].pos(1) == (4, 5)
    assert (data["b"][1].line, data["b"][1].col) == (4, 5)
    assert data["b"][1].pos("c") == (4, 6)


@pytest.mark.parametrize("text, value", [
    ("true", True), ("False", False), ("TRUE", True), ("null", None), ("~", None), ("NULL", None),
    ("", None), ("0", 0), ("-12", -12), ("+3", 3), ("1.5", 1.5), ("-0.25", -0.25), ("1e3", 1000.0),
    ("1.5e-3", 0.0015), ("1.10", 1.1),
    ("no", "no"), ("off", "off"), ("yes", "yes"), ("0755", "0755"), ("1:30", "1:30"),
    ("2026-11-23", "2026-11-23"), ("0x1f", "0x1f"), (".inf", ".inf"), ("1_000", "1_000"),
])
def test_plain_scalars_resolve_strictly(text, value):
    got = load_text(f"v: {text}\n")["v"]
    assert got == value and type(got) is type(value)


@pytest.mark.parametrize("text", ["'true'", '"12"', "'~'", '""', "|\n  1.5\n"])
def test_quoted_and_block_scalars_stay_text(text):
    assert isinstance(load_text(f"v: {text}\n")["v"], str)


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n", "---\n", "--- # c\n...\n"])
def test_empty_documents_load_as_none(text):
    assert load_text(text) is None


def test_error_text_and_attributes():
    err = StrictYAMLError("f.yaml", 3, 7, "sla.high", "bad")
    assert str(err) == "f.yaml:3:7: sla.high: bad"
    assert str(StrictYAMLError("f.yaml", 1, 1, "", "bad")) == "f.yaml:1:1: bad"
    assert str(pickle.loads(pickle.dumps(err))) == str(err)


# --- syntax errors -----------------------------------------------------------------------


def test_syntax_error_has_pyyaml_problem_and_position():
    err = error_of("name: ok\nlist: a: b\n")
    assert (err.path, *where(err)) == ("cfg.yaml", 2, 8)
    assert "mapping values are not allowed" in err.problem
    assert str(err).startswith("cfg.yaml:2:8: mapping values are not allowed")


def test_unclosed_quote_mentions_where_it_started():
    err = error_of('a: 1\nb: "open\nc: 2\n')
    assert where(err) == (4, 1)
    assert "end of stream" in err.problem and "line 2, column 4" in err.problem


@pytest.mark.parametrize("text, pos", [
    ("a: 1\nb:\n\t- x\n", (3, 1)),
    ("a:\n  b: 1\n\tc: 2\n", (3, 1)),
    ("\tkey: 1\n", (1, 1)),
    ("a:\n  \tb: 1\n", (2, 3)),
])
def test_tab_in_indentation_is_named(text, pos):
    err = error_of(text)
    assert where(err) == pos
    assert err.problem == "tab used for indentation; use spaces"


def test_control_character_refused_with_position():
    err = error_of("a: 1\nb: x\x07y\n")
    assert where(err) == (2, 5) and "U+0007" in err.problem


# --- refusals ----------------------------------------------------------------------------


def test_duplicate_key_at_second_occurrence():
    err = error_of("sla:\n  high: 1\n  low: 2\n  high: 3\n")
    assert (where(err), err.keypath) == ((4, 3), "sla.high")
    assert err.problem == "duplicate key 'high' (first at line 2)"
    assert str(err) == "cfg.yaml:4:3: sla.high: duplicate key 'high' (first at line 2)"


@pytest.mark.parametrize("text, pos, keypath", [
    ("base: &b {x: 1}\nother: 2\n", (1, 7), "base"),
    ("base: {x: 1}\nother: *b\n", (2, 8), "other"),
    ("a: [1, &x 2]\n", (1, 8), "a[1]"),
    ("<<: {x: 1}\n", (1, 1), "<<"),
])
def test_anchors_aliases_and_merge_keys_refused(text, pos, keypath):
    err = error_of(text)
    assert (where(err), err.keypath) == (pos, keypath)
    assert "not allowed" in err.problem


def test_alias_message():
    assert error_of("a: &x 1\nb: *x\n").problem == "anchors and aliases are not allowed"


def test_python_tag_refused_and_nothing_runs(tmp_path):
    marker = tmp_path / "ran"
    text = f'a:\n  - x: !!python/object/apply:os.system ["touch {marker}"]\n'
    err = error_of(text)
    assert (where(err), err.keypath) == ((2, 8), "a[0].x")
    assert err.problem == "tags are not allowed: !!python/object/apply:os.system"
    assert not marker.exists()


@pytest.mark.parametrize("text", ["v: !!str 1\n", "v: !foo x\n", "v: ! x\n", "v: !!map {}\n"])
def test_every_explicit_tag_refused(text):
    err = error_of(text)
    assert where(err) == (1, 4) and err.problem.startswith("tags are not allowed: !")


def test_complex_key_refused():
    err = error_of("ok: 1\n? [a, b]\n: 2\n")
    assert where(err) == (2, 3) and "keys must be plain text" in err.problem


def test_second_document_refused():
    err = error_of("a: 1\n---\nb: 2\n")
    assert where(err) == (2, 1) and "only one YAML document" in err.problem


def test_nesting_limit_is_a_clear_error():
    err = error_of("x: " + "[" * 50 + "]" * 50 + "\n")
    assert where(err) == (1, 43)  # the root mapping is level 1; the 40th '[' is level 41
    assert err.problem == "nesting deeper than 40 levels"


def test_5000_deep_nesting_never_recurses(loader):
    err = error_of("[" * 5000 + "]" * 5000)
    assert where(err) == (1, 41)
    assert err.problem == "nesting deeper than 40 levels"
    # with a high limit the tree is built iteratively, deeper than the recursion limit
    # (libyaml stops at 1000 levels, and then the pure-Python parser takes over; it is
    # quadratic on deep flow nesting, so the test stays near the recursion limit)
    deep = 1100
    data = load_text("[" * deep + "]" * deep, max_depth=deep)
    depth = 1
    while data:
        data, depth = data[0], depth + 1
    assert depth == deep


# --- files -------------------------------------------------------------------------------


def test_load_file_reads_utf8(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("name: Zoë\n", encoding="utf-8")
    assert load_file(path) == {"name": "Zoë"}


def test_file_over_the_limit(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * (1 << 20) + b"\n")
    with pytest.raises(StrictYAMLError) as info:
        load_file(path)
    size = path.stat().st_size
    assert str(info.value) == f"{path}:1:1: file is {size} bytes; the limit is 1 MiB"


def test_undecodable_bytes_have_a_position(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"a: 1\nname: Zo\xc3\xab \xff\n")
    with pytest.raises(StrictYAMLError) as info:
        load_file(path)
    assert (info.value.line, info.value.col) == (2, 11)
    assert "not valid UTF-8" in info.value.problem and "0xff" in info.value.problem


def test_file_errors_name_the_file(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("a: 1\na: 2\n")
    with pytest.raises(StrictYAMLError) as info:
        load_file(path)
    assert str(info.value) == f"{path}:2:1: a: duplicate key 'a' (first at line 1)"
