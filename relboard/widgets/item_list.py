"""Today's list: an OptionList whose scrollbar is repainted when it changes, not on every
layout pass of the screen.

Textual's ScrollView compares the virtual size the screen's layout passes in (for a list,
the size of its window) with its own (the height of all its lines); for an OptionList they
always differ, so every layout pass of the screen — a toast appearing, a line of text growing
— repaints the list's scrollbar, a frame after the rest: the last 8-10 ms of Today's repaint
after a triage key (``benchmarks/bench_repaint.py --trace``). The list keeps its own virtual
size (``OptionList._update_lines`` updates the scrollbar when the lines change), so a layout
pass only counts a change of size.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import OptionList


class ItemList(OptionList):
    """An OptionList whose scrollbar follows its lines and its size, not every layout pass."""

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size,
                      layout: bool = True) -> bool:
        """ScrollView's, with the list's own virtual size in place of the window's."""
        return super()._size_updated(size, self.virtual_size, container_size, layout)
