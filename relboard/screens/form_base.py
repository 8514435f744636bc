"""A generic modal form built from field specs; concrete forms only say what to show and save.

The form reads its record and choice lists in a worker and saves through a service call in a
worker. A refusal (validation, busy, conflict) keeps every typed value in place and says why
under the field concerned; only an explicit "reload" after a conflict replaces the typing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Select, Static

from relboard.clock import local_text
from relboard.screens.confirm import ConfirmDialog
from relboard.screens.conflict import ConflictDialog
from relboard.screens.form_choices import FormField, quick_check, resolve_choices
from relboard.screens.form_errors import FormErrors
from relboard.screens.form_widgets import make_widget, put_value, read_value, set_choices
from relboard.services import (
    BusyError,
    ConflictError,
    ServiceError,
    ValidationError,
    records,
    tags,
)
from relboard.widgets.key_hints import with_keys
from relboard.widgets.live import LiveRefresh
from relboard.widgets.read_only import ReadOnlyGuard
from relboard.widgets.safe import content, template
from relboard.widgets.service_caller import ServiceCaller

if TYPE_CHECKING:
    from relboard.widgets.board_app import BoardApp

__all__ = ["FormField", "FormScreen"]


PERSON_FIELDS = ("owner",)
"""Fields that name a person of the team: a name not among their suggestions (the roster:
``services.team``) asks before it is saved."""


class FormScreen(ReadOnlyGuard, FormErrors, ModalScreen[int | None], ServiceCaller, LiveRefresh):
    """A modal form; dismisses with the saved record's id, or None when cancelled.

    On a read-only board an edit form opens (enter on a record shows it) but cannot save.

    Subclasses set ``fields``, ``initial`` and ``form_title`` (for an edit also ``record_name``
    and ``record_id``) and implement ``save(values)``, which returns a no-argument callable that
    makes the service call in a worker (build it with the current ``self.version``).
    """

    if TYPE_CHECKING:
        app: BoardApp  # Textual types DOMNode.app as App[Any]

    CSS_PATH = "forms.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save"),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]
    ERROR_ALIASES: dict[str, str] = {}
    """Service error keys that belong to a differently named form field."""
    FOCUS: str | None = None
    """The field focused first (default: the first field)."""
    CHECKED_AS: str | None = None
    """The entity whose rules the service checks this form's values by (default:
    ``record_name``); None for both: only the form's own checks before the save."""

    form_title = "Form"
    record_name: str | None = None
    record_id: int | None = None
    label_field: str | None = None
    """A record field shown in the title of an edit."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[FormField] = list(getattr(self, "fields", []))
        self._fields = {f.name: f for f in self.fields}
        self.initial: dict[str, Any] = dict(getattr(self, "initial", {}))
        self.version: int | None = None
        self.ready = False
        self.known: dict[str, Any] = {}
        self._baseline: dict[str, Any] = {}
        self._saving = False
        self._dep_seen: dict[str, Any] = {}
        self._legal: dict[str, list[Any]] = {}

    def compose(self) -> ComposeResult:
        """Title, info line, one row per field with its error line, general error, buttons."""
        with Vertical(id="form-dialog"):
            yield Static(content(self.form_title), id="form-title")
            yield Static("", id="form-info", classes="-empty")
            yield Static("", id="form-stale", classes="-empty")
            with VerticalScroll(id="form-body", disabled=True):
                for field in self.fields:
                    with Horizontal(classes=f"field-row -{field.kind}"):
                        mark = " *" if field.required else ""
                        yield Static(content(field.label + mark), classes="field-label")
                        yield self._widget(field)
                    if field.help:
                        yield Static(content(field.help), classes="field-help")
                    yield Static("", id=f"err-{field.name}", classes="field-error -empty")
            with Vertical(id="form-foot"):  # docked: on screen however long the form
                yield Static("", id="form-error", classes="-empty")
                with Horizontal(id="form-buttons"):
                    yield Button(with_keys(self, "Save ({form.save})"), id="form-save",
                                 variant="primary", compact=True, action="screen.save")
                    yield Button(with_keys(self, "Cancel ({form.cancel})"), id="form-cancel",
                                 compact=True, action="screen.cancel")

    def on_resize(self) -> None:
        """The terminal changed size: the fields get the rows the rest leaves."""
        self.call_after_refresh(self._fit_body)

    def _fit_body(self) -> None:
        """Give the scrolling fields at most the rows the dialog's other parts leave on
        screen, so the title and the docked error line and buttons are always in view."""
        if not self.is_attached:
            return
        dialog = self.query_one("#form-dialog")
        body = self.query_one("#form-body")
        rest = dialog.styles.gutter.height + sum(
            child.outer_size.height + child.styles.margin.height
            for child in dialog.children if child is not body and child.display)
        rows = max(3, self.size.height - rest)
        if body.styles.max_height is None or body.styles.max_height.value != rows:
            body.styles.max_height = rows

    def _widget(self, field: FormField) -> Widget:
        static = [] if callable(field.choices) else resolve_choices(field, {})
        self._legal[field.name] = [value for _, value in static]
        return make_widget(field, static)

    def field(self, name: str) -> Any:
        """The input widget of field ``name``."""
        return self.query_one(f"#f-{name}")

    def initial_values(self) -> dict[str, Any]:
        """Values of a new record (UI thread; ``self.ctx`` is set). Default: ``initial``."""
        return dict(self.initial)

    def read_record(self) -> dict[str, Any] | None:
        """The stored record of an edit (worker thread), or None for a new record."""
        if self.record_name is None or self.record_id is None:
            return None
        record = records.get(self.record_name, self.record_id)
        if "tags" in self._fields:  # kept beside the record (services.tags)
            record["tags"] = tags.typed(tags.of(self.record_name, self.record_id))
        return record

    def values_from_record(self, record: dict[str, Any]) -> dict[str, Any]:
        """Form values from a stored record (default: the fields of the same name)."""
        return dict(record)

    def info(self, record: dict[str, Any] | None) -> Any:
        """A safe Content line shown under the title, or None."""
        return None

    def on_mount(self) -> None:
        """Take the app's context, then read the record and choice lists in a worker."""
        self.ctx = self.app.ctx
        self.query_one("#form-save", Button).display = not getattr(self.app, "read_only", False)
        self._load()

    def _load(self) -> None:
        start = self.initial_values()

        def read() -> tuple[dict[str, Any] | None, dict[str, Any], dict[str, list]]:
            record = self.read_record()
            known = {**start, **(self.values_from_record(record) if record else {})}
            return record, known, {f.name: resolve_choices(f, known) for f in self.fields
                                   if callable(f.choices)}

        self.call_service(read, done=self._loaded, failed=self._failed,
                          notify_errors=False)

    def _loaded(self, result: tuple[dict[str, Any] | None, dict[str, Any], dict]) -> None:
        record, self.known, choices = result
        if record is not None:
            self.version = record.get("version")
            if self.label_field:
                self.query_one("#form-title", Static).update(template(
                    "$title: [b]$name[/b]", title=self.form_title, name=record[self.label_field]))
        self._set_line("#form-info", self.info(record))
        self._apply_choices(choices)
        self._fill(self.known)
        self.query_one("#form-body").disabled = False
        self._set_line("#form-stale", None)
        if not self.ready and self.record_id is not None and self.record_name is not None:
            self.start_live_refresh(self._check_stale)
        self.ready = True
        self.field(self.FOCUS or self.fields[0].name).focus()

    def _check_stale(self) -> None:
        """Someone saved: say so on a line of its own; what the user typed is left alone."""
        name, record_id = self.record_name, self.record_id

        def said(record: dict[str, Any]) -> None:
            if self.is_attached and record.get("version") != self.version:
                self._set_line("#form-stale", template(
                    "Changed by [b]$who[/b] at $when since you opened it: saving merges other "
                    "fields and asks about the ones you both changed.", who=record["updated_by"],
                    when=local_text(record["updated_at"], self.ctx.zone)))

        self.call_service(records.get, name, record_id, done=said, notify_errors=False)

    def _apply_choices(self, choices: dict[str, list[tuple[Any, Any]]]) -> None:
        for name, options in choices.items():
            self._legal[name] = [value for _, value in options]
            set_choices(self._fields[name], self.field(name), options)

    def _fill(self, values: dict[str, Any]) -> None:
        """Put ``values`` into the widgets; the result counts as unchanged."""
        for field in self.fields:
            value = values.get(field.name)
            put_value(field, self.field(field.name), value, self._legal[field.name])
            if any(f.depends_on == field.name for f in self.fields):
                self._dep_seen[field.name] = value
        self._baseline = self.collect()
        self._show_errors({}, focus=False)

    def collect(self) -> dict[str, Any]:
        """What the widgets hold now: text as shown, choices as values (None when blank)."""
        return {f.name: read_value(f, self.field(f.name)) for f in self.fields}

    @property
    def changed(self) -> bool:
        """True when the user changed something since the form was filled."""
        return self.ready and self.collect() != self._baseline

    def to_save(self) -> dict[str, Any]:
        """What a save sends: every field of a new record; of an edit, only the changed ones.

        The widgets show stored text cleaned of control characters; sending an untouched
        field back would store the cleaned text over the real one (``O\x92Brien`` would
        become ``O\ufffdBrien``), and would overwrite fields someone else changed meanwhile.
        """
        values = self.collect()
        if self.record_id is None:
            return values
        changed = {name: value for name, value in values.items()
                   if value != self._baseline.get(name)}
        if "tags" in changed:  # the tags shown: only what the user added or removed is saved
            changed[records.TAGS_READ] = self._baseline.get("tags")
        return changed

    @on(Select.Changed)
    def _dependency_changed(self, event: Select.Changed) -> None:
        name = (event.select.id or "").removeprefix("f-")
        dependents = [f for f in self.fields if f.depends_on == name and callable(f.choices)]
        value = None if event.value is Select.NULL else event.value
        if not self.ready or not dependents or self._dep_seen.get(name) == value:
            return
        self._dep_seen[name] = value
        known = {**self.known, name: value}

        def read() -> dict[str, list[tuple[Any, Any]]]:
            return {f.name: resolve_choices(f, known) for f in dependents}

        self.call_service(read, done=self._apply_choices, notify_errors=False)

    def save(self, values: dict[str, Any]) -> Callable[[], Any]:
        """The service call that stores ``values``, as a no-argument callable."""
        raise NotImplementedError

    def result_of(self, result: Any) -> int | None:
        """What the form dismisses with: the edited record's id, else the service's result."""
        return self.record_id if self.record_id is not None else result

    def action_save(self) -> None:
        """Check quickly, then save in a worker (ctrl+s)."""
        if not self.ready or self._saving:
            return
        values, shown = self.to_save(), self.collect()
        errors = {f.name: r for f in self.fields if (f.name in values or f.required)
                  and (r := quick_check(f, shown[f.name]))}
        self._show_errors(errors)
        if errors:  # the service's reasons for the other fields too: all in one save
            self._check_all(values, errors)
            return
        if not values:
            self.dismiss(self.result_of(None))  # an edit with nothing changed: nothing to store
            return
        if question := self._new_person(values):
            from relboard.screens.confirm import ConfirmDialog

            self.app.push_screen(ConfirmDialog(question),
                                 lambda yes: self._run_save(values) if yes else None)
            return
        self._run_save(values)

    def _new_person(self, values: dict[str, Any]) -> str | None:
        """The question to ask when a person field (``PERSON_FIELDS``) names someone not on
        the team (its suggestions), with the near names; None when all are known."""
        from relboard.services.team import near_names
        from relboard.text import safe

        for name in PERSON_FIELDS:
            value = str(values.get(name) or "").strip()
            known = [str(k) for k in self._legal.get(name, [])]
            if name in self._fields and value and known and value not in known:
                near = near_names(value, known)
                hint = f" (did you mean {' or '.join(near)}?)" if near else ""
                return f"“{safe(value)}” is not on the team{hint}; save anyway?"
        return None

    def _check_all(self, values: dict[str, Any], quick: dict[str, str]) -> None:
        """Add to the form's own ``quick`` errors every other one the service finds in
        ``values`` (``records.problems``, in a worker; nothing is stored)."""
        name = self.CHECKED_AS or self.record_name
        if not name:
            return
        rest = {key: value for key, value in values.items() if key not in quick}
        ctx, record_id = self.ctx, self.record_id
        first = next((f.name for f in self.fields if f.name in quick), None)

        def said(found: dict[str, str]) -> None:
            if not self.is_attached or not found or self._saving:
                return
            where = self.app.focused
            still = first is not None and where is self.field(first)
            self._show_errors({**found, **quick}, focus=still)

        self.call_service(lambda: records.problems(ctx, name, rest, record_id), done=said,
                          failed=lambda exc: None, notify_errors=False, parallel=True)

    def _run_save(self, values: dict[str, Any]) -> None:
        self._saving = True
        self._set_line("#form-error", "Saving…")
        self.call_service(self.save(values), done=self._saved, failed=self._failed,
                          notify_errors=False)

    def _saved(self, result: Any) -> None:
        self._saving = False
        if self.is_attached:
            self.dismiss(self.result_of(result))

    def _failed(self, exc: ServiceError) -> None:
        self._saving = False
        if isinstance(exc, ValidationError):
            self._show_errors(exc.errors)
        elif isinstance(exc, ConflictError) and self.record_id is not None:
            self._set_line("#form-error", "Not saved: the record changed meanwhile.")
            self.app.push_screen(ConflictDialog(exc.changed_by, exc.changed_at, exc.fields),
                                 lambda choice: self._conflict_choice(choice, exc))
        else:
            what = "not saved" if self.ready else "cannot open the form"
            busy = "Database busy, " if isinstance(exc, BusyError) else ""
            self._set_line("#form-error", f"{busy or 'Sorry, '}{what}: {exc}")

    def _conflict_choice(self, choice: str | None, exc: ConflictError) -> None:
        if choice == "overwrite":
            self.version = exc.current_version
            self._run_save(self.to_save())
        elif choice == "reload":
            self._load()

    def _set_line(self, selector: str, text: Any) -> None:
        line = self.query_one(selector, Static)
        line.update(content(text or "") if text is None or isinstance(text, str) else text)
        line.set_class(not text, "-empty")
        if selector.startswith("#form-") and self.is_attached:
            self.call_after_refresh(self._fit_body)  # a line above or below: fewer rows

    def action_cancel(self) -> None:
        """Close (escape); a changed form asks before its changes are dropped."""
        if self._saving:
            return  # the save decides: it closes the form or says why not
        if not self.changed:
            self.dismiss(None)
            return
        self.app.push_screen(ConfirmDialog("Discard your changes?"),
                             lambda yes: self.dismiss(None) if yes else None)

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()
