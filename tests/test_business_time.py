"""Working time (``services.business_time``): the issue's example, holidays, the weeks the
clocks change in Europe/Berlin and America/New_York, and the deadline at the end of a day.

Moments are naive UTC as stored; the comments say the local time.
"""

from __future__ import annotations

import datetime as dt

import pytest

from relboard.config import SlaHours
from relboard.services.business_time import add_work, calendar, work_seconds

H = 3600
BERLIN = SlaHours(timezone="Europe/Berlin")  # mon-fri 09:00-17:00
NEW_YORK = SlaHours(timezone="America/New_York")


def test_friday_1600_plus_four_hours_with_a_holiday_monday_is_tuesday_noon():
    cal = calendar(BERLIN, (dt.date(2026, 11, 30),))  # Monday 30 November off
    raised = dt.datetime(2026, 11, 27, 15)  # Friday 16:00 CET
    due = add_work(cal, raised, 4 * H)
    assert due == dt.datetime(2026, 12, 1, 11)  # Tuesday 12:00 CET
    assert work_seconds(cal, raised, due) == 4 * H
    assert work_seconds(cal, raised, dt.datetime(2026, 11, 30, 23)) == 1 * H  # the weekend
    without = calendar(BERLIN)  # no holiday: Monday 12:00
    assert add_work(without, raised, 4 * H) == dt.datetime(2026, 11, 30, 11)


def test_a_target_used_up_at_five_is_due_when_work_goes_on():
    """Used up exactly at 17:00 Friday: not over the target before Monday 09:00, so that is
    the deadline (a clock is breached when now is past it)."""
    cal = calendar(BERLIN)
    raised = dt.datetime(2026, 11, 27, 12)  # Friday 13:00 CET
    due = add_work(cal, raised, 4 * H)
    assert due == dt.datetime(2026, 11, 30, 8)  # Monday 09:00 CET
    assert work_seconds(cal, raised, dt.datetime(2026, 11, 28, 12)) == 4 * H  # Saturday: met


def test_raised_outside_working_hours_starts_when_work_does():
    cal = calendar(BERLIN)
    raised = dt.datetime(2026, 11, 28, 10)  # Saturday
    assert add_work(cal, raised, 1 * H) == dt.datetime(2026, 11, 30, 9)  # Monday 10:00
    assert add_work(cal, raised, 0) == dt.datetime(2026, 11, 30, 8)  # Monday 09:00
    assert work_seconds(cal, raised, dt.datetime(2026, 11, 30, 8)) == 0


@pytest.mark.parametrize("hours, friday, monday_nine", [
    # spring: Berlin moves to CEST on Sunday 29 March 2026 (UTC+1 -> UTC+2)
    (BERLIN, dt.datetime(2026, 3, 27, 15), dt.datetime(2026, 3, 30, 7)),
    # autumn: back to CET on Sunday 25 October 2026 (UTC+2 -> UTC+1)
    (BERLIN, dt.datetime(2026, 10, 23, 14), dt.datetime(2026, 10, 26, 8)),
    # New York: EDT from Sunday 8 March 2026 (UTC-5 -> UTC-4)
    (NEW_YORK, dt.datetime(2026, 3, 6, 21), dt.datetime(2026, 3, 9, 13)),
    # back to EST on Sunday 1 November 2026 (UTC-4 -> UTC-5)
    (NEW_YORK, dt.datetime(2026, 10, 30, 20), dt.datetime(2026, 11, 2, 14)),
])
def test_working_hours_are_wall_clock_hours_across_a_change_of_the_clocks(hours, friday,
                                                                        monday_nine):
    """Friday 16:00 local plus 4 working hours is Monday 12:00 local, whatever the offset
    did over the weekend; each day of the week after works eight hours."""
    cal = calendar(hours)
    assert add_work(cal, friday, 4 * H) == monday_nine + dt.timedelta(hours=3)
    assert work_seconds(cal, friday, monday_nine + dt.timedelta(days=4, hours=8)) == 41 * H


def test_a_day_the_clocks_change_keeps_its_window_in_local_time():
    """Working every day 00:00-24:00 in Berlin: Sunday 29 March 2026 has 23 hours, Sunday
    25 October 25."""
    cal = calendar(SlaHours(days=tuple(range(7)), start=dt.time(0), end=dt.time.max,
                            timezone="Europe/Berlin"))
    spring = work_seconds(cal, dt.datetime(2026, 3, 28, 23), dt.datetime(2026, 3, 29, 22))
    autumn = work_seconds(cal, dt.datetime(2026, 10, 24, 22), dt.datetime(2026, 10, 25, 23))
    assert round(spring) == 23 * H and round(autumn) == 25 * H


def test_a_holiday_and_other_days():
    cal = calendar(SlaHours(days=(0, 2, 4), start=dt.time(8, 30), end=dt.time(12),
                            timezone="UTC"), (dt.date(2026, 12, 2),))  # Mon, Wed, Fri mornings
    start = dt.datetime(2026, 11, 30, 11)  # Monday 11:00: 1h left that day
    # Wednesday 2 December is a holiday: Friday 08:30 + 2h
    assert add_work(cal, start, 3 * H) == dt.datetime(2026, 12, 4, 10, 30)
    assert work_seconds(cal, start, dt.datetime(2026, 12, 7, 9)) == 1 * H + 3.5 * H + 0.5 * H


def test_round_the_clock_is_plain_arithmetic():
    cal = calendar(None, (dt.date(2026, 11, 30),))  # holidays do not stop a 24/7 clock
    start = dt.datetime(2026, 11, 29, 22)
    assert add_work(cal, start, 4.5 * H) == dt.datetime(2026, 11, 30, 2, 30)
    assert work_seconds(cal, start, dt.datetime(2026, 11, 30, 22)) == 24 * H
    assert work_seconds(cal, start, start - dt.timedelta(hours=1)) == 0
