"""Written SQL kept between runs (``services/prepared_kept.py``): the next start reads Today's
texts from the user's cache folder instead of having Peewee write them, gets the same board,
and a file that is damaged, made for other code or settings, or cannot be written changes
nothing but the time."""

from __future__ import annotations

import json
import os
import stat

import pytest

from relboard import kept_files
from relboard.config import Config
from relboard.services import prepared, prepared_kept, prepared_union
from relboard.services.sample import load_sample
from relboard.services.today.board import board
from tests.board_runs import started

pytestmark = pytest.mark.both_databases


def _config(**more) -> Config:
    return Config(database="board.db", user="alex", **more)


@pytest.fixture
def kept(db, ctx, tmp_path, monkeypatch):
    """The sample board, texts kept in ``tmp_path / "cache"``, this process's texts
    forgotten (a new start); gives the folder."""
    load_sample(ctx)
    monkeypatch.setattr(prepared, "_CACHE", {})
    folder = tmp_path / "cache"
    prepared_kept.enable(_config(), folder)
    yield folder
    prepared_kept.disable()


def _start_again(monkeypatch, config: Config, folder) -> None:
    """What a new process has: no texts in memory, the file not read yet."""
    monkeypatch.setattr(prepared, "_CACHE", {})
    prepared_kept.enable(config, folder)


def _facts(found) -> tuple:
    return ([(it.group, it.kind, it.record_id, it.title, it.reason) for it in found.items],
            sorted(found.totals.items()))


def _texts() -> dict:
    """This process's texts: SQL, constants, and the names of the slots."""
    return {key: (text.sql, [p.name if isinstance(p, prepared.Slot) else p
                             for p in text.params])
            for key, text in prepared._CACHE.items()}


def _peewee_writes(monkeypatch) -> list[str]:
    """Each text Peewee writes from now on (checks off: they would write every text again)."""
    monkeypatch.setattr(prepared, "CHECK", False)
    writes: list[str] = []
    def spying(name: str, real):
        def spy(*args):
            writes.append(name)
            return real(*args)
        return spy

    for module, name in ((prepared, "_write"), (prepared_union, "_write_union"),
                         (prepared_union, "_write_counts")):
        monkeypatch.setattr(module, name, spying(name, getattr(module, name)))
    return writes


def test_the_next_start_reads_todays_texts_from_the_file_and_gets_the_same_board(
        kept, ctx, monkeypatch):
    first = board(ctx)
    first_mine = board(ctx, "alex")
    written = _texts()
    assert not list(kept.glob("texts-*.json"))  # nothing saved before the first paint
    prepared_kept.save()
    files = list(kept.glob("texts-*.json"))
    assert len(files) == 1
    assert (stat.S_IMODE(kept.stat().st_mode), stat.S_IMODE(files[0].stat().st_mode)) == \
        (0o700, 0o600)  # the user's own: nobody else reads or swaps the texts it runs
    assert len(json.loads(files[0].read_text())["texts"]) == len(written)

    _start_again(monkeypatch, _config(), kept)
    writes = _peewee_writes(monkeypatch)
    again, again_mine = board(ctx), board(ctx, "alex")
    assert writes == []  # every text came from the file
    assert prepared_kept.taken() == len(written)
    assert _facts(again) == _facts(first) and _facts(again_mine) == _facts(first_mine)
    assert _texts() == written
    monkeypatch.setattr(prepared, "CHECK", True)  # each text taken, bound, against Peewee's
    assert _facts(board(ctx)) == _facts(first) and _facts(board(ctx, "alex")) == \
        _facts(first_mine)
    prepared_kept.save()
    assert list(kept.glob("texts-*.json")) == files  # nothing new: the file stays


def test_a_text_the_file_lacks_is_written_and_added_once_today_is_painted(kept, ctx,
                                                                          monkeypatch):
    board(ctx)
    prepared_kept.save()
    _start_again(monkeypatch, _config(), kept)
    writes = _peewee_writes(monkeypatch)
    board(ctx, "alex")  # my view: texts of its own
    assert writes
    prepared_kept.save()
    _start_again(monkeypatch, _config(), kept)
    writes = _peewee_writes(monkeypatch)
    board(ctx)
    board(ctx, "alex")
    assert writes == []


def test_a_file_others_may_write_is_not_read(kept, ctx, monkeypatch):
    expected = _facts(board(ctx))
    prepared_kept.save()
    [file] = kept.glob("texts-*.json")
    file.chmod(0o622)
    _start_again(monkeypatch, _config(), kept)
    assert _facts(board(ctx)) == expected
    assert prepared_kept.taken() == 0
    file.chmod(0o600)
    _start_again(monkeypatch, _config(), kept)
    board(ctx)
    assert prepared_kept.taken() > 0


def test_a_pipe_a_shared_folder_or_another_settings_file_renamed_is_not_read(
        kept, ctx, monkeypatch, tmp_path):
    """Nothing in the folder is waited on or taken unless it is this user's own file of
    these settings, in a folder no one else may write."""
    expected = _facts(board(ctx))
    prepared_kept.save()
    [file] = kept.glob("texts-*.json")
    kept.chmod(0o777)  # a folder others may write: a file there could be anyone's
    _start_again(monkeypatch, _config(), kept)
    assert _facts(board(ctx)) == expected and prepared_kept.taken() == 0
    kept.chmod(0o700)

    _start_again(monkeypatch, _config(timezone="Europe/London"), kept)
    board(ctx)
    prepared_kept.save()
    [other] = [f for f in kept.glob("texts-*.json") if f != file]
    os.replace(other, file)  # whole, its digest right, made for other settings
    _start_again(monkeypatch, _config(), kept)
    assert _facts(board(ctx)) == expected and prepared_kept.taken() == 0

    file.unlink()
    os.mkfifo(file)  # opened for reading, a pipe would wait for a writer for ever
    _start_again(monkeypatch, _config(), kept)
    assert _facts(board(ctx)) == expected and prepared_kept.taken() == 0
    prepared_kept.save()
    assert stat.S_ISFIFO(file.lstat().st_mode)  # left as it is


@pytest.mark.parametrize("damage", [
    lambda text: text[: len(text) // 2],  # cut short
    lambda text: "not json {",
    lambda text: text.replace("SELECT", "SELECT 1,", 1),  # its digest no longer fits
    lambda text: json.dumps({"texts": {"x": 1}, "digest": "0"}),
    lambda text: json.dumps([1, 2]),
])
def test_a_damaged_file_is_ignored_and_replaced(kept, ctx, monkeypatch, damage):
    expected = _facts(board(ctx))
    prepared_kept.save()
    [file] = kept.glob("texts-*.json")
    file.write_text(damage(file.read_text()))
    _start_again(monkeypatch, _config(), kept)
    assert _facts(board(ctx)) == expected
    assert prepared_kept.taken() == 0
    prepared_kept.save()
    _start_again(monkeypatch, _config(), kept)
    assert _facts(board(ctx)) == expected
    assert prepared_kept.taken() > 0  # the file was made whole again


def test_recipes_that_this_code_cannot_read_are_written_afresh(kept, ctx, monkeypatch):
    """A file whose digest fits but whose texts say what no text of this code says (another
    version's, edited by hand): each such text is written by Peewee, none is run."""
    expected = _facts(board(ctx))
    prepared_kept.save()
    [file] = kept.glob("texts-*.json")
    texts = json.loads(file.read_text())["texts"]
    spoilt = [
        lambda r: {**r, "params": [["s", ["who"], None]] + r["params"]},
        lambda r: {**r, "params": [["s", "today", ["field", "Nope", "day"]]]},
        lambda r: {**r, "params": [["s", "today", ["fn", "eval"]]]},
        lambda r: {**r, "columns": [[1, None]]},
        lambda r: {**r, "columns": [["x", ["Issue", "__class__"]]]},
        lambda r: {**r, "layout": ["union", [[0, 10 ** 6]]]},
        lambda r: {**r, "layout": ["sideways", []]},
        lambda r: {**r, "sql": None},
    ]
    texts = {name: spoilt[n % len(spoilt)](recipe)
             for n, (name, recipe) in enumerate(texts.items())}
    file.write_text(json.dumps({"stamp": json.loads(file.read_text())["stamp"],
                                "texts": texts, "digest": kept_files.digest(texts)}))
    _start_again(monkeypatch, _config(), kept)
    assert _facts(board(ctx)) == expected
    assert prepared_kept.taken() == 0
    prepared_kept.save()  # each replaced by the text written now
    _start_again(monkeypatch, _config(), kept)
    assert _facts(board(ctx)) == expected
    assert prepared_kept.taken() == len(texts)


def test_other_settings_have_their_own_file_and_a_folder_that_cannot_be_written_is_left(
        kept, ctx, monkeypatch, tmp_path):
    board(ctx)
    prepared_kept.save()
    _start_again(monkeypatch, _config(timezone="Europe/London"), kept)
    board(ctx)
    assert prepared_kept.taken() == 0  # settings can change a text: not this file's
    prepared_kept.save()
    assert len(list(kept.glob("texts-*.json"))) == 2  # the first settings' stays
    _start_again(monkeypatch, _config(), kept)
    board(ctx)
    assert prepared_kept.taken() > 0

    blocked = tmp_path / "a-file"
    blocked.write_text("mine")
    _start_again(monkeypatch, _config(), blocked / "cache")
    expected = _facts(board(ctx))
    prepared_kept.save()  # cannot make the folder: nothing happens
    assert blocked.read_text() == "mine"
    assert _facts(board(ctx)) == expected


@pytest.mark.sqlite_only
def test_the_board_keeps_its_texts_for_its_next_start(tmp_path):
    """``relboard`` itself: the first start writes Today's texts and keeps them once Today
    is painted; the second takes them all and shows the same board."""
    first, second = started(tmp_path, "type(self.screen).__name__, len(self.screen.items), "
                                      "__import__('relboard.services.prepared_kept').services"
                                      ".prepared_kept.taken()")
    assert first[:2] == second[:2] and first[0] == "TodayScreen" and int(first[1]) > 10
    assert first[2] == "0" and int(second[2]) > 10
    assert len(list((tmp_path / ".cache" / "relboard").glob("texts-*.json"))) == 1
