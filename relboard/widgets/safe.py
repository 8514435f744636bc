"""Untrusted text on screen: control characters removed, rendered as plain text, never markup.

Every widget that shows customer data uses these (see ``relboard.text.safe``): a name like
``[@click=app.quit]x[/]`` shows literally and clicking it does nothing.
"""

from __future__ import annotations

from rich.text import Text
from textual.content import Content

from relboard.text import safe


def plain(value: object, style: str = "", *, multiline: bool = False) -> Text:
    """A Rich ``Text`` of ``value`` (for DataTable cells and option prompts): never parsed."""
    return Text(safe(value, multiline=multiline), style=style, no_wrap=not multiline,
                overflow="ellipsis")


def content(value: object, *, multiline: bool = False) -> Content:
    """A Textual ``Content`` of ``value`` (for Static/Label): never parsed."""
    return Content(safe(value, multiline=multiline))


def template(markup: str, **values: object) -> Content:
    """Trusted ``markup`` with ``$name`` holes filled by untrusted values, as plain text."""
    return Content.from_markup(markup, **{k: safe(v) for k, v in values.items()})


def short(value: object, width: int) -> str:
    """``safe`` text cut to ``width`` characters with an ellipsis."""
    text = safe(value)
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
