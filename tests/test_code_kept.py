"""The code dataclasses compile, kept between starts of the board (``relboard.code_kept``):
the classes are the same as compiled ones, the file is only ever taken whole and safe, and
``dataclasses`` is handed its ``exec`` back once Today is painted."""

from __future__ import annotations

import dataclasses
import marshal
import os
import stat
import sys
import types

import pytest

from relboard import code_kept
from tests.board_runs import started

SOURCE = '''
from dataclasses import InitVar, KW_ONLY, dataclass, field


@dataclass(frozen=True, order=True)
class Frozen:
    number: int
    word: str = "word"
    items: list = field(default_factory=list, compare=False)


@dataclass(slots=True)
class Slotted:
    number: int
    _: KW_ONLY
    more: int = 2
    added: InitVar[int] = 0

    def __post_init__(self, added):
        self.number += added


@dataclass(unsafe_hash=True, repr=False)
class Hashed:
    left: int
    right: tuple = ()
'''


def _behaviour() -> list:
    """What the classes of ``SOURCE``, made now, do."""
    module = types.ModuleType("kept_probe")
    sys.modules[module.__name__] = module
    try:
        exec(SOURCE, module.__dict__)  # noqa: S102 - the test's own source
    finally:
        del sys.modules[module.__name__]
    frozen, slotted, hashed = module.Frozen, module.Slotted, module.Hashed
    seen = [repr(frozen(1)), frozen(1) == frozen(1, items=[2]), frozen(1) < frozen(1, "x"),
            hash(frozen(1)) == hash(frozen(1)), repr(slotted(1, more=3, added=4)),
            slotted(1) == slotted(1), hasattr(slotted(1), "__dict__"),
            hash(hashed(1, (2,))) == hash(hashed(1, (2,))), repr(hashed(1)).startswith("<"),
            [f.name for f in dataclasses.fields(frozen)],
            dataclasses.replace(frozen(1), word="new").word,
            # compiled without the flags of the module that compiles them (no string
            # annotations from a ``from __future__ import annotations`` there)
            frozen.__init__.__annotations__, frozen.__init__.__code__.co_flags,
            frozen.__init__.__code__.co_filename, slotted.__init__.__annotations__]
    with pytest.raises(dataclasses.FrozenInstanceError):
        frozen(1).number = 2  # type: ignore[misc]
    with pytest.raises(TypeError):
        slotted(1, 2)  # type: ignore[misc]  # keyword only
    return seen


@pytest.fixture
def writes_code(monkeypatch):
    """Python as an install runs it: compiled code written (no PYTHONDONTWRITEBYTECODE)."""
    monkeypatch.setattr(sys, "dont_write_bytecode", False)


def _start(folder) -> tuple[list, int]:
    """One start's classes, and how many texts it took from the file."""
    code_kept.enable(folder)
    try:
        seen = _behaviour()
        return seen, code_kept.taken()
    finally:
        code_kept.release()


def _file(folder):
    return next(folder.glob("code-*.bin"))


def test_the_next_start_takes_the_code_and_its_classes_are_the_compiled_ones(
        tmp_path, writes_code, monkeypatch):
    compiled = _behaviour()
    folder = tmp_path / "cache"
    first, _ = _start(folder)
    assert first == compiled
    assert oct(_file(folder).stat().st_mode & 0o777) == "0o600"
    assert oct(folder.stat().st_mode & 0o777) == "0o700"

    def refuse(*args, **kwargs):
        raise AssertionError("compiled though kept")

    monkeypatch.setattr(code_kept, "compile", refuse, raising=False)
    made = code_kept.compiled()
    assert made >= 3  # each method of the three classes (from Python 3.13: a text a class)
    second, taken = _start(folder)
    assert second == compiled
    assert (taken, code_kept.compiled()) == (made, 0)  # what the last start took, released


def test_the_file_holds_what_a_start_ran_and_sheds_what_starts_stop_running(
        tmp_path, writes_code):
    """A first start may make classes later starts never make (the demo's board, a schema
    upgrade): the file keeps what the last writing start ran, and a start that ran less than
    two thirds of it writes it again with only that."""
    one_off = "from dataclasses import dataclass\n" + "".join(
        f"@dataclass(frozen=True)\nclass Once{n}:\n    value{n}: int = {n}\n" for n in range(12))

    def start(extra: str = "") -> int:
        code_kept.enable(tmp_path)
        try:
            _behaviour()
            if extra:
                exec(extra, {"__name__": "kept_probe_once"})  # noqa: S102
        finally:
            code_kept.release()
        return len(marshal.loads(_file(tmp_path).read_bytes()[len(code_kept._head()) + 64:]))

    sys.modules.setdefault("kept_probe_once", types.ModuleType("kept_probe_once"))
    try:
        first = start(one_off)
        assert code_kept.compiled() > 12
    finally:
        del sys.modules["kept_probe_once"]
    later = start()
    assert code_kept.compiled() == 0
    assert later < first and later == code_kept.taken()  # only what this start ran
    assert start() == later  # nothing new, nothing unused: the file is left as it is


def test_release_hands_dataclasses_its_exec_back(tmp_path, writes_code):
    code_kept.enable(tmp_path)
    assert vars(dataclasses)["exec"] is code_kept._exec
    code_kept.release()
    assert "exec" not in vars(dataclasses)  # the builtin's again


def test_exec_called_after_the_file_is_let_go_compiles_as_the_builtin(tmp_path):
    """A class made in a thread while the board releases the file (``exec`` looked up just
    before): compiled as ``dataclasses`` compiles it, with no flag of ``code_kept``'s."""
    namespace: dict = {}
    code_kept._exec("def f(x: int) -> int:\n  return x\n", namespace, namespace)
    assert namespace["f"].__annotations__ == {"x": int, "return": int}

    def caller():
        seen = 1
        code_kept._exec("seen = 2")  # no namespaces: the caller's, its locals a copy
        return seen

    assert caller() == 1


def test_nothing_is_written_when_python_writes_no_compiled_code(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    _start(tmp_path)
    assert not list(tmp_path.glob("code-*"))


def _flip_a_byte(path):
    data = bytearray(path.read_bytes())
    data[-10] ^= 0x55
    path.write_bytes(bytes(data))


def _another_python(path):
    path.write_bytes(path.read_bytes().replace(code_kept.stamp().encode(), b"0" * 24, 1))


def _not_code(path):
    import hashlib
    import marshal

    payload = marshal.dumps({"def f(): pass": 42})
    path.write_bytes(code_kept._head() + hashlib.sha256(payload).hexdigest().encode() + payload)


def _others_may_write(path):
    path.chmod(0o666)


def _a_pipe(path):
    path.unlink()
    os.mkfifo(path)


@pytest.mark.parametrize("damage", [_flip_a_byte, _another_python, _not_code, _others_may_write,
                                    _a_pipe])
def test_a_damaged_foreign_or_unsafe_file_is_ignored_and_the_code_compiled(
        tmp_path, writes_code, damage):
    compiled = _behaviour()
    _start(tmp_path)
    path = _file(tmp_path)
    damage(path)
    seen, taken = _start(tmp_path)
    assert (seen, taken) == (compiled, 0)
    if damage is _a_pipe:
        assert stat.S_ISFIFO(path.lstat().st_mode)  # left as it is, never opened to wait
    else:  # written afresh: the start after takes it
        assert _start(tmp_path)[1] > 0


def test_a_folder_that_cannot_be_made_is_left_and_the_board_goes_on(tmp_path, writes_code):
    taken_by = tmp_path / "a-file"
    taken_by.write_text("not a folder")
    compiled = _behaviour()
    assert _start(taken_by / "cache") == (compiled, 0)
    assert _start(taken_by / "cache") == (compiled, 0)
    assert taken_by.read_text() == "not a folder"


def test_the_board_compiles_no_dataclass_at_its_second_start(tmp_path):
    # the probe imports the app before ``relboard`` runs: the board's start is enabled first
    first, second = started(
        tmp_path, "type(self.screen).__name__, __import__('relboard.code_kept').code_kept"
                  ".compiled(), 'exec' in vars(__import__('dataclasses'))",
        before="from relboard import code_kept; code_kept.enable()")
    assert first[0] == second[0] == "TodayScreen"
    assert second[2] == first[2] == "False"  # handed back once Today was painted
    assert int(first[1]) > 50  # Textual's and relboard's (~400; from Python 3.13 ~90)
    assert second[1] == "0"
