"""The board starts without pauses of the garbage collector.

Starting the board makes objects that live as long as it does (the modules of Textual,
Peewee and relboard, their classes, Today's widgets) and hardly any garbage. Python's
collector still walks them all, again and again as they pile up: about 30 ms of the ~400 ms to
Today's first paint. ``hold`` turns it off for the start (the board only; a command keeps
it); ``release`` turns it on once Today is on the screen, after ``gc.freeze``: what start-up
made moves to the permanent generation, so no later collection walks it either.
"""

from __future__ import annotations

import gc

_held = False


def hold() -> None:
    """Stop collecting until ``release`` (nothing happens when collection is already off)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release() -> None:
    """Collect again, what exists now frozen; only undoes ``hold``, and only once."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()
