"""The list screens' export key: the rows as filtered and sorted now, in a CSV file."""

from __future__ import annotations

import csv

from relboard.widgets.paged_table import PagedTable
from tests.pilot import make_app, open_list, settle, watch_notices


async def test_ctrl_e_writes_the_queue_as_filtered_and_sorted_even_for_a_viewer(
        sample, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "issues-2026-11-23.csv").write_text("taken\n")  # the default steps aside
    app = make_app(sample, read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = await open_list(pilot, "i")
        everything = len(table.rows_by_key)
        await pilot.press("slash", *"north", "enter", "s")  # a customer's issues, by SLA
        await settle(pilot)
        shown = [row["title"] for row in table.rows_by_key.values()]
        assert 1 < len(shown) < everything
        notices = watch_notices(app)
        await pilot.press("ctrl+e")
        await settle(pilot)
        assert app.screen.query_one("#prompt-value").value == "issues-2026-11-23-2.csv"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen.query_one(PagedTable), PagedTable)  # back on the list
        (tmp_path / "a-folder").mkdir()
        await pilot.press("ctrl+e")
        await settle(pilot)
        app.screen.query_one("#prompt-value").value = "a-folder"
        await pilot.press("enter")
        await settle(pilot)
    path = tmp_path / "issues-2026-11-23-2.csv"
    with path.open(newline="") as handle:
        written = list(csv.DictReader(handle))
    assert [row["title"] for row in written] == shown
    assert {row["customer"] for row in written} == {"Northgate Health Partners"}
    assert [message for message, _ in notices] == [
        f"Exported {len(shown)} rows to {path}",
        f"export: {tmp_path / 'a-folder'} is a folder; relboard writes only regular files "
        "and left it untouched — name a new file"]
    assert notices[1][1]["severity"] == "error"
