"""The list screens' export key (``ctrl+e``): the rows as filtered and sorted now, as CSV.

A screen mixes in ``ExportKey`` (before ``Screen``), adds ``export_binding(prefix)`` to its
bindings and says which kind its rows are (``EXPORT_KIND``), what the file is called
(``EXPORT_WORD``) and which table holds them (``EXPORT_TABLE``). The key asks for a file name
(``issues-2026-11-23.csv`` in the current folder, numbered when taken), then writes through
``services.csvexport.export_list`` with the table's own reader (its filter and sort), and a
toast says how many rows went where, or why nothing was written. It only reads: read-only
viewers may export.
"""

from __future__ import annotations

import os
from typing import Any

from textual.binding import Binding

from relboard.screens.prompt import PromptDialog
from relboard.text import escaped, plural
from relboard.widgets.paged_table import PagedTable
from relboard.widgets.service_caller import ServiceCaller


def export_binding(prefix: str) -> Binding:
    """The export key of a list screen (its id: ``PREFIX.export``)."""
    return Binding("ctrl+e", "export_csv", "Export CSV", id=f"{prefix}.export", show=False)


class ExportKey(ServiceCaller):
    """Mixin for a list screen whose ``PagedTable`` rows are records of one kind."""

    EXPORT_KIND = ""
    EXPORT_WORD = ""
    EXPORT_TABLE = "PagedTable"

    def action_export_csv(self) -> None:
        """Ask for a file name, then write the list's rows there."""
        app: Any = self.app
        fetch = self.query_one(self.EXPORT_TABLE, PagedTable).fetch
        if fetch is None:
            app.notify("The list is still being read; try again", timeout=3)
            return
        from relboard.services.csvexport import default_name

        name = default_name(self.EXPORT_WORD, app.ctx.today(), os.path.lexists)

        def chosen(answer: str | None) -> None:
            if answer:
                self.export_to(answer, fetch)

        app.push_screen(PromptDialog("Export the list as CSV",
                                     "File (in the current folder unless a path)",
                                     initial=name, required=True), chosen)

    def export_to(self, name: str, fetch: Any) -> None:
        """Write the rows ``fetch`` reads to ``name`` off the UI thread (a read: it waits
        behind no write); a toast says how many rows went where, or why none did (the file
        is then as it was)."""
        from relboard.services.csvexport import export_list

        path = os.path.abspath(os.path.expanduser(name))

        def written(count: int) -> None:
            self.app.notify(f"Exported {plural(count, 'row')} to {escaped(path)}", timeout=6,
                            markup=False)

        self.call_service(export_list, self.EXPORT_KIND, fetch, path, done=written,
                          parallel=True)
