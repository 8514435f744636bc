"""An export carries its own end (the counts of its sections, its last key): an export cut at
any point, between records or in the middle of a value, imports nothing (exit 2, one line);
hand-written files without the export header need no end."""

from __future__ import annotations

import pytest

from relboard.__main__ import main
from relboard.db import close_database, open_database
from relboard.services.export import export_file
from relboard.services.sample import load_sample
from tests.conftest import TODAY, all_rows

pytestmark = pytest.mark.both_databases


@pytest.fixture
def exported(db, ctx, tmp_path, monkeypatch, capsys, new_db_spec):
    """The sample board's export (bytes), and the config and spec of a fresh, empty board."""
    monkeypatch.setenv("RELBOARD_TODAY", TODAY.isoformat())
    load_sample(ctx)
    path = tmp_path / "export.yaml"
    export_file(path, ctx.now())
    close_database()
    target = new_db_spec("target")
    open_database(target)  # migrated, empty
    close_database()
    cfg = tmp_path / "target.yaml"
    cfg.write_text(f"database: '{target}'\nuser: ann\n")
    capsys.readouterr()
    return path.read_bytes(), str(cfg), target


def _import(capsys, cfg: str, path) -> tuple[int, str]:
    code = main(["--config", cfg, "--create", "import", str(path)])
    return code, capsys.readouterr().err


def test_the_export_ends_with_the_counts_of_its_sections(exported):
    data, _, _ = exported
    last = data.decode().rstrip("\n").rsplit("\n", 1)[-1]
    assert last.startswith("end: {customers: 8, contacts: ")
    assert "health_snapshots: " in last


def test_an_export_cut_anywhere_imports_nothing(exported, tmp_path, capsys):
    data, cfg, target = exported
    whole = len(data.rstrip(b"\n"))  # without its last newline the file is still whole
    lines = data[:whole].split(b"\n")
    cuts = set(range(40, whole, whole // 60))
    offset = 0
    for number, line in enumerate(lines):  # the middle of values: "Store Operations D"
        if number % 37 == 5 and len(line) > 12:
            cuts.add(offset + len(line) * 2 // 3)
        offset += len(line) + 1
    cuts |= {whole - 1, whole - 5, data.rindex(b"\nend:") + 1, data.rindex(b"\nend:")}
    before = all_rows(target)
    cut = tmp_path / "cut.yaml"
    checked = 0  # rows an import left stay: a check every tenth cut finds any cut that wrote
    for n, at in enumerate(sorted(cuts)):
        cut.write_bytes(data[:at])
        code, err = _import(capsys, cfg, cut)
        assert (code, err.count("\n")) == (2, 1), (at, data[at - 40:at], err)
        assert "Traceback" not in err
        if n % 10 == 9 or n == len(cuts) - 1:
            assert all_rows(target) == before, f"a cut from {checked} to {at} wrote rows"
            checked = at
    cut.write_bytes(data[:whole])
    assert _import(capsys, cfg, cut)[0] == 0  # the whole file imports


def test_a_cut_between_records_says_the_file_ends_early(exported, tmp_path, capsys):
    data, cfg, target = exported
    at = data.index(b"\n- id: 5\n", data.index(b"\ncontacts:")) + 1
    cut = tmp_path / "cut.yaml"
    cut.write_bytes(data[:at])
    code, err = _import(capsys, cfg, cut)
    assert code == 2
    assert err == (f"relboard: {cut}: the file ends early: cut in transfer? it was written "
                   "by export (exported_at:) but has no end: (the counts an export writes "
                   "last); nothing was imported — export it again or copy the whole file\n")
    assert all_rows(target) == []


def test_counts_that_differ_from_the_records_import_nothing(exported, tmp_path, capsys):
    data, cfg, target = exported
    text = data.decode()
    fewer = text.replace("end: {customers: 8,", "end: {customers: 9,")
    path = tmp_path / "fewer.yaml"
    path.write_text(fewer)
    code, err = _import(capsys, cfg, path)
    assert code == 2
    assert "the file ends early: cut in transfer? it holds " in err
    assert "records its end: counts (customers 8 of 9); nothing was imported" in err
    more = text.replace("end: {customers: 8,", "end: {customers: 7,")
    path.write_text(more)
    code, err = _import(capsys, cfg, path)
    assert code == 2 and "do not match the counts of its end: (customers 8 of 7)" in err
    path.write_text(text + "snoozes: []\n")
    code, err = _import(capsys, cfg, path)
    assert code == 2 and "snoozes: comes after end:" in err
    assert all_rows(target) == []


def test_a_hand_written_file_needs_no_end_but_a_given_end_is_checked(exported, tmp_path,
                                                                       capsys):
    _, cfg, target = exported
    path = tmp_path / "hand.yaml"
    path.write_text("relboard: 1\ncustomers:\n  - {id: 1, name: A}\n")
    assert _import(capsys, cfg, path)[0] == 0
    path.write_text("customers:\n  - {id: 2, name: B}\nend: {customers: 2}\n")
    code, err = _import(capsys, cfg, path)
    assert code == 2 and "customers 1 of 2" in err
    path.write_text("customers:\n  - {id: 2, name: B}\nend: {customers: lots}\n")
    code, err = _import(capsys, cfg, path)
    assert code == 2 and "end: must be the count of records of each section" in err
