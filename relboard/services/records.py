"""Create, read, update and archive any entity: validated, optimistic, and logged.

Every write is one short ``BEGIN IMMEDIATE`` transaction (``db.write``) that also records an
Activity row per changed field. ``update`` takes the version the caller read; if somebody saved
in between it raises ``ConflictError`` naming them and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from relboard import models as m
from relboard.db import write
from relboard.domain import severity_name
from relboard.services import account_owners, clocks, journal, tags
from relboard.services.context import Context
from relboard.services.entities import Entity, entity
from relboard.services.errors import ConflictError, NotFoundError, ValidationError
from relboard.services.kinds import RECORD_KINDS
from relboard.services.kinds.declare import ref_kind
from relboard.services.spec import clean_parts, shown

_CUSTOMER_CHILDREN = ("project", "raised_by", "customer_owner", "contact", "expectation",
                      "run")


def log(ctx: Context, name: str, record_id: int, action: str, field: str = "",
        old: str | None = None, new: str | None = None, version: int | None = None) -> None:
    """Append one Activity row (inside the caller's transaction); ``version``: the record's
    version this change made, which lets a later save tell whose fields changed."""
    m.Activity.create(at=ctx.now(), user=ctx.user, entity=name, entity_id=record_id,
                      action=action, field=field, old=old, new=new, version=version)


def changed_since(name: str, record_id: int, read: int, current: int) -> set[str] | None:
    """The fields others changed between version ``read`` and ``current`` of a record.

    None when the audit log cannot tell (rows from before schema 5, or an import that kept
    versions without their trail): the caller must then treat every field as changed.
    """
    a = m.Activity
    rows = list(a.select(a.version, a.field)
                .where((a.entity == name) & (a.entity_id == record_id)
                       & (a.version > read) & (a.version <= current)).tuples())
    if {version for version, _ in rows} != set(range(read + 1, current + 1)):
        return None
    return {field for _, field in rows}


def _stored_owner(kind: str, record_id: int) -> int | None:
    """The customer of a stored project, contact, expectation or playbook run."""
    model = {"project": m.Project, "contact": m.Contact, "expectation": m.Expectation,
             "playbook_run": m.PlaybookRun}[kind]
    return model.select(model.customer).where(model.id == record_id).scalar()


def same_customer(values: dict[str, Any],
                  owner_of: Callable[[str, int], int | None] = _stored_owner) -> dict[str, str]:
    """Linked projects/contacts/expectations must belong to the record's customer.

    ``owner_of(kind, id)`` finds a linked record's customer: by default a query; an import
    passes the records of its own file.
    """
    errors = {}
    customer_id = values.get("customer")
    for key in _CUSTOMER_CHILDREN:
        ref_id = values.get(key)
        if ref_id is None or customer_id is None:
            continue
        owner = owner_of(ref_kind(key), ref_id)
        if owner != customer_id:
            errors[key] = f"belongs to another customer (#{owner})"
    return errors


def _both(first: Any, second: Any) -> Callable[[dict[str, Any]], dict[str, str]]:
    checks = [check for check in (first, second) if check]
    return lambda values: {key: reason for check in checks
                           for key, reason in check(values).items()}


CHECKS: dict[str, Callable[[dict[str, Any]], dict[str, str]]] = {
    k.name: _both(k.check, k.save_check) for k in RECORD_KINDS if k.check or k.save_check}
"""Each kind's cross-field checks (``Kind.check``, kept by every save and by an import, and
``Kind.save_check``, kept by every save here)."""

DERIVED: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    k.name: k.derive for k in RECORD_KINDS if k.derive}
"""Stored columns worked out from a record's fields (a risk's score, which the register
sorts on): kept by every insert and change here, and by an import (``Kind.derive``)."""


def _check_record(ent: Entity, merged: dict[str, Any],
                  errors: dict[str, str] | None = None) -> None:
    """Raise every problem at once: ``errors`` already found in single fields, and the
    cross-field ones of ``merged`` (the good fields) on the fields not already refused."""
    errors = dict(errors or {})
    found = same_customer(merged) if "customer" in ent.rules else {}
    if ent.name in CHECKS:
        found.update(CHECKS[ent.name](merged))
    errors.update({key: reason for key, reason in found.items() if key not in errors})
    if errors:
        raise ValidationError(errors)


def problems(ctx: Context, name: str, values: dict[str, Any],
             record_id: int | None = None) -> dict[str, str]:
    """Every reason a form's ``values`` for ``name`` (a new one, or #``record_id``) would be
    refused, field by field and across fields, without storing anything (empty: none).

    A form asks this when its own checks already found something, so that one save says all.
    Keys the entity does not have (a form's own fields) are left to the form.
    """
    ent = entity(name)
    given = {key: value for key, value in values.items() if key in ent.rules}
    data, errors = clean_parts(ent.rules, given, partial=True, allow_fixed=True,
                               zone=ctx.zone, today=ctx.today(), now=ctx.now())
    if name in tags.TAGGED and (why := tags.problem(values.get("tags"))):
        errors["tags"] = why
    before = _stored(fetch(name, record_id), ent) if record_id is not None else {}
    try:
        _check_record(ent, {**before, **data}, errors)
    except ValidationError as exc:
        return exc.errors
    return {}


def _stored(row: m.Editable, ent: Entity) -> dict[str, Any]:
    data = {}
    for name in ent.rules:
        field = ent.model._meta.fields[name]
        data[name] = getattr(row, field.column_name if hasattr(field, "rel_model") else name)
    return data


def fetch(name: str, record_id: int) -> m.Editable:
    """The model row of ``name`` #``record_id`` or NotFoundError."""
    ent = entity(name)
    row = ent.model.get_or_none(ent.model.id == record_id)
    if row is None:
        raise NotFoundError(name, record_id)
    return row


def get(name: str, record_id: int) -> dict[str, Any]:
    """One record as a plain dict: its fields (foreign keys as ids), id, version and stamps."""
    ent = entity(name)
    row = fetch(name, record_id)
    data = _stored(row, ent)
    if data.get("severity") is not None:  # stored as its rank, given out as its name
        data["severity"] = severity_name(data["severity"])
    data.update(id=row.id, version=row.version, created_at=row.created_at,
                created_by=row.created_by, updated_at=row.updated_at, updated_by=row.updated_by)
    return data


def fill_defaults(ent: Entity, data: dict[str, Any], *, creating: bool) -> None:
    """Blank values of columns that cannot be empty: the default on create, else an error."""
    errors = {}
    for key, value in list(data.items()):
        field = ent.model._meta.fields[key]
        if value is None and not field.null:
            if creating and field.default is not None:
                data[key] = field.default
            else:
                errors[key] = "is required"
    if errors:
        raise ValidationError(errors)


def insert(ctx: Context, name: str, values: dict[str, Any], *, fixed: bool = False,
           defaults: dict[str, Any] | None = None) -> int:
    """Validate and insert inside the current transaction; return the new id. A tagged kind
    (``tags.TAGGED``) may carry ``tags`` (``tags.parse``) among the values."""
    ent = entity(name)
    values, names, errors = _split_tags(name, values)
    data, found = clean_parts(ent.rules, values, partial=False, allow_fixed=fixed,
                               zone=ctx.zone, today=None if fixed else ctx.today(),
                               now=None if fixed else ctx.now())
    errors.update(found)
    for key, value in (defaults or {}).items():
        if data.get(key) is None and key not in errors:
            data[key] = value
    if not errors:
        fill_defaults(ent, data, creating=True)
    _check_record(ent, data, errors)  # every field's problem and the record's, at once
    now = ctx.now()
    derived = DERIVED[name](data) if name in DERIVED else {}
    row = ent.model.create(**data, **derived, version=1, created_at=now, created_by=ctx.user,
                           updated_at=now, updated_by=ctx.user)
    log(ctx, name, row.id, "create", new=ent.label(row), version=1)
    if names:
        tags.store(ctx, name, row.id, names, "create")
    journal.note_create(name, row.id)
    _keep_clocks(name, row.id, sla=ctx.sla)
    return row.id


TAGS_READ = "tags_read"
"""The key of an edit's ``changes`` holding the tags its editor read (see ``update``)."""


def _split_tags(name: str, values: dict[str, Any]
                ) -> tuple[dict[str, Any], tuple[str, ...] | None, dict[str, str]]:
    """``values`` without ``tags``, the tags given (None: not given) and why they are
    refused (``{"tags": reason}``). Only a tagged kind takes them (else an unknown field)."""
    if name not in tags.TAGGED or "tags" not in values:
        return values, None, {}
    values = dict(values)
    try:
        return values, tags.parse(values.pop("tags")), {}
    except ValueError as exc:
        return values, None, {"tags": str(exc)}


def _keep_clocks(name: str, record_id: int, before: dict[str, Any] | None = None,
                 changed: Any = None, sla: Any = None) -> None:
    """Today's stored clocks follow a saved issue or touchpoint, or a customer's tier; the
    stored account owner of a stakeholder, issue, touchpoint or risk follows its customer's
    owner (``services.clocks``, ``services.account_owners``; ``sla``: the settings whose
    working hours count)."""
    if name == "issue":
        clocks.refresh_issue(record_id, {**before, **changed} if before and changed else None,
                             sla)
    elif name == "customer" and changed is not None:
        if "tier" in changed:
            from relboard.services.clock_sync import tier_changed

            tier_changed(record_id, (before or {}).get("tier"), sla)
        if "owner" in changed:
            account_owners.refresh(customer_ids=[record_id])
    elif name == "interaction" and (changed is None
                                    or {"occurred_at", "internal", "customer"} & set(changed)):
        clocks.refresh_interaction(record_id, (before or {}).get("customer"))
    model = account_owners.BY_KIND.get(name)
    if model is not None and (changed is None or "customer" in changed):
        account_owners.refresh(records={model: [record_id]})


def create(ctx: Context, name: str, values: dict[str, Any]) -> int:
    """Create a record of entity ``name`` from user values; return its id."""
    return write(lambda: insert(ctx, name, values))


def change(ctx: Context, name: str, record_id: int, version: int, data: dict[str, Any],
           action: str = "update", row: m.Editable | None = None) -> int:
    """Apply already-clean ``data`` inside the current transaction; return the new version.

    ``version`` is the one the caller read. If others saved since, their changes and these
    merge when they touched other fields; a field both changed (or a gap the audit log cannot
    explain) is a ``ConflictError`` that shows both values. Logs each changed field, and bumps
    the version only when something changed.
    """
    ent = entity(name)
    row = fetch(name, record_id) if row is None else row  # ``row``: read by the caller
    before = _stored(row, ent)
    version = journal.based_on(name, record_id, version)  # never a conflict with oneself
    if row.version != version:
        theirs = changed_since(name, record_id, version, row.version)
        clash = set(data) if theirs is None else set(data) & theirs
        if clash:
            raise ConflictError(name, record_id, row.updated_by, ctx.local(row.updated_at),
                                row.version, fields={
                                    k: (shown(ent.rules[k], before.get(k)),
                                        shown(ent.rules[k], data[k])) for k in sorted(clash)})
        version = row.version  # others changed other fields: this change goes on top
    diff = {k: v for k, v in data.items() if before.get(k) != v}
    if not diff:
        return row.version
    _check_record(ent, {**before, **diff})
    model = ent.model
    derived = DERIVED[name]({**before, **diff}) if name in DERIVED else {}
    updated = (
        model.update(**diff, **derived, version=model.version + 1, updated_at=ctx.now(),
                     updated_by=ctx.user)
        .where((model.id == record_id) & (model.version == version))
        .execute()
    )
    if updated != 1:  # pragma: no cover - the IMMEDIATE lock makes this unreachable on SQLite
        fresh = fetch(name, record_id)
        raise ConflictError(name, record_id, fresh.updated_by, ctx.local(fresh.updated_at),
                            fresh.version)
    journal.note_change(name, record_id, {k: before.get(k) for k in diff}, diff, version + 1)
    for key, value in diff.items():
        rule = ent.rules[key]
        log(ctx, name, record_id, action, key, shown(rule, before.get(key)), shown(rule, value),
            version + 1)
    _keep_clocks(name, record_id, before, diff, ctx.sla)
    return version + 1


def update(ctx: Context, name: str, record_id: int, version: int,
           changes: dict[str, Any]) -> int:
    """Change user-editable fields of a record read at ``version``; return the new version.
    ``tags`` (a tagged kind) replaces the record's tags in the same transaction (a tag
    change is audit logged but makes no version: tags are not part of the optimistic lock).
    With ``tags_read`` (``TAGS_READ``: the tags the editor was shown), only the tags the
    editor added and removed are applied to the stored ones: two PMs tagging one record at
    once both keep their tags."""
    ent = entity(name)
    changes = dict(changes)
    read = changes.pop(TAGS_READ, None)
    changes, names, errors = _split_tags(name, changes)
    data, found = clean_parts(ent.rules, changes, partial=True, zone=ctx.zone,
                              today=ctx.today(), now=ctx.now())
    errors.update(found)
    if errors:  # say the cross-field problems of the good fields too, at once
        _check_record(ent, {**_stored(fetch(name, record_id), ent), **data}, errors)
    fill_defaults(ent, data, creating=False)

    def run() -> int:
        new = change(ctx, name, record_id, version, data)
        before = tags.of(name, record_id) if names is not None else ()
        wanted = names if names is None or read is None else tags.merged(before, read, names)
        if wanted is not None and tags.store(ctx, name, record_id, wanted):
            journal.note_retag(name, record_id, before, wanted)
        return new

    return write(run)


def set_archived(ctx: Context, name: str, record_id: int, version: int,
                 archived: bool = True) -> int:
    """Archive (or restore) a customer, contact or project; return the new version."""
    ent = entity(name)
    if "archived" not in ent.rules:
        raise ValidationError("archived", f"a {name} cannot be archived")
    action = "archive" if archived else "restore"
    return write(lambda: change(ctx, name, record_id, version, {"archived": archived}, action))


def history(name: str, record_id: int, limit: int = 200) -> list[dict[str, Any]]:
    """The record's Activity rows, newest first."""
    a = m.Activity
    query = (a.select(a.at, a.user, a.action, a.field, a.old, a.new)
             .where((a.entity == name) & (a.entity_id == record_id))
             .order_by(a.at.desc(), a.id.desc()).limit(limit))
    return list(query.dicts())
