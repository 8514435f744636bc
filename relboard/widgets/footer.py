"""The board's footer: the screen's keys drawn as one line by one widget.

Textual's Footer is a container with a widget per key, each styled, laid out and painted on
its own, and it throws them all away and builds them again whenever the screen says its
bindings changed (each focus change, each mount). On Today those key widgets took a quarter
of the time from start to the first paint. This footer shows the same keys in the same colours
(Textual's footer theme variables, ``footer.tcss``) as one line of text: it works the keys out
again when the screen's bindings change and repaints only when what it shows differs.

A click on a key presses it (a disabled key rings the bell); the mouse over a key highlights
it and shows its tooltip. When the keys don't fit the width, the spaces around the keys go
first, then the palette key's word, then the keys at the end are cut, with "…" (never the
essential ones, help and quit, shown whole after the mark). A wide terminal shows more keys:
the board's own keys bound with ``show=False`` (those with a ``screen.name`` id) of the screen,
then of the app, in the order they are listed in, as many as fit after the shown ones.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

from relboard.text import safe


class FooterEntry(NamedTuple):
    """One key as the footer shows it."""

    key: str
    """What pressing it sends (``simulate_key``)."""
    display: str
    description: str
    enabled: bool
    tooltip: str
    essential: bool = False
    """Help and quit: never cut (``ESSENTIAL``)."""


ESSENTIAL = ("app.help", "app.quit")
"""The ids of the keys a footer never cuts, whatever the width."""

Piece = tuple[str, str]
"""A run of text and its part: ``key``, ``description``, ``separator`` or ``gap``."""


def _cells(pieces: list[Piece]) -> int:
    return sum(cell_len(text) for text, _ in pieces)


def key_pieces(entry: FooterEntry, compact: bool) -> list[Piece]:
    """One key as Textual's FooterKey draws it: `` q Quit `` (compact: ``q Quit`` and a gap)."""
    if not entry.description:
        return [(entry.display, "key")] + ([(" ", "gap")] if compact else [])
    if compact:
        return [(entry.display, "key"), (" " + entry.description, "description"), (" ", "gap")]
    return [(f" {entry.display} ", "key"), (entry.description + " ", "description")]


def palette_pieces(entry: FooterEntry, short: bool, pad: bool) -> list[Piece]:
    """The command palette's key, at the right behind a thin bar (``short``: the key alone;
    ``pad``: a space after it, as the roomy form has)."""
    pieces = [("▏", "separator"), (entry.display, "key")]
    if not short:
        pieces.append((" " + entry.description, "description"))
    if pad:
        pieces.append((" ", "gap"))
    return pieces


Row = list[tuple["FooterEntry | None", list[Piece]]]
"""The footer's line: each key with its pieces (None: a gap or the cut mark)."""


def arrange(keys: list[FooterEntry], palette: FooterEntry | None, width: int,
            compact: bool, more: list[FooterEntry] | None = None) -> Row:
    """The keys' pieces fitted to ``width``, the palette's key at the right: the roomy form
    (``compact``: skipped), else compact, else compact with the palette's key alone, else the
    last keys cut (the essential ones kept, after the "…"). Room left takes as many of the
    ``more`` keys as fit, in order, before the essential keys."""
    forms = ((True, False, True), (True, False, False), (False, False, False),
             (False, True, False))
    ordinary = [k for k in keys if not k.essential]
    essential = [k for k in keys if k.essential]
    for roomy, short, pad in forms[2 if compact else 0:]:
        left = [(k, key_pieces(k, not roomy)) for k in ordinary]
        last = [(k, key_pieces(k, not roomy)) for k in essential]
        right = palette_pieces(palette, short, pad) if palette else []
        room = width - sum(_cells(p) for _, p in left + last) - _cells(right)
        if room >= 0:
            for entry in more or []:
                pieces = key_pieces(entry, not roomy)
                if _cells(pieces) > room:
                    break
                left.append((entry, pieces))
                room -= _cells(pieces)
            left += last
            break
    else:
        room = width - _cells(right) - 1
        kept = []
        for entry, pieces in last:  # the essential keys first, whole
            if _cells(pieces) <= room:
                kept.append((entry, pieces))
                room -= _cells(pieces)
        cut = []
        for entry, pieces in left:
            if _cells(pieces) > room:
                break
            cut.append((entry, pieces))
            room -= _cells(pieces)
        left, room = cut + [(None, [("…", "gap")])] + kept, max(0, room)
    return left + [(None, [(" " * room, "gap")])] + ([(palette, right)] if right else [])


class BoardFooter(Widget, can_focus=False):
    """The keys of the screen it is on, in one line; rebuilt only when they change."""

    DEFAULT_CSS = (Path(__file__).with_name("footer.tcss")).read_text(encoding="utf-8")
    COMPONENT_CLASSES = {"board-footer--key", "board-footer--description",
                         "board-footer--separator", "board-footer--hover"}
    ALLOW_SELECT = False

    def __init__(self, *, compact: bool = False, show_command_palette: bool = True,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.compact = compact
        """Keys without the spaces around them, a space between (always so when narrow)."""
        self.show_command_palette = show_command_palette
        self._shown: tuple | None = None
        self._keys: list[FooterEntry] = []
        self._more: list[FooterEntry] = []
        self._here = ""
        """The action of the mode key that shows this screen (not offered again)."""
        self._palette: FooterEntry | None = None
        self._spans: list[tuple[int, int, FooterEntry]] = []
        self._hover: int | None = None

    def _signature(self) -> tuple:
        """What the footer would show now, as comparable values: the shown keys, then the
        board's hidden ones (the screen's, then the app's but the key of the mode this screen
        is the first of; a focused widget's hidden keys (j/k) and enter (a list's own, once
        focused) are left out, so a focus change does not rebuild the footer)."""
        app, screen = self.app, self.screen
        offers = getattr(screen, "offers", None)  # a screen may leave out verbs that do not
        shown: list[tuple] = []                   # fit what is highlighted (Today)
        hidden: list[tuple[int, int, tuple]] = []
        for node, binding, enabled, tooltip in screen.active_bindings.values():
            if offers is not None and not offers(binding.action):
                continue
            entry = (binding.key, app.get_key_display(binding), binding.description,
                     binding.action, enabled, tooltip, binding.id in ESSENTIAL)
            if binding.show:
                shown.append(entry)
            elif (enabled and binding.description and "." in (binding.id or "")
                  and binding.action != self._here and node in (screen, app)
                  and binding.key != "enter"):
                hidden.append((node is app, len(hidden), entry))
        return tuple(shown), tuple(e for _, _, e in sorted(hidden)), self.show_command_palette

    def _build(self, signature: tuple) -> None:
        """The keys to show for ``signature``: one per action, the first key bound to it."""
        self._shown = signature
        seen: set[str] = set()
        self._keys, self._more = [], []
        for keys, entries in ((self._keys, signature[0]), (self._more, signature[1])):
            for key, display, description, action, enabled, tooltip, essential in entries:
                if action not in seen:
                    seen.add(action)
                    keys.append(FooterEntry(key, display, safe(description), enabled,
                                            safe(tooltip or ""), essential))
        self._palette = None
        app = self.app
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            found = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _, binding, enabled, _ = found
                self._palette = FooterEntry(binding.key, app.get_key_display(binding),
                                            safe(binding.description), enabled,
                                            safe(binding.tooltip or binding.description))

    def on_mount(self) -> None:
        """Follow the screen's bindings (and know the mode key that shows this screen)."""
        app = self.app
        if app.screen_stack and app.screen_stack[0] is self.screen:
            self._here = f"show_mode('{getattr(app, 'current_mode', '')}')"
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        """Stop following them."""
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen) -> None:
        """After the next refresh, show the keys again if they differ from those shown."""
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._update)

    def _update(self) -> None:
        if not self.is_attached:
            return
        signature = self._signature()
        if signature != self._shown:
            self._build(signature)
            self.refresh()

    def render(self) -> Text:
        """The keys in one line, fitted to the width."""
        if self._shown is None:
            self._build(self._signature())
        row = arrange(self._keys, self._palette, self.size.width, self.compact, self._more)
        styles = {"key": self.get_component_rich_style("board-footer--key"),
                  "description": self.get_component_rich_style("board-footer--description"),
                  "separator": self.get_component_rich_style("board-footer--separator"),
                  "gap": Style()}
        hover = self.get_component_rich_style("board-footer--hover", partial=True)
        dim = Style(dim=True)
        text, self._spans, x = Text(no_wrap=True, overflow="crop"), [], 0
        for entry, pieces in row:
            start = x
            for words, part in pieces:
                style = styles[part]
                if entry is not None and part != "gap":
                    if not entry.enabled:
                        style += dim
                    if self._hover == len(self._spans):
                        style += hover
                text.append(words, style)
                x += cell_len(words)
            if entry is not None:
                self._spans.append((start, x, entry))
        return text

    def entry_at(self, x: int) -> tuple[int, FooterEntry] | None:
        """The key drawn at column ``x`` of the footer, with its index."""
        for index, (start, end, entry) in enumerate(self._spans):
            if start <= x < end:
                return index, entry
        return None

    def on_click(self, event: events.Click) -> None:
        """Press the key clicked (a disabled one rings the bell)."""
        found = self.entry_at(event.x)
        if found is None:
            return
        event.stop()
        entry = found[1]
        if entry.enabled:
            self.app.simulate_key(entry.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Highlight the key under the mouse and show its tooltip."""
        found = self.entry_at(event.x)
        index = found[0] if found else None
        if index != self._hover:
            self._hover = index
            self.tooltip = Text(found[1].tooltip) if found and found[1].tooltip else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        """No key is under the mouse."""
        self._clear_hover()

    def _clear_hover(self, *_: Any) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()
