"""Today's list: an OptionList that repaints only what changed.

Two things Textual's OptionList does on every change that Today's list does not need:

- **Its scrollbar on every layout pass of the screen.** ScrollView compares the virtual size
  the screen's layout passes in (for a list, the size of its window) with its own (the height
  of all its lines); for an OptionList they always differ, so every layout pass — a toast
  appearing, a line of text growing — repainted the list's scrollbar a frame after the rest:
  the last 8-10 ms of Today's repaint after a triage key (``benchmarks/bench_repaint.py
  --trace``). The list keeps its own virtual size (``OptionList._update_lines`` updates the
  scrollbar when the lines change), so a layout pass only counts a change of size.
- **Every option drawn and measured again after ``set_options``.** A refresh after a triage
  key hands the list the same option objects but one (Today keeps an item's option while its
  words stay), and OptionList throws away what it drew and each option's height: the ~450
  options of a full board measured again (~5 ms at 100k records) and every visible one drawn
  again (~6 ms). This list keeps both by option and width, across ``set_options``; only the
  option's place (the ``option`` meta a mouse click reads) is put on again, which is cheap.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.segment import Segment
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size, Spacing
from textual.strip import Strip
from textual.style import Style
from textual.visual import Padding, VisualType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

_KEPT = 4096
"""Options drawn / measured kept (a full Today has ~450, two widths' worth and more)."""


def fitting_height(visual: Any, rules: Any, width: int) -> int | None:
    """The height of a plain ``Content`` none of whose lines is wider than ``width``: its
    number of lines (what ``get_height`` finds by wrapping each line, which cuts none); None
    for anything else (tabs to expand, a line to wrap, padding of lines, another visual).
    Today's items fit their width: measuring a first board of ~40 wrapped each (~4 ms)."""
    if not isinstance(visual, Content) or rules.get("line_pad", 0):
        return None
    plain = visual.plain
    if "\t" in plain:
        return None
    lines = plain.split("\n")
    return len(lines) if all(cell_len(line) <= width for line in lines) else None


class ItemList(OptionList):
    """An OptionList whose scrollbar follows its lines and its size, not every layout pass,
    and which keeps each option's drawing and height while the option object is the same."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._drawn: LRUCache[tuple[Option, Style, Spacing, int], list[Strip]] = \
            LRUCache(_KEPT)
        self._measured: LRUCache[tuple[Option, Spacing, int], int] = LRUCache(_KEPT)
        super().__init__(*args, **kwargs)

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        """ScrollView's, with the list's own virtual size in place of the window's."""
        return super()._size_updated(size, self.virtual_size, container_size, layout)

    def notify_style_update(self) -> None:
        """Another theme or style: what was drawn and measured with the old one goes."""
        self._drawn.clear()
        self._measured.clear()
        super().notify_style_update()

    def _replace_option_prompt(self, index: int, prompt: VisualType) -> None:
        """OptionList's; what was drawn and measured of the old prompt goes."""
        self._drawn.clear()
        self._measured.clear()
        super()._replace_option_prompt(index, prompt)

    def _get_option_render(self, option: Option, style: Style) -> list[Strip]:
        """OptionList's drawing of ``option``, from what was drawn for it before at this
        width (a ``set_options`` clears OptionList's own cache; this one is kept): only its
        place in the list (the ``option`` meta) is put on again."""
        padding = self.get_component_styles("option-list--option").padding
        key = (option, style, padding)
        if (strips := self._option_render_cache.get(key)) is not None:
            return strips
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        drawn_key = (option, style, padding, width)
        drawn = self._drawn.get(drawn_key)
        if drawn is None:
            visual = self._get_visual(option)
            if padding:
                visual = Padding(visual, padding)
            drawn = [strip.extend_cell_length(width, style.rich_style)
                     for strip in visual.to_strips(self, visual, width, None, style)]
            self._drawn[drawn_key] = drawn
        meta = {"option": self._option_to_index[option]}
        strips = [strip.apply_meta(meta) for strip in drawn]
        if option._divider:
            rule = self.get_visual_style("option-list--separator")
            strips.append(Strip([Segment("─" * width, rule.rich_style)], width))
        self._option_render_cache[key] = strips
        return strips

    def _update_lines(self) -> None:
        """OptionList's, with each option's height kept by option and width (a refresh
        measures only the options it made new)."""
        if not self.scrollable_content_region:
            return
        line_cache = self._line_cache
        lines = line_cache.lines
        next_index = lines[-1][0] + 1 if lines else 0
        width = self.scrollable_content_region.width - self._get_left_gutter_width()
        options = self.options
        if next_index < len(options):
            padding = self.get_component_styles("option-list--option").padding
            measured = self._measured
            rules: Any = self.styles  # what OptionList itself passes as the rules
            for index, option in enumerate(options[next_index:], next_index):
                line_cache.index_to_line[index] = len(lines)
                key = (option, padding, width)
                height = measured.get(key)
                if height is None:
                    visual = self._get_visual(option)
                    height = fitting_height(visual, rules, width - padding.width) or \
                        visual.get_height(rules, width - padding.width)
                    measured[key] = height
                line_count = height + option._divider
                line_cache.heights[index] = line_count
                lines.extend([(index, line_no) for line_no in range(line_count)])
        last_divider = options and options[-1]._divider
        virtual_size = Size(width, len(lines) - (1 if last_divider else 0))
        if virtual_size != self.virtual_size:
            self.virtual_size = virtual_size
            self._scroll_update(virtual_size)
