"""One computation at a time per key, one more after it when asked for meanwhile, and a rest
after each before a refresh may start the next.

A screen that works something slow out again on every refresh (the Portfolio's figures: 0.5 s
at 1M records) must not drop the computation under way for a new one: when others save more
often than it takes, a screen that always starts over never shows anything. Asked for again
while one runs, it is started once more when that one ends (however often it was asked for
meanwhile: one more is enough to show what was saved).

Nor may it work all the time: on a busy board others save every second or two, and each open
Portfolio would then keep a core busy (every PM's, on the one shared server). With ``rest``,
a computation asked for by a refresh (``refresh=True``: others saved) waits until ``rest``
times the last one's duration has passed since it ended (``rest=9``: at most a tenth of the
time spent computing), and starts then, once, however many refreshes came meanwhile. A
computation the user asks for (opening, another view, ``ctrl+r``) starts at once. A quick
computation rests a moment: at 100k records (60 ms) a refresh waits half a second at most.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any

REST = 9.0
"""The house's rest: after a computation of ``d`` seconds, refreshes wait ``REST * d`` (a slow
screen computes at most a tenth of the time)."""

Schedule = Callable[[float, Callable[[], Any]], Any]
"""``schedule(seconds, callback)``: call ``callback`` once, that much later; returns a handle
with ``stop()`` (Textual's ``set_timer``)."""


class OneAtATime:
    """Which key's computation is under way, whether it was asked for again, and when a
    refresh may start the next one."""

    def __init__(self, rest: float = 0.0, schedule: Schedule | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.running: tuple[Hashable] | None = None
        """(key,) while a computation for ``key`` runs."""
        self.again: bool | None = None
        """Asked for again while it runs: None no, False by the user, True by refreshes only."""
        self.runs = 0
        """Computations started so far: the one whose answer is wanted is number ``runs``
        (an answer of an earlier one, replaced meanwhile, is dropped: ``current``)."""
        self.rest, self._schedule, self._clock = rest, schedule, clock
        self._began = 0.0
        self._free_at: dict[Hashable, float] = {}
        self._later: Any = None

    def ask(self, key: Hashable, *, refresh: bool = False,
            later: Callable[[], Any] | None = None) -> bool:
        """Whether to start a computation for ``key`` now.

        False when one for ``key`` is under way (``ended`` will say to start it once more),
        or, for a ``refresh``, while the last one's rest lasts: ``later`` is then called when
        it ends (one call, however many refreshes came). A computation for another key
        replaces the one under way (its answer is then dropped by the caller)."""
        if self.running == (key,):
            self.again = refresh if self.again is None else (self.again and refresh)
            return False
        if refresh:
            wait = self.resting(key)
            if wait > 0 and self._schedule is not None and later is not None:
                if self._later is None:
                    self._later = self._schedule(wait, lambda: self._wake(later))
                return False
        self.start(key)
        return True

    def start(self, key: Hashable) -> None:
        """A computation for ``key`` starts now, whatever runs (a list loaded again replaces
        the load under way, which the new one covers): its time counts for the rest."""
        self._stop_later()
        self.running, self.again, self._began = (key,), None, self._clock()
        self.runs += 1

    def current(self, run: int) -> bool:
        """Whether computation number ``run`` (``runs`` when it started) is the one under
        way: False once another started (another view's, or the same view's asked for again
        after a change of view), so its answer is not shown and it ends nothing."""
        return self.running is not None and self.runs == run

    def on_answer(self, key: Hashable,
                  again: Callable[[bool], Any]) -> Callable[[Callable[[], Any]], None]:
        """For the computation for ``key`` just started: what its answer (or failure) calls
        with how to show it. A replaced computation's answer is dropped; else it ends the
        computation, is shown, and ``again(refresh)`` starts the next when one was asked
        for meanwhile (``ended``). The computation's worker must not be in an exclusive
        group: the next one, started from its answer, would cancel the worker still
        reporting it (and the count of runs already drops a replaced answer)."""
        run = self.runs

        def answered(show: Callable[[], Any]) -> None:
            if not self.current(run):
                return  # another started since (another view's): not shown
            wanted = self.ended(key)
            show()
            if wanted is not None:
                again(wanted)

        return answered

    def ended(self, key: Hashable) -> bool | None:
        """The computation for ``key`` ended (shown or failed): whether to start it again —
        None no, False at once (the user asked), True as a refresh (``ask(refresh=True)``)."""
        if self.running != (key,):
            return None
        now = self._clock()
        self._free_at[key] = now + self.rest * (now - self._began)
        again, self.running, self.again = self.again, None, None
        return again

    def resting(self, key: Hashable) -> float:
        """Seconds before a refresh may start a computation for ``key`` (0: now)."""
        return max(0.0, self._free_at.get(key, 0.0) - self._clock())

    def _wake(self, later: Callable[[], Any]) -> None:
        self._later = None
        later()

    def _stop_later(self) -> None:
        if self._later is not None:
            self._later.stop()
            self._later = None
