"""``ScreenMixin`` and ``CallerScreenMixin``: the screens' mixins' bases, as type-checked.

A mixin such as ``TodayFeed`` or ``ProfileRecords`` is only ever mixed into a ``Screen``, and
calls the screen's methods (``query_one``, ``notify``, ``set_timer``). For the type checker it
derives from ``Screen``; at run time it derives from ``object``, as it always did, so the
screen's own bases keep their order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.screen import Screen as ScreenMixin

    from relboard.widgets.service_caller import ServiceCaller

    class CallerScreenMixin(ScreenMixin, ServiceCaller):
        """A mixin of a screen that is also a ``ServiceCaller`` (it calls ``call_service``)."""
else:
    ScreenMixin = CallerScreenMixin = object

__all__ = ["CallerScreenMixin", "ScreenMixin"]
