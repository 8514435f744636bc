"""The board starts without pauses of the garbage collector.

Starting the board makes objects that live as long as it does (the modules of Textual,
Peewee and relboard, their classes, Today's widgets) and hardly any garbage. Python's
collector still walks them all, again and again as they pile up: about 30 ms of the ~400 ms to
Today's first paint. ``hold`` turns it off for the start (the board only; a command keeps
it); ``release`` turns it on once Today is on the screen, after ``gc.freeze``: what start-up
made moves to the permanent generation, so no later collection walks it either. What waits
for the first paint (``after_release``) runs then too.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

_held = False
_after: list[Callable[[], None]] = []


def after_release(then: Callable[[], None]) -> None:
    """Run ``then`` at the next ``release`` (once), held or not."""
    _after.append(then)


def hold() -> None:
    """Stop collecting until ``release`` (nothing happens when collection is already off)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release() -> None:
    """Collect again, what exists now frozen (only undoes ``hold``, and only once); then
    what waits for it (``after_release``), each one whatever an earlier one did: the first
    error is raised once all have run."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()
    failed: BaseException | None = None
    while _after:
        try:
            _after.pop(0)()
        except Exception as exc:  # noqa: BLE001 - raised below, after the others ran
            failed = failed or exc
    if failed is not None:
        raise failed
