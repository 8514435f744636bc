"""One computation at a time per key, and one more after it when asked for meanwhile.

A screen that works something slow out again on every refresh (the Portfolio's figures: 0.5 s
at 1M records) must not drop the computation under way for a new one: when others save more
often than it takes, a screen that always starts over never shows anything. Asked for again
while one runs, it is started once more when that one ends (however often it was asked for
meanwhile: one more is enough to show what was saved).
"""

from __future__ import annotations

from collections.abc import Hashable


class OneAtATime:
    """Which key's computation is under way, and whether it was asked for again."""

    def __init__(self) -> None:
        self.running: tuple[Hashable] | None = None
        """(key,) while a computation for ``key`` runs."""
        self.again = False

    def ask(self, key: Hashable) -> bool:
        """Whether to start a computation for ``key`` now. False: one for ``key`` is under
        way, and ``ended`` will say to start it once more. A computation for another key
        replaces the one under way (its answer is then dropped by the caller)."""
        if self.running == (key,):
            self.again = True
            return False
        self.running, self.again = (key,), False
        return True

    def ended(self, key: Hashable) -> bool:
        """The computation for ``key`` ended (shown or failed): whether to start it again."""
        if self.running != (key,):
            return False
        again, self.running, self.again = self.again, None, False
        return again
