"""One form field's widget: made, filled, given choices and read back, by the field's kind.

Text goes only into the safe widgets (``SafeInput``, ``SafeTextArea``, ``SafeSuggestions``),
which show stored text cleaned of control characters; ``FormScreen`` keeps the stored values
and saves only what the user changed.
"""

from __future__ import annotations

from typing import Any

from textual.widget import Widget
from textual.widgets import Select
from textual.widgets.select import InvalidSelectValueError

from relboard.screens.form_choices import FormField, as_text
from relboard.widgets.safe import SafeInput, SafeSuggestions, SafeTextArea, content, plain
from relboard.widgets.toggles import TickBox, TickList


def make_widget(field: FormField, static: list[tuple[Any, Any]]) -> Widget:
    """The input widget for ``field`` (id ``f-NAME``), with its fixed choices ``static``."""
    wid, kind = f"f-{field.name}", field.kind
    if kind == "longtext":
        return SafeTextArea(id=wid, soft_wrap=True, compact=True, tab_behavior="focus")
    if kind == "choice":
        options = [(plain(label), value) for label, value in static]
        prompt = field.placeholder or ("(choose)" if field.required else "(none)")
        return Select(options, id=wid, allow_blank=not (field.required and options),
                      prompt=prompt, compact=True)
    if kind == "multi":
        return TickList(*[(plain(lbl), v) for lbl, v in static], id=wid, compact=True)
    if kind == "bool":
        return TickBox(content(field.placeholder or "yes"), id=wid, compact=True)
    suggest = SafeSuggestions(lbl for lbl, _ in static) if static else None
    return SafeInput(id=wid, placeholder=field.placeholder, compact=True, suggester=suggest)


def set_choices(field: FormField, widget: Any, options: list[tuple[Any, Any]]) -> None:
    """Offer ``options`` (label, value) in ``widget``, keeping what is chosen where it can."""
    legal = [value for _, value in options]
    if field.kind == "choice":
        keep = widget.value
        widget.set_options([(plain(label), value) for label, value in options])
        if keep in legal:
            widget.value = keep
    elif field.kind == "multi":
        keep = set(widget.selected)
        widget.clear_options()
        widget.add_options([(plain(lbl), v, v in keep) for lbl, v in options])
    elif field.kind == "text":
        widget.suggester = SafeSuggestions(lbl for lbl, _ in options)


def put_value(field: FormField, widget: Any, value: Any, legal: list[Any]) -> None:
    """Show stored ``value`` in ``widget``; a choice outside ``legal`` shows as blank."""
    if field.kind == "longtext":
        widget.text = as_text(value)  # SafeTextArea shows it cleaned
    elif field.kind == "choice":
        try:
            widget.value = value if value in legal else Select.NULL
        except InvalidSelectValueError:
            pass  # no blank allowed: keep the first option
    elif field.kind == "multi":
        widget.deselect_all()
        for item in value or ():
            if item in legal:
                widget.select(item)
    elif field.kind == "bool":
        widget.value = bool(value)
    else:
        widget.value = as_text(value)  # SafeInput shows it cleaned


def read_value(field: FormField, widget: Any) -> Any:
    """What ``widget`` holds: text as shown, a choice's value (None when blank), a list.

    Characters typed and still waiting to go in (``TypedBurst``) are put in first."""
    if hasattr(widget, "flush_typed"):
        widget.flush_typed()
    if field.kind == "longtext":
        return widget.text
    if field.kind == "choice":
        return None if widget.value is Select.NULL else widget.value
    if field.kind == "multi":
        return list(widget.selected)
    return widget.value
