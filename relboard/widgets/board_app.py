"""``BoardApp``: the app as screens and widgets use it, for the type checker only.

Textual types ``DOMNode.app`` as ``App[Any]``, so ``self.app.ctx`` would be unknown. Screens,
verbs and widget mixins declare ``app: BoardApp`` under ``TYPE_CHECKING``. ``BoardApp`` names
what they use of ``relboard.app.RelboardApp``, here rather than by importing ``relboard.app``,
which imports the screens (an import circle, even a type-only one, is refused by
``tests/test_import_graph.py``). ``relboard/app.py`` checks that ``RelboardApp`` has the
members (``BoardAppMembers``), so the two cannot drift apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from textual.app import App

    from relboard.config import Config
    from relboard.services.context import Context
    from relboard.services.journal import Journal

    class BoardAppMembers(Protocol):
        """What screens and widgets use of ``RelboardApp`` beyond Textual's ``App``."""

        config: Config
        ctx: Context
        demo: bool
        read_only: bool
        mine: bool

        @property
        def journal(self) -> Journal: ...
        def open_customer(self, customer_id: int, tab: str = "overview",
                          select: int | None = None) -> None: ...
        def open_record(self, kind: str, record_id: int,
                        customer_id: int | None = None) -> None: ...
        def open_issue(self, issue_id: int) -> None: ...
        def open_expectation(self, expectation_id: int) -> None: ...

    class BoardApp(App[Any], BoardAppMembers):
        """``RelboardApp`` as screens and widgets see it."""

        _live_failure_reported: bool  # set by widgets.live (read with getattr, default False)
