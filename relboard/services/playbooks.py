"""Playbooks: a configured series of steps (``playbooks:``) applied to a customer from a start
date. Each step becomes a planned follow-up (``PlaybookStep``) due ``after_days`` after the
start, or, repeating, first ``every_days`` after it; Today lists the steps due (with the
follow-ups), logging the touchpoint of a step marks it done (in the touchpoint's
transaction), and a repeating step done plans its next occurrence. A playbook runs once per
customer."""

from __future__ import annotations

import datetime as _dt
import difflib
from dataclasses import dataclass
from typing import Any, cast

from peewee import IntegrityError

from relboard import models as m
from relboard.config import PlaybookConfig
from relboard.db import write
from relboard.services import records
from relboard.services.context import Context
from relboard.services.errors import ValidationError
from relboard.services.spec import parse_date


def find(ctx: Context, name: str) -> PlaybookConfig:
    """The configured playbook ``name`` (any case); ValidationError (``playbook``) naming the
    near and the known ones otherwise."""
    known = [p.name for p in ctx.playbooks]
    if not known:
        raise ValidationError("playbook", "no playbooks are configured (add playbooks: to the "
                                          "config; relboard check shows where it is)")
    found = {p.name.casefold(): p for p in ctx.playbooks}.get(name.strip().casefold())
    if found is None:
        near = difflib.get_close_matches(name.strip(), known, n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        raise ValidationError("playbook", f"no playbook {name.strip()!r}{hint} (playbooks: "
                                          f"{', '.join(known)})")
    return found


def plan(playbook: PlaybookConfig, start: _dt.date) -> list[dict[str, Any]]:
    """The steps of ``playbook`` started on ``start``, each with its position and due date."""
    return [{"position": n, "do": step.do, "every_days": step.every_days,
             "due_on": start + _dt.timedelta(days=step.after_days if step.every_days is None
                                             else step.every_days)}
            for n, step in enumerate(playbook.steps, start=1)]


def _start(ctx: Context, start: Any) -> _dt.date:
    try:
        day = parse_date(start, ctx.today())
    except ValueError:
        raise ValidationError("started_on", "must be a date like 2026-11-30, +3d, tomorrow "
                                            "or a weekday") from None
    return ctx.today() if day is None else day


def apply(ctx: Context, customer_id: int, name: str, start: Any = None) -> int:
    """Apply the playbook ``name`` to the customer from ``start`` (default today: a date,
    ``+3d``, ``monday``); the run's id. Refused (ValidationError) when it is applied to the
    customer already."""
    playbook = find(ctx, name)
    day = _start(ctx, start)

    def run() -> int:
        customer = cast(m.Customer, records.fetch("customer", customer_id))
        _not_applied(customer, playbook.name)
        try:
            run_id = records.insert(ctx, "playbook_run", {
                "customer": customer_id, "name": playbook.name, "started_on": day})
        except IntegrityError:  # pragma: no cover - another PM applied it this instant
            raise ValidationError("playbook", _already(customer.name, playbook.name)) from None
        for step in plan(playbook, day):
            records.insert(ctx, "playbook_step", {**step, "run": run_id,
                                                  "customer": customer_id})
        return run_id

    return write(run)


def _already(customer: str, name: str, started: _dt.date | None = None) -> str:
    since = f" (started {started:%Y-%m-%d})" if started else ""
    return (f"{name} is already applied to {customer}{since}; a playbook runs once per "
            "customer")


def _not_applied(customer: m.Customer, name: str) -> None:
    r = m.PlaybookRun
    started = (r.select(r.started_on).where((r.customer == customer.id) & (r.name == name))
               .scalar())
    if started is not None:
        raise ValidationError("playbook", _already(customer.name, name, parse_date(started)))


def next_due(due: _dt.date, every: int, done_on: _dt.date) -> _dt.date:
    """A repeating step's next occurrence after one due on ``due`` was done on ``done_on``:
    the schedule kept (``due`` + n x ``every``), the first date after the day it was done."""
    day = due + _dt.timedelta(days=every)
    if day <= done_on:
        day += _dt.timedelta(days=every * ((done_on - day).days // every + 1))
    return day


def mark_done(ctx: Context, step_id: int, version: int,
              interaction_id: int | None = None) -> int:
    """Inside the caller's transaction: the step done now (by touchpoint
    ``interaction_id``), and a repeating step's next occurrence planned; the new version."""
    row = cast(m.PlaybookStep, records.fetch("playbook_step", step_id))
    if row.done_at is not None:
        raise ValidationError("step", "this playbook step is already done")
    if interaction_id is not None and m.Interaction.select(m.Interaction.customer).where(
            m.Interaction.id == interaction_id).scalar() != cast(Any, row).customer_id:
        raise ValidationError("step", "the touchpoint is another customer's")
    new_version = records.change(ctx, "playbook_step", step_id, version,
                                 {"done_at": ctx.now(), "done_interaction": interaction_id},
                                 action="done")
    if row.every_days:
        records.insert(ctx, "playbook_step", {
            "run": cast(Any, row).run_id, "customer": cast(Any, row).customer_id,
            "position": row.position, "do": row.do, "every_days": row.every_days,
            "due_on": next_due(row.due_on, row.every_days, ctx.today())})
    return new_version


def complete(ctx: Context, step_id: int, version: int) -> int:
    """Mark a step done without a touchpoint; the new version."""
    return write(lambda: mark_done(ctx, step_id, version))


def reschedule(ctx: Context, step_id: int, version: int, day: Any) -> int:
    """Move an open step to a later date (snoozing it on Today); the new version."""
    try:
        new_day = parse_date(day)
    except ValueError:
        raise ValidationError("due_on", "must be a date like 2026-11-30") from None
    if new_day is None or new_day <= ctx.today():
        raise ValidationError("due_on", "must be after today")
    return records.update(ctx, "playbook_step", step_id, version, {"due_on": new_day})


def steps_of(run_id: int) -> list[dict[str, Any]]:
    """The steps of a run in order (with the run's ``started_on``): position, what to do,
    due date, repeat, done."""
    r, s = m.PlaybookRun, m.PlaybookStep
    started = parse_date(r.select(r.started_on).where(r.id == run_id).scalar())
    return [{**row, "due_on": parse_date(row["due_on"]), "started_on": started}
            for row in s.select(s.id, s.position, s.do, s.due_on, s.every_days, s.done_at)
            .where(s.run == run_id).order_by(s.position, s.due_on, s.id).dicts()]


@dataclass(frozen=True)
class Progress:
    """How far a customer's playbook run is: its steps (positions), how many are done (a
    repeating step once it was done once), and the next open step."""

    run_id: int
    name: str
    started_on: _dt.date
    steps: int
    done: int
    next_do: str | None
    next_due: _dt.date | None

    def text(self) -> str:
        """"onboarding: 2 of 3 steps done, next: Check-in on 2026-12-10"."""
        line = f"{self.name}: {self.done} of {self.steps} steps done"
        if self.next_do is not None and self.next_due is not None:
            line += f", next: {self.next_do} on {self.next_due:%Y-%m-%d}"
        return line


def progress(customer_id: int) -> list[Progress]:
    """The customer's playbook runs, by start date, each with its progress."""
    r, s = m.PlaybookRun, m.PlaybookStep
    runs = list(r.select(r.id, r.name, r.started_on).where(r.customer == customer_id)
                .order_by(r.started_on, r.id).tuples())
    if not runs:
        return []
    steps: dict[int, list[tuple[int, str, _dt.date, Any]]] = {}
    for run, position, do, due, done in (
            s.select(s.run, s.position, s.do, s.due_on, s.done_at)
            .where(s.run.in_([run_id for run_id, _, _ in runs]))
            .order_by(s.run, s.due_on, s.position, s.id).tuples()):
        steps.setdefault(run, []).append((position, do, parse_date(due), done))
    out = []
    for run_id, name, started in runs:
        mine = steps.get(run_id, [])
        positions = {position for position, _, _, _ in mine}
        done = {position for position, _, _, finished in mine if finished is not None}
        following = next(((do, due) for _, do, due, finished in mine if finished is None),
                         (None, None))
        out.append(Progress(run_id, name, parse_date(started) or started, len(positions),
                            len(done), *following))
    return out
