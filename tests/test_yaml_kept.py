"""Parsed YAML kept between runs (``yaml_kept``): the same documents, places included, from
the same bytes; anything else parsed as before."""

from __future__ import annotations

import json
import os

import pytest

from relboard import yaml_kept, yamlstrict
from relboard.resources import data_dir
from relboard.yamlstrict import StrictYAMLError, YDict, YList, load_file
from tests.board_runs import started

CONFIG = """\
# a config as a user writes one
database: "/srv/boards/team.db"
user: priya
team: [alex, priya, sam]
theme: relboard-light
animations: false
cadence_days: 21
today: null
sla:
  critical: {first_response_hours: 1, resolution_hours: 8}
  near_breach: 0.75
  holidays: [2026-12-25, "2026-12-26"]
queues:
  - name: Mine
    filter: {owner: me, status: [new, acknowledged]}
  - {name: "Crit\u00e9 \\"q\\"", filter: {severity: critical}}
playbooks:
  onboarding:
    - {after_days: 0, do: Kickoff call}
    - every_days: 90
      do: |
        Quarterly review
        with the sponsor
huge: 1e999
empty:
"""


def _shape(node):
    """A document with every place in it, to compare two documents wholly."""
    if isinstance(node, YDict):
        return ("d", node.line, node.col,
                [(k, node.pos(k), node.value_pos(k), _shape(v)) for k, v in node.items()])
    if isinstance(node, YList):
        return ("l", node.line, node.col, [(node.pos(i), _shape(v)) for i, v in enumerate(node)])
    return (type(node).__name__, node)


@pytest.fixture
def parses(monkeypatch):
    """The texts PyYAML parsed (``load_text`` calls)."""
    seen: list[str] = []
    real = yamlstrict.load_text

    def spy(text, **kwargs):
        seen.append(text)
        return real(text, **kwargs)

    monkeypatch.setattr(yamlstrict, "load_text", spy)
    return seen


def _start(folder):
    """A new start of the board: nothing in memory, the folder as the last one left it."""
    yaml_kept.disable()
    yaml_kept.enable(folder)


def _kept_file(folder):
    (found,) = folder.glob("yaml-*.json")
    return found


def test_the_next_start_takes_the_same_documents_with_their_places(tmp_path, parses):
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    files = [config, *sorted(data_dir("themes").glob("*.yaml"))]
    _start(tmp_path / "cache")
    first = [_shape(load_file(path)) for path in files]
    assert len(parses) == len(files)
    assert first[0][3][-2][3] == ("float", float("inf")) and first[0][3][-1][3] == \
        ("NoneType", None)
    yaml_kept.save()

    _start(tmp_path / "cache")
    again = [load_file(path) for path in files]
    assert [_shape(doc) for doc in again] == first
    assert len(parses) == len(files) and yaml_kept.taken() == len(files)  # none parsed
    again[0]["user"] = "changed"  # a copy of its own: the next read is as kept
    assert load_file(config)["user"] == "priya"


def test_a_changed_file_is_parsed_and_a_refused_one_is_never_kept(tmp_path, parses):
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG, encoding="utf-8")
    _start(tmp_path / "cache")
    load_file(config)
    yaml_kept.save()

    _start(tmp_path / "cache")
    config.write_text(CONFIG.replace("user: priya", "user: sam"), encoding="utf-8")
    assert load_file(config)["user"] == "sam" and len(parses) == 2
    config.write_text("user: alex\nuser: sam\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(StrictYAMLError) as info:
            load_file(config)
        assert (info.value.line, info.value.col) == (2, 1)
    yaml_kept.save()
    documents = json.loads(_kept_file(tmp_path / "cache").read_text())["documents"]
    assert len(documents) == 2  # the first text and the changed one; not the refused one
    assert len(parses) == 4


def _damaged(path, damage):
    found = json.loads(path.read_text())
    (key,) = found["documents"]
    if damage == "cut":
        path.write_text(path.read_text()[:-40])
    elif damage == "digest":
        found["documents"][key]["document"]["d"][2][0][5] = "mallory"
        path.write_text(json.dumps(found))
    elif damage == "places":  # digest made to match: the shapes are still refused
        found["documents"][key]["document"]["d"][2][0][1] = 0
        found["digest"] = yaml_kept.kept_files.digest(found["documents"])
        path.write_text(json.dumps(found))
    elif damage == "keys":
        pairs = found["documents"][key]["document"]["d"][2]
        pairs.append(list(pairs[0]))
        found["digest"] = yaml_kept.kept_files.digest(found["documents"])
        path.write_text(json.dumps(found))
    elif damage == "values":
        found["documents"][key]["document"]["d"][2][0][5] = ["not", "a", "node"]
        found["digest"] = yaml_kept.kept_files.digest(found["documents"])
        path.write_text(json.dumps(found))
    elif damage == "others_may_write":
        os.chmod(path, 0o666)


@pytest.mark.parametrize("damage", ["cut", "digest", "places", "keys", "values",
                                    "others_may_write"])
def test_a_damaged_or_unsafe_file_is_ignored_and_the_file_parsed(tmp_path, parses, damage):
    config = tmp_path / "config.yaml"
    config.write_text("user: priya\nteam: [alex]\n", encoding="utf-8")
    _start(tmp_path / "cache")
    expected = _shape(load_file(config))
    yaml_kept.save()
    _damaged(_kept_file(tmp_path / "cache"), damage)

    _start(tmp_path / "cache")
    assert _shape(load_file(config)) == expected
    assert len(parses) == 2 and yaml_kept.taken() == 0
    yaml_kept.save()  # replaced: the next start takes the document again
    _start(tmp_path / "cache")
    assert _shape(load_file(config)) == expected
    assert yaml_kept.taken() == 1 and len(parses) == 2


def test_a_folder_that_cannot_be_written_is_left_and_nothing_is_kept(tmp_path, parses):
    blocked = tmp_path / "cache"
    blocked.write_text("mine")  # a file where the folder would be
    config = tmp_path / "config.yaml"
    config.write_text("user: priya\n", encoding="utf-8")
    _start(blocked)
    load_file(config)
    yaml_kept.save()
    assert blocked.read_text() == "mine"
    _start(blocked)
    assert load_file(config) == {"user": "priya"} and len(parses) == 2


def test_large_files_are_not_kept(tmp_path, parses):
    config = tmp_path / "config.yaml"
    config.write_text("notes: " + "x" * yaml_kept.MAX_BYTES + "\n", encoding="utf-8")
    _start(tmp_path / "cache")
    load_file(config)
    yaml_kept.save()
    assert not (tmp_path / "cache").exists()


def test_the_board_starts_without_pyyaml_once_its_files_are_kept(tmp_path):
    """``relboard`` itself, twice: the second start takes the config and the four themes from
    the first one's file, loads no PyYAML and shows the same board in the same theme."""
    first, second = started(tmp_path, "type(self.screen).__name__, self.theme, self.ctx.user, "
                                      "len(self.screen.items), __import__('relboard.yaml_kept')"
                                      ".yaml_kept.taken(), 'yaml' in sys.modules",
                            config="theme: relboard-light\n")
    assert first[:3] == ["TodayScreen", "relboard-light", "alex"] and int(first[3]) > 10
    assert second[:4] == first[:4]
    assert first[4:] == ["0", "True"] and second[4:] == ["5", "False"]


def test_an_empty_file_is_kept_and_taken_too(tmp_path, parses):
    config = tmp_path / "config.yaml"
    config.write_text("# every setting at its default\n", encoding="utf-8")
    _start(tmp_path / "cache")
    assert load_file(config) is None
    yaml_kept.save()
    _start(tmp_path / "cache")
    assert load_file(config) is None and yaml_kept.taken() == 1 and len(parses) == 1


def test_no_password_and_nothing_json_would_change_is_kept(tmp_path, parses, monkeypatch):
    import yaml

    secret = tmp_path / "config.yaml"
    secret.write_text('database: "postgresql://alex:s3cret@db.example/board"\nuser: alex\n',
                      encoding="utf-8")
    lone = tmp_path / "lone.yaml"  # the pure-Python parser lets lone surrogates through
    lone.write_text('name: "\\ud83d\\ude00"\n', encoding="utf-8")
    monkeypatch.setattr(yamlstrict, "_LOADER", yaml.SafeLoader)
    _start(tmp_path / "cache")
    assert load_file(secret)["user"] == "alex"
    first = load_file(lone)["name"]
    assert first == "\ud83d\ude00" and len(first) == 2
    yaml_kept.save()
    assert not (tmp_path / "cache").exists()  # nothing was kept: no file, no password in it
    _start(tmp_path / "cache")
    assert load_file(lone)["name"] == first and load_file(secret)["user"] == "alex"
    assert yaml_kept.taken() == 0 and len(parses) == 4
