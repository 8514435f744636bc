"""A timer due in the past fires now, instead of spinning.

Textual's ``Timer`` loops for ever, holding the event loop, when its interval is negative
(it skips ahead by the number of intervals gone by, and with a negative interval that number
only falls). A toast makes one when its notification expires between the toast rack's check
and the toast's own reading of the time left: a busy machine froze a test run at 100% CPU
this way (2026-12-06). ``set_timer`` is made to take a delay of 0 or less as ``SOON``
(not 0: with no interval the same skipping divides by it).
"""

from __future__ import annotations

from typing import Any

from textual.message_pump import MessagePump

_ORIGINAL = MessagePump.set_timer
SOON = 0.001
"""The delay of a timer asked for at once or in the past, in seconds."""


def _set_timer(self: MessagePump, delay: float, *args: Any, **kwargs: Any) -> Any:
    """``MessagePump.set_timer`` with a delay of at least ``SOON``."""
    return _ORIGINAL(self, delay if delay > 0 else SOON, *args, **kwargs)


def install() -> None:
    """Make every ``set_timer`` of this process take a past delay as now (idempotent)."""
    if MessagePump.set_timer is not _set_timer:
        MessagePump.set_timer = _set_timer  # type: ignore[method-assign]
