"""How a health band and a trend are shown in tables: a glyph and a word, then a colour (a
band is never told by colour alone, so it reads on 16 colours and with NO_COLOR)."""

from __future__ import annotations

ARROW = {"down": "▼", "up": "▲", "same": "=", None: "·"}
"""A trend since the last snapshot."""
BAND_LABEL = {"red": "● red", "amber": "◐ amber", "green": "○ green", None: "· no score"}
"""A band by glyph and word, never by colour alone."""
BAND_STYLE = {"red": "bold red", "amber": "yellow", "green": "green", None: "dim"}
"""A band's style in tables."""
