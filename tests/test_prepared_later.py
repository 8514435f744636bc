"""Texts read and bound without their code until Today is painted (``prepared.LATER``): the
interpreted row and bind functions give exactly what the written code gives, on every text
the board and the lists make, and ``write_code`` gives each text its code."""

from __future__ import annotations

import pytest

from relboard.services import lists, prepared, prepared_kept
from relboard.services.sample import load_sample
from relboard.services.today.board import board

pytestmark = pytest.mark.both_databases


@pytest.fixture
def compared(db, ctx, monkeypatch):
    """The sample board, this process's texts forgotten, texts made interpreted from now on,
    each interpreted call checked against the code ``write_code`` would write; gives the
    number of calls compared."""
    load_sample(ctx)
    monkeypatch.setattr(prepared, "_CACHE", {})
    calls = {"rows": 0, "binds": 0}
    interpreted_row, interpreted_binder = prepared._interpreted_row, prepared._interpreted_binder

    def checked_row(pairs):
        slow, code = interpreted_row(pairs), prepared._row_function(pairs)

        def row(r):
            calls["rows"] += 1
            got = slow(r)
            assert got == code(r) and list(got) == list(code(r))
            return got
        return row

    def checked_binder(entries):
        slow, code = interpreted_binder(entries), prepared._binder(entries)

        def bind(values):
            calls["binds"] += 1
            got = slow(values)
            assert got == code(values)
            return got
        return bind

    monkeypatch.setattr(prepared, "_interpreted_row", checked_row)
    monkeypatch.setattr(prepared, "_interpreted_binder", checked_binder)
    prepared.write_later()
    yield calls
    prepared.write_code()


def _facts(found) -> tuple:
    return ([(it.group, it.kind, it.record_id, it.title, it.reason, it.due) for it in
             found.items], sorted(found.totals.items()))


def test_interpreted_texts_read_and_bind_as_their_code(compared, ctx):
    first, mine = board(ctx), board(ctx, "alex")
    pages = [lists.issues_page(ctx), lists.expectations_page(ctx),
             lists.customers_page(ctx, search="a"), lists.issues_page(ctx, search="priya")]
    assert compared["binds"] >= 15 and compared["rows"] >= 30  # Today's texts, all checked
    made = list(prepared.LATER or [])
    assert len(made) >= 15
    prepared.write_code()
    assert prepared.LATER is None
    for text, pairs, _entries in made:  # each with its code now
        assert text.row is prepared._row_function(pairs)
        assert text.bind.__name__ == "<lambda>"
    before = dict(compared)
    assert _facts(board(ctx)) == _facts(first) and _facts(board(ctx, "alex")) == _facts(mine)
    assert compared == before  # nothing interpreted any more
    assert [lists.issues_page(ctx), lists.expectations_page(ctx),
            lists.customers_page(ctx, search="a"), lists.issues_page(ctx, search="priya")] == \
        pages


def test_kept_texts_are_interpreted_until_the_code_is_written(compared, ctx, tmp_path,
                                                              monkeypatch):
    from relboard.config import Config

    config = Config(database="board.db", user="alex")
    prepared_kept.enable(config, tmp_path / "cache")
    try:
        first = board(ctx)
        prepared_kept.save()
        prepared.write_code()
        monkeypatch.setattr(prepared, "_CACHE", {})  # a new start: texts from the file
        prepared_kept.enable(config, tmp_path / "cache")
        prepared.write_later()
        calls = dict(compared)
        assert _facts(board(ctx)) == _facts(first)
        assert prepared_kept.taken() >= 15 and compared["binds"] > calls["binds"]
    finally:
        prepared_kept.disable()


def test_texts_made_in_threads_while_the_code_is_written_all_get_it(db, ctx, monkeypatch):
    """Reads run in worker threads: a text made as ``write_code`` runs gets its code, and
    none is left interpreted (or lost) once it has run."""
    import threading

    monkeypatch.setattr(prepared, "_CACHE", {})
    prepared.write_later()
    made: list[prepared._Text] = []

    def make(n: int) -> None:
        for k in range(200):
            made.append(prepared.made(f"SELECT {n * 1000 + k}", [prepared.Slot("x")],
                                      [("x", None)]))

    threads = [threading.Thread(target=make, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    prepared.write_code()
    for thread in threads:
        thread.join()
    assert prepared.LATER is None and len(made) == 800
    assert all(text.bind.__name__ == "<lambda>" for text in made)  # each with its code
    assert all(text.bind({"x": 5}) == [5] and text.row((7,)) == {"x": 7} for text in made)


def test_interpreted_rows_read_odd_stored_moments_as_the_code_does(db):
    """The code parses a stored moment inline and reads the row again with each column's
    reader when that fails; the interpreted row reads each value with its reader: the same
    values for every form a column may hold."""
    from relboard import models as m

    pairs = [("at", prepared._reader(m.Issue.raised_at)),
             ("on", prepared._reader(m.Issue.snoozed_until)), ("n", None)]
    code, interpreted = prepared._row_function(pairs), prepared._interpreted_row(pairs)
    for at in (None, "2026-11-23 10:00:00", "2026-11-23T10:00:00.123456", "2026-11-23",
               "23/11/2026", "", "2026-11-23 10:00:00+01:00"):
        for on in (None, "2026-11-23", "2026-11-23 00:00:00", "nonsense"):
            row = (at, on, 7)
            assert interpreted(row) == code(row), row
