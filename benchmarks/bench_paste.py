"""A paste of 20,000 characters into a form field, bracketed and unbracketed.

Run: ``python benchmarks/bench_paste.py [--chars 20000] [--rounds 3]``. The board runs headless
at 80x24 (Textual's test driver) on the demo portfolio; the first customer's profile opens and
``l`` opens the touchpoint form. Then, into the Summary (a TextArea) and into the When field
(an Input), each timed until the field holds the whole text and the screen is idle:

* (a) a bracketed paste: one ``events.Paste`` with the text, as a terminal sends it;
* (b) an unbracketed paste: the same text as one key event per character, all queued at once,
  as a terminal without bracketed paste (or fast typing over SSH) delivers it.

The events are made before the clock starts (a terminal's driver parses them in its own
thread); the clock runs from posting them to the app until the field holds the text and the
app is idle (the screen repainted).

Prints each time (median of the rounds) and checks the field then holds the full text (no
form field limits its length; the service refuses a summary over 20,000 characters on save).
Goal: each under a second.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual import events  # noqa: E402
from textual.keys import _character_to_key  # noqa: E402

from relboard.app import RelboardApp  # noqa: E402
from relboard.config import Config  # noqa: E402
from relboard.db import close_database, open_database  # noqa: E402
from relboard.services import lookups  # noqa: E402
from relboard.services.context import Context  # noqa: E402
from relboard.services.sample import load_sample  # noqa: E402

WORDS = "Called Dana about the rollout plan, budget and the next steps. "


def text_of(chars: int) -> str:
    """``chars`` characters of plain prose on one line."""
    return (WORDS * (chars // len(WORDS) + 1))[:chars]


def held(widget) -> str:
    """What a field holds (TextArea or Input)."""
    return widget.text if hasattr(widget, "text") else widget.value


async def paste_into(app, pilot, name: str, text: str, bracketed: bool) -> float:
    """Seconds from the paste until field ``name`` holds ``text`` and the app is idle."""
    form = app.screen
    widget = form.field(name)
    widget.focus()
    await pilot.pause()
    if hasattr(widget, "text"):
        widget.text = ""
    else:
        widget.value = ""
    await pilot.pause()
    # the terminal driver parses input into events in its own thread: made before the clock
    sent = ([events.Paste(text)] if bracketed else
            [events.Key(_character_to_key(character), character) for character in text])
    start = time.perf_counter()
    for event in sent:
        app.post_message(event)
    while len(held(widget)) < len(text):
        await asyncio.sleep(0.001)
        if time.perf_counter() - start > 120:
            raise AssertionError(f"{name}: only {len(held(widget))} characters after 120 s")
    await pilot.pause()
    took = time.perf_counter() - start
    assert held(widget) == text, f"{name}: the field does not hold the pasted text"
    return took


async def one_round(path: str, text: str) -> dict[str, float]:
    """Open the touchpoint form on the demo board and time the four pastes."""
    open_database(path)
    ctx = Context(user="pm1")
    config = Config(database=path, user="pm1", animations=False)
    app = RelboardApp(config, ctx=ctx)
    out = {}
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            app.open_customer(lookups.first_customer()["id"])
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.press("l")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            for name, label in (("summary", "Summary (TextArea)"), ("occurred_at", "When (Input)")):
                for bracketed in (True, False):
                    kind = "bracketed paste" if bracketed else "unbracketed (key events)"
                    out[f"{label}, {kind}"] = await paste_into(app, pilot, name, text,
                                                               bracketed)
            app.screen.field("summary").text = ""
            app.screen.field("occurred_at").value = ""
    finally:
        close_database()
    return out


def main() -> None:
    """Build the demo board once, run the rounds, print medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    text = text_of(args.chars)
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "demo.db")
        open_database(path)
        load_sample(Context(user="pm1"))
        close_database()
        rounds = [asyncio.run(one_round(path, text)) for _ in range(args.rounds)]
    print(f"{args.chars:,} characters into the touchpoint form, median of {args.rounds}:")
    slow = []
    for key in rounds[0]:
        median = statistics.median(r[key] for r in rounds)
        print(f"  {key:<45} {median * 1000:9.1f} ms")
        if median >= 1.0:
            slow.append(key)
    print("goal (under 1 s each):", "met" if not slow else "NOT met: " + ", ".join(slow))


if __name__ == "__main__":
    main()
