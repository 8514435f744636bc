"""A form's field errors: every one shown at once under its field, the cursor on the first with
its text selected (typing the correction replaces it), and each error gone as soon as its
field holds a valid value again.

Mixed into ``FormScreen``; the check after a change runs only for a field that shows an error,
so typing (or a paste of 20,000 characters) into a valid field costs nothing here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.dom import DOMNode
from textual.widgets import Input, Select, TextArea

from relboard.screens.form_choices import quick_check
from relboard.screens.form_widgets import read_value

if TYPE_CHECKING:
    from relboard.screens.form_widgets import FormField


class FormErrors(DOMNode):
    """Field errors of a form with ``fields``, ``field(name)``, ``ERROR_ALIASES`` and
    ``_set_line(selector, text)``."""

    if TYPE_CHECKING:  # the host form's (FormScreen)
        fields: list[FormField]
        ERROR_ALIASES: dict[str, str]

        def field(self, name: str) -> Any: ...
        def _set_line(self, selector: str, text: Any) -> None: ...

    _errors: dict[str, str] | None = None

    def _show_errors(self, errors: dict[str, str], *, focus: bool = True) -> None:
        """Show ``errors`` (field -> reason; other keys on the general line), replacing any
        shown before; with ``focus``, move to the first field with an error, its text selected."""
        fields = {f.name: f for f in self.fields}
        shown: dict[str, str] = {}
        general = []
        for key, reason in errors.items():
            name = self.ERROR_ALIASES.get(key, key)
            if name in fields:
                shown[name] = f"{fields[name].label} {reason}"
            else:
                general.append(f"{key.replace('_', ' ')} {reason}")
        for name in fields:
            self._set_line(f"#err-{name}", shown.get(name))
        self._set_line("#form-error", "; ".join(general) or None)
        self._errors = shown
        first = next((name for name in fields if name in shown), None)
        if first and focus:
            self.focus_error(first)

    def focus_error(self, name: str) -> None:
        """Put the cursor in field ``name`` with its text selected: typing replaces it."""
        widget = self.field(name)
        widget.focus()
        if isinstance(widget, (Input, TextArea)):
            widget.select_all()

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def _recheck(self, event: Any) -> None:
        """A field showing an error was changed: clear its error once the value is valid."""
        if not self._errors:
            return
        widget = getattr(event, "control", None)
        name = (getattr(widget, "id", None) or "").removeprefix("f-")
        if name not in self._errors:
            return
        field = next(f for f in self.fields if f.name == name)
        if quick_check(field, read_value(field, widget)) is None:
            del self._errors[name]
            self._set_line(f"#err-{name}", None)
