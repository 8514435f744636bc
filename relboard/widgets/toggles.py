"""Tick boxes that differ by glyph, not only by colour (a 16-colour or NO_COLOR terminal shows
Textual's own boxes ticked and unticked alike, as "X")."""

from __future__ import annotations

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets._toggle_button import ToggleButton
from textual.widgets.option_list import OptionDoesNotExist

TICKED, UNTICKED = "✓", " "


class TickBox(Checkbox):
    """A Checkbox whose box holds ✓ when ticked and stays empty when not."""

    @property
    def _button(self) -> Content:
        box = super()._button
        return Content.assemble(*[(TICKED if self.value else UNTICKED, span.style)
                                  if text == self.BUTTON_INNER else (text, span.style)
                                  for text, span in _parts(box)])


def _parts(content: Content):
    """(text, span) of each styled part of a three-part button."""
    for span in content.spans:
        yield content.plain[span.start:span.end], span


class TickList(SelectionList):
    """A SelectionList whose boxes hold ✓ for the chosen values and stay empty otherwise.

    Focused with nothing highlighted, it highlights the first person: space then ticks what
    the cursor shows (Textual's list would ignore the first space and let the first Down
    land on the first row, so "down, space" ticked the first person, not the second)."""

    def on_focus(self) -> None:
        """Put the cursor on the first option when none is highlighted."""
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    def render_line(self, y: int) -> Strip:
        """The line as SelectionList draws it, with the box's glyph telling the state."""
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 2 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        try:
            option = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        glyph = TICKED if option.value in self._selected else UNTICKED
        segments[1] = Segment(glyph, segments[1].style, segments[1].control)
        return Strip(segments, strip.cell_length)
