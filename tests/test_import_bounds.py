"""An import is bounded whatever it is given: binary bytes refused at the first one, the size
counted on what is read, only a regular file or a pipe read, one record or one value never
allowed to fill the memory. Measured in a child process: its peak memory and the time to the
refusal."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from relboard.__main__ import main
from relboard.services import transfer
from relboard.services.transfer import ImportFileError, import_file

MEMORY_MB, SECONDS = 300, 10

_MEASURE = """
import json, resource, subprocess, sys, time
began = time.monotonic()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, timeout=120)
print(json.dumps({"code": done.returncode, "err": done.stderr, "out": done.stdout,
                  "seconds": time.monotonic() - began,
                  "mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
"""
"""A child that runs relboard as its own child and tells its exit, output, time and peak
memory (``getrusage`` of its children: relboard alone)."""


def _measured(tmp_path: Path, source: str) -> dict:
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: {tmp_path / 'board.db'}\n")
    done = subprocess.run([sys.executable, "-c", _MEASURE, sys.executable, "-m", "relboard",
                           "--config", str(cfg), "--create", "import", source],
                          capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _refused_fast_and_small(result: dict, message: str) -> None:
    assert result["code"] == 2, result
    assert result["err"].count("\n") == 1 and "Traceback" not in result["err"], result
    assert message in result["err"], result
    assert result["seconds"] < SECONDS, result
    assert result["mb"] < MEMORY_MB, result


def test_one_record_then_200_mb_of_nul_bytes_is_refused_at_the_first(tmp_path):
    path = tmp_path / "nul.yaml"
    path.write_text("customers:\n  - {id: 1, name: A}\n")
    os.truncate(path, 200 * 1024 * 1024)  # sparse: quick to make, 200 MB of NUL to read
    result = _measured(tmp_path, str(path))
    _refused_fast_and_small(result, f"{path}:3:1: character U+0000 is not allowed in YAML "
                                    "(binary data, not a YAML text file?)")


def test_dev_zero_is_refused_before_a_byte_is_read(tmp_path):
    result = _measured(tmp_path, "/dev/zero")
    _refused_fast_and_small(result, "relboard: /dev/zero: is a character device; relboard "
                                    "reads a regular file or a pipe")


def test_a_value_without_an_end_is_refused_before_it_fills_the_memory(tmp_path):
    path = tmp_path / "long.yaml"
    with open(path, "w") as handle:
        handle.write("customers:\n  - id: 1\n    name: ")
        for _ in range(40):
            handle.write("a" * 1_000_000)
    result = _measured(tmp_path, str(path))
    _refused_fast_and_small(result, "a value goes on for more than 16 MiB without an end")


def test_a_record_of_a_million_mappings_is_refused_small(tmp_path):
    path = tmp_path / "many.yaml"
    path.write_text("customers:\n  - {id: 1, name: A}\ninteractions:\n  - {customer: 1, "
                    "summary: x, contacts: [" + ",".join(["{}"] * 1_000_000) + "]}\n")
    result = _measured(tmp_path, str(path))
    _refused_fast_and_small(result, "interactions[0]: the record holds more than 1,000 lists "
                                    "and mappings; no record is that large")


def test_binary_bytes_are_named_with_their_line_and_column(db, ctx, tmp_path):
    path = tmp_path / "bell.yaml"
    path.write_bytes("customers:\n  - {id: 1, name: Zoë\x07}\n".encode())
    with pytest.raises(ImportFileError) as caught:
        import_file(ctx, path)
    assert str(caught.value) == f"{path}:2:22: character U+0007 is not allowed in YAML"


def test_a_device_a_folder_and_a_socket_are_not_read(db, ctx, tmp_path):
    paths = {tmp_path: "is a folder"}
    if os.geteuid() == 0:  # a real device node, as the audit met it
        node = tmp_path / "zero"
        os.mknod(node, stat.S_IFCHR | 0o600, os.makedev(1, 5))
        paths[node] = "is a character device"
    import socket

    sock_path = tmp_path / "s.sock"
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(sock_path))
    paths[sock_path] = "is a socket"
    try:
        for path, what in paths.items():
            with pytest.raises(ImportFileError) as caught:
                import_file(ctx, path)
            assert str(caught.value) == f"{path}: {what}; relboard reads a regular file or a pipe"
    finally:
        sock.close()


def _fifo(tmp_path: Path, data: bytes) -> tuple[Path, threading.Thread]:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)

    def feed() -> None:
        try:
            with open(path, "wb") as out:
                out.write(data)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    return path, writer


def _import_within(ctx, path: Path, seconds: float = 20) -> object:
    """``import_file`` in a thread: its result or its error, or a failure if it waits on the
    pipe for more than ``seconds`` (a second open of a pipe waits for a writer forever)."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(import_file(ctx, path))
        except Exception as exc:  # noqa: BLE001 - handed to the test
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        with open(path, "wb"):  # an end of file for the reader that waits
            pass
        pytest.fail(f"the import still read the pipe after {seconds} s")
    return outcome[0]


def test_a_pipe_is_read_once_and_imported(db, ctx, tmp_path, monkeypatch):
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    path, writer = _fifo(tmp_path, b"customers:\n  - {id: 1, name: A}\n"
                                   b"contacts:\n  - {id: 1, customer: 1, name: Pat}\n")
    result = _import_within(ctx, path)
    writer.join(5)
    assert result.counts == {"customers": 1, "contacts": 1}
    assert list(spool.iterdir()) == []  # the private copy it was read from is gone


def test_the_size_is_counted_on_what_is_read(db, ctx, tmp_path, monkeypatch):
    monkeypatch.setattr(transfer, "IMPORT_MAX_BYTES", 1 << 20)  # a pipe claims no size
    path, writer = _fifo(tmp_path, b"customers:\n" + b"# a comment line\n" * 100_000)
    refused = _import_within(ctx, path)
    writer.join(5)
    assert isinstance(refused, ImportFileError)
    assert str(refused) == f"{path}:1:1: file is over 1 MiB (counted as read); that is the limit"


# 9: an error line quotes at most ~80 characters of any value, escaped, on one line

LONG = "n" * 5000


@pytest.mark.parametrize("text, expected", [
    (f'customers:\n  - id: 1\n    name: A\n    ? "{LONG}"\n    : 1\n',
     "record 1 (customers[0], id 1): " + "n" * 80 + "…: is not a field of this record"),
    (f"customers:\n  - {{id: 1, name: A}}\nactivity:\n  - {{at: today, user: x, "
     f"entity: {LONG}, entity_id: 1, action: y}}\n",
     "entity_id: no " + "n" * 80 + "… with id 1 earlier in the file"),
    (f'? "{LONG}"\n: []\n', "n" * 80 + "…: unknown section"),
    (f'customers:\n  - id: 1\n    name: A\n    ? "{LONG}"\n    : 1\n    ? "{LONG}"\n    : 2\n',
     "'" + "n" * 80 + "…' (first at line 4)"),
    ('customers:\n  - {id: 1, name: A, "a\\tnew\\nkey": 1}\n',
     "a\\tnew\\nkey: is not a field of this record"),
], ids=["long key", "long entity", "long section", "long duplicate key", "tab and newline"])
def test_an_error_line_quotes_a_value_cut_and_escaped(db, ctx, tmp_path, text, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ImportFileError) as caught:
        import_file(ctx, path)
    message = str(caught.value)
    assert expected in message
    assert "\n" not in message and "\t" not in message, message
    assert len(message) - len(str(path)) < 400, message  # the path is the test's, not cut


def test_200_000_unknown_keys_are_named_in_a_few_words_quickly(db_spec, tmp_path, capsys):
    path = tmp_path / "keys.yaml"
    path.write_text("customers:\n  - id: 1\n    name: A\n"
                    + "".join(f"    k{n}: 1\n" for n in range(200_000)))
    cfg = tmp_path / "c.yaml"
    cfg.write_text(f"database: '{db_spec}'\n")
    began = time.monotonic()
    assert main(["--config", str(cfg), "--create", "import", str(path)]) == 2
    assert time.monotonic() - began < SECONDS
    err = capsys.readouterr().err
    assert err == (f"relboard: {path}:4:5: record 1 (customers[0], id 1): k0: is not a field "
                   "of this record (nor are k1, k2 and 199,997 more)\n")
