"""Schema 14: the board's own settings (``setting``: key, value).

Its first use is ``sla_clocks``: the working hours, holidays and targets the stored SLA
clocks were computed with (``services.clock_sync``), so that a change of the config's
``sla.hours`` recomputes them at the next start. A board without the row was computed round
the clock, as every board before working hours was: no stored clock changes here.
"""

from __future__ import annotations

from peewee import Database

from relboard import models as m

NAME = "board settings (the working hours of the stored SLA clocks)"


def apply(db: Database) -> None:
    """Create the table unless a half-run left it."""
    with db.bind_ctx([m.Setting]):
        m.Setting.create_table(safe=True)
