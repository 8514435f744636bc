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
