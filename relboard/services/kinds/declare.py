"""What a record kind is, said once: its fields (rules and labels), its file section, what of
it is searchable, its profile tab and its form.

Plain data (no database query, no Textual): ``relboard.services.kinds`` lists the declared
kinds, and the import/export sections, the audit labels, the search index, the read-only
guard, the profile's record tabs and the generic form are all worked out from it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from relboard import models as m
from relboard.services.spec import F

SCALE_1_5 = (("1 very low", 1), ("2 low", 2), ("3 medium", 3), ("4 high", 4), ("5 very high", 5))
"""A 1-5 rating with words (a stakeholder's influence and interest, a risk's likelihood)."""

REFERS_TO = {"raised_by": "contact", "customer_owner": "contact", "run": "playbook_run"}
"""A reference field named otherwise than the kind it names (an issue's ``raised_by`` and a
risk's ``customer_owner`` are stakeholders of the record's customer; a playbook step's
``run`` is its customer's playbook run)."""


def ref_kind(field_name: str) -> str:
    """The kind of record the reference field ``field_name`` names."""
    return REFERS_TO.get(field_name, field_name)


Check = Callable[[dict[str, Any]], dict[str, str]]
"""A cross-field check: the record's values -> {field: reason} (empty when fine)."""


@dataclass(frozen=True)
class Search:
    """What of a kind "Search everything" finds: a headline (ranked higher) and other text.

    ``code`` (1..7) numbers the kind in SQLite's index (rowid = id * 8 + code): never reuse
    one. ``said`` is the kind as a PM says it in a hit ("stakeholder")."""

    code: int
    title: tuple[str, ...]
    body: tuple[str, ...] = ()
    said: str = ""
    customer: str = "customer_id"  # the column naming the record's customer


@dataclass(frozen=True)
class Input:
    """One field of a kind's form. The label is the field's (``Kind.label``); ``kind``
    defaults to the field rule's (text, longtext, int, date, datetime, choice, bool).

    ``choices``: ``(label, value)`` pairs, or a callable ``(ctx, customer_id)`` -> pairs that
    the form runs in a worker (a customer's stakeholders, the known owners)."""

    name: str
    kind: str = ""
    required: bool = False
    choices: Any = ()
    placeholder: str = ""
    help: str = ""


@dataclass(frozen=True)
class Form:
    """A kind's form on the profile: its titles (new, edit), inputs in order, values a new
    record starts with, the date fields a new record sets to today, the field that starts
    with the user's name, the field focused first and the field shown in an edit's title.
    ``screen``: ``module:Class`` of a form of its own (else the generic one)."""

    titles: tuple[str, str]
    inputs: tuple[Input, ...] = ()
    initial: dict[str, Any] = field(default_factory=dict)
    today: tuple[str, ...] = ()
    me: str = ""
    focus: str | None = None
    screen: str = ""


@dataclass(frozen=True)
class Column:
    """One column of a profile tab's table: the row key, its header and width."""

    key: str
    header: str
    width: int
    flex: bool = False


@dataclass(frozen=True)
class Tab:
    """Where a kind is listed on a customer's profile and how.

    ``name``: the list's name (``referrals``; its table is ``#referrals-table``).
    ``pane``/``title``: the tab (kinds naming the same pane share it, each under its
    ``heading``). ``read(ctx, customer_id)`` -> rows (a short list, read whole), or
    ``page(ctx, customer_id=, after=, limit=)`` -> a ``Page``; either may be named
    ``"module:function"`` under ``relboard.services`` (a service that itself uses the kinds,
    imported when the tab is first read: no import circle). ``cells``: the name of a row
    formatter in ``screens/profile_cells.py`` (else each column's value as text). ``new``:
    ``(key, footer word)`` of the profile key that adds one (else ``n`` on the tab).
    ``legend`` under the table; ``above``: the id of a line above it the screen fills."""

    name: str
    pane: str
    title: str
    columns: tuple[Column, ...]
    read: Callable[..., list[dict[str, Any]]] | str | None = None
    page: Callable[..., Any] | str | None = None
    cells: str = ""
    new: tuple[str, str] | None = None
    heading: str = ""
    legend: str = ""
    above: str = ""

    def reader(self) -> Callable[..., Any] | None:
        """The function that reads the list (``read``, else ``page``), imported if named."""
        found = self.read or self.page
        if isinstance(found, str):
            module, name = found.split(":")
            return getattr(importlib.import_module(f"relboard.services.{module}"), name)
        return found

    @property
    def table(self) -> str:
        """The id of the list's table (``referrals-table``)."""
        return f"{self.name}-table"


@dataclass(frozen=True)
class Kind:
    """One kind of record, declared once.

    ``section``: its list in an import/export file (None: not in files). ``editable``: a
    record kind the services create and change (versioned, audit logged); the file-only
    kinds (the audit log, snoozes) are not. ``title``: the field that names a record in the
    audit log. ``check``/``derive``: cross-field rules and stored columns worked out from
    the fields (kept by every save and by an import). ``save_check``: a rule for what people
    save (forms, command line, services), which an import of older data does not apply
    (a red risk's owner and review date)."""

    name: str
    model: type[m.BaseModel]
    rules: dict[str, F]
    section: str | None = None
    editable: bool = True
    title: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    check: Check | None = None
    save_check: Check | None = None
    derive: Callable[[dict[str, Any]], dict[str, Any]] | None = None
    search: Search | None = None
    tab: Tab | None = None
    form: Form | None = None

    def label(self, field_name: str) -> str:
        """What people call ``field_name`` of this kind (forms, History, messages)."""
        return (self.labels.get(field_name)
                or field_name.replace("_", " ").strip().capitalize())

    def rows(self, customer_id: int) -> list[dict[str, Any]]:
        """A customer's records of this kind for its tab when it declares no reader."""
        from relboard.services.profile_lists import records_of

        return records_of(self.model, customer_id)

    @property
    def new_action(self) -> str:
        """The profile action that adds one (``new_referral``): a write action."""
        return f"new_{self.name}"
