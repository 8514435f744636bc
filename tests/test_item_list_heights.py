"""Today's list measures an item that fits its width by counting its lines
(``item_list.fitting_height``): always what Textual's wrapping measure finds, and nothing
for what it would have to wrap."""

from __future__ import annotations

import random

from textual.content import Content

from relboard.widgets.item_list import fitting_height

PIECES = ["Acme", "renewal", "  ", "·", "—", "界", "語", "é", "x" * 12, "", " ", "\n",
          "\n\n", "SLA breached", "[b]not markup[/b]", "due Mon 7 Dec"]


class Rules(dict):
    """What a widget's styles give ``get_height`` (``rules.get``)."""


def test_a_fitting_item_is_as_high_as_textual_measures_it():
    rng = random.Random(22)
    counted = 0
    for _ in range(3000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 8)))
        content = Content(text)
        width = rng.randint(1, 40)
        for rules in (Rules(), Rules(text_wrap="nowrap"), Rules(text_overflow="ellipsis")):
            quick = fitting_height(content, rules, width)
            if quick is not None:
                counted += 1
                assert quick == content.get_height(rules, width), (text, width, rules)
            else:
                assert any(len(line) and Content(line).cell_length > width
                           for line in text.split("\n")), (text, width)
    assert counted > 3000  # most of them fit: the test compares, not only skips


def test_what_it_cannot_count_it_leaves_to_textual():
    assert fitting_height(Content("a\tb"), Rules(), 40) is None  # tabs expand
    assert fitting_height(Content("abc"), Rules(line_pad=1), 40) is None
    assert fitting_height("not content", Rules(), 40) is None
    assert fitting_height(Content("abcdef\nab"), Rules(), 5) is None  # wraps
    assert fitting_height(Content(""), Rules(), 1) == Content("").get_height(Rules(), 1) == 1
