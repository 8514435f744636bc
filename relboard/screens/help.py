"""Help: every key that works on the screen underneath, as currently bound (keymap included)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from relboard.widgets.key_hints import with_keys
from relboard.widgets.safe import plain


class HelpScreen(ModalScreen[None]):
    """A table of the active bindings of ``screen``: keys, what they do, their id."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close"),
                Binding("ctrl+r", "refresh", "Refresh", id="help.refresh", show=False)]
    CSS_PATH = "help.tcss"

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.target = screen

    def compose(self) -> ComposeResult:
        """Title and the key table."""
        with Vertical(id="help"):
            yield Static(with_keys(self, "Keys here (ctrl+p: command palette; {help.close} "
                                         "closes)"), classes="summary")
            yield DataTable(id="help-box", cursor_type="row")

    def on_mount(self) -> None:
        """Fill the table from the screen's active bindings."""
        self.read_again()
        self.query_one(DataTable).focus()

    def action_refresh(self) -> None:
        """``ctrl+r`` (a modal: the app's does not reach it): the keys read again."""
        self.read_again()

    def read_again(self) -> None:
        """The table of the screen's active bindings, as bound now."""
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column("Key", width=14)
        table.add_column("Action", width=22)
        table.add_column("Binding id (for keymap)", width=28)
        rows: dict[str, list[str]] = {}
        order: list[str] = []
        for key, active in self.target.active_bindings.items():
            binding = active.binding
            label = binding.description or binding.action
            ident = binding.id or ""
            token = ident or f"{label}:{binding.action}"
            if token not in rows:
                rows[token] = [key, label, ident]
                order.append(token)
            else:
                rows[token][0] += f", {key}"
        order.sort(key=lambda t: 0 if rows[t][2] else 1)  # relboard's own keys first
        for token in order:
            key, label, ident = rows[token]
            shown = ", ".join(self.app.get_key_display(Binding(k, "")) for k in key.split(", "))
            table.add_row(plain(shown), plain(label), plain(ident))
