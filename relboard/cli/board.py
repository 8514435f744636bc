"""The board itself (``relboard`` with no command), declared as the commands are."""

from __future__ import annotations

from relboard.cli.command import EXIT_OK, Command, Invocation


def _board(call: Invocation) -> int:
    """Run the board on the open database until the user leaves it."""
    from relboard.app import RelboardApp

    app = RelboardApp(call.config, demo=call.demo)
    app.run()
    return app.return_code or EXIT_OK


BOARD = Command("", "the board", _board)
"""Not in the registry: it is what ``relboard`` runs without a command."""
