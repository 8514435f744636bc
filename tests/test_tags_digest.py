"""``relboard digest --tag NAME``: only the items of records tagged NAME and of customers
tagged NAME, counted alike, in every format; a bad or unknown tag is one line, exit 2."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from relboard.__main__ import main
from relboard.db import close_database, open_database
from relboard.services.context import Context
from tests import factories as f
from tests.conftest import NOW, TODAY


@pytest.fixture
def board(tmp_path, monkeypatch):
    """Tagged and untagged customers each with a breaching issue; a config pointing at it."""
    monkeypatch.setenv("RELBOARD_TODAY", TODAY.isoformat())
    database = tmp_path / "r.db"
    open_database(str(database))
    try:
        ctx = Context(user="alice", now_override=NOW)
        early = NOW - dt.timedelta(days=3)
        renewing = f.customer(ctx, "Renewing Ltd", tags="renewal")
        plain = f.customer(ctx, "Plain Ltd")
        f.issue(ctx, renewing, "Of a tagged customer", severity="high", raised_at=early)
        f.issue(ctx, plain, "Tagged itself", severity="high", raised_at=early, tags="renewal")
        f.issue(ctx, plain, "Neither", severity="high", raised_at=early)
        f.expectation(ctx, plain, TODAY + dt.timedelta(days=2), "Untagged promise")
    finally:
        close_database()
    cfg = tmp_path / "config.yaml"
    cfg.write_text(f"database: {database}\nuser: alice\n")
    return cfg


def test_the_digest_of_a_tag_lists_only_its_records_and_customers(board, capsys):
    assert main(["--config", str(board), "digest"]) == 0
    everything = capsys.readouterr().out
    assert "Neither" in everything and "Untagged promise" in everything
    assert "• Plain Ltd\n" in everything
    assert main(["--config", str(board), "digest", "--tag", "#Renewal"]) == 0
    out = capsys.readouterr().out
    assert "tagged #renewal" in out.splitlines()[0]
    assert "Tagged itself" in out and "Renewing Ltd: Of a tagged customer" in out
    assert "Neither" not in out and "Untagged promise" not in out
    assert "• Plain Ltd\n" not in out  # the untagged customer's own contact item
    assert main(["--config", str(board), "digest", "--tag", "renewal", "--format",
                 "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["tag"] == "renewal"
    assert sorted(item["title"] for item in data["items"]) == [  # Renewing Ltd: no contact yet
        "Of a tagged customer", "Renewing Ltd", "Tagged itself"]
    assert sum(data["counts"].values()) == 3
    assert main(["--config", str(board), "digest", "--tag", "renewal", "--format",
                 "markdown"]) == 0
    assert "tagged \\#renewal" in capsys.readouterr().out


@pytest.mark.parametrize("given, said", [
    ("renewl", "relboard: --tag: no record is tagged #renewl; did you mean #renewal?\n"),
    ("a b", "relboard: --tag: give one tag name, e.g. --tag renewal\n"),
    ("\x1b[2J$(touch x)", "relboard: --tag: '\\x1b[2J$(touch' is not a tag: a tag is 1-40 "
                          "letters a-z, digits, - or _, starting with a letter or digit\n"),
])
def test_a_tag_no_record_has_or_no_tag_at_all_is_one_line_exit_2(board, capsys, given, said):
    assert main(["--config", str(board), "digest", "--tag", given]) == 2
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", said)
