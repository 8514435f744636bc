"""Command palette: jump to any customer by name, or to the records carrying a tag (actions
come from the app's bindings)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from relboard.services import lookups, tags
from relboard.widgets.safe import content
from relboard.widgets.service_caller import one_line

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp


class CustomerCommands(Provider):
    """"Open <customer>" for every customer whose name matches what is typed."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    async def search(self, query: str) -> Hits:
        """Customers matching ``query`` (fuzzy, scored by the palette's matcher)."""
        matcher = self.matcher(query)
        choices = await self._choices(query)
        for name, customer_id in choices:
            label = f"Open customer: {name}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, content(label), self._opener(customer_id), text=label,
                          help="profile, touchpoints, expectations, issues")

    async def discover(self) -> Hits:
        """A few customers to start with when nothing is typed."""
        for name, customer_id in (await self._choices())[:10]:
            yield DiscoveryHit(content(f"Open customer: {name}"), self._opener(customer_id))

    async def _choices(self, query: str = "") -> list[tuple[str, int]]:
        """Customers whose name contains the query (any size of portfolio), then the first
        few hundred by name for fuzzy matches."""

        def read() -> list[tuple[str, int]]:
            found = (lookups.customer_choices(query.strip(), limit=100) if query.strip()
                     else [])
            seen = {cid for _, cid in found}
            return found + [c for c in lookups.customer_choices(limit=300) if c[1] not in seen]

        return await read_aside(self.app, read)

    def _opener(self, customer_id: int):
        return lambda: self.app.open_customer(customer_id)


async def read_aside(app: Any, read: Callable[[], list[Any]]) -> list[Any]:
    """``read()`` in a thread of its own (the palette awaits the answer); a failure (a
    database gone) is said once, here on the UI thread, and nothing is found."""

    def fetch() -> tuple[list[Any], str | None]:
        try:
            return read(), None
        except Exception as exc:  # noqa: BLE001 - a failing database: said, nothing found
            return [], one_line(exc)

    worker = app.run_worker(fetch, thread=True, exit_on_error=False)
    try:
        found, problem = await worker.wait()
    except Exception as exc:  # noqa: BLE001 - cancelled or failed: nothing found
        found, problem = [], None if worker.is_cancelled else one_line(exc)
    if problem is not None:
        app.notify(problem, severity="error", markup=False, timeout=8)
    return found


TAG_LISTS = {"customer": ("customers", "customer", "customers"),
             "issue": ("issues", "issue", "issues"),
             "expectation": ("expectations", "expectation", "expectations"),
             "risk": ("risks", "risk", "risks")}
"""A tagged kind -> the list (mode) that shows it, and its words (one, several)."""


class TagCommands(Provider):
    """"#renewal: 3 customers" for every tag matching what is typed, one hit per kind that
    carries it: choosing one opens that list filtered by the tag (``show_tagged``)."""

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    async def search(self, query: str) -> Hits:
        """Tags matching ``query`` (with or without ``#``), scored by the palette's matcher."""
        matcher = self.matcher(query)
        word = query.strip().removeprefix("#").lower()
        for name, kind, count in await self._found(word[:1] if word else ""):
            mode, one, many = TAG_LISTS[kind]
            label = f"#{name}: {count} {one if count == 1 else many}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, content(label), self._opener(mode, name), text=label,
                          help=f"the {many} list, filtered by #{name}")

    async def discover(self) -> Hits:
        """A few tags to start with when nothing is typed."""
        for name, kind, count in (await self._found(""))[:10]:
            mode, one, many = TAG_LISTS[kind]
            yield DiscoveryHit(content(f"#{name}: {count} {one if count == 1 else many}"),
                               self._opener(mode, name))

    async def _found(self, prefix: str) -> list[tuple[str, str, int]]:
        """The tags starting with ``prefix`` (its first letter: the matcher is fuzzy), read
        in a thread; a failing database is said once, with no tags."""

        return await read_aside(self.app, lambda: tags.summary(prefix, limit=200))

    def _opener(self, mode: str, name: str):
        async def open_list() -> None:
            await self.app.switch_mode(mode)
            target = next((s for s in self.app.screen_stack if hasattr(s, "show_tagged")), None)
            if target is None:
                return
            if target is not self.app.screen:
                self.app.notify(f"Close what is open on the {mode} list first, then #"
                                f"{name} again", markup=False)
                return
            target.show_tagged(name)

        return open_list
