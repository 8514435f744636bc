"""The one-screen app the form and dialog tests drive at 80x24: it pushes the screen under test
and keeps what the screen dismissed with; waiting for it to settle, the form once open, and the
error line under a field (the whole board's harness is ``pilot.py``)."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Static

from relboard.screens.form_base import FormScreen
from tests.pilot import SIZE

__all__ = ["SIZE", "FormApp", "error_of", "opened", "settle"]


class FormApp(App):
    """Pushes one screen and keeps what it dismissed with."""

    def __init__(self, ctx, make_screen) -> None:
        super().__init__()
        self.ctx = ctx
        self.make_screen = make_screen
        self.results: list = []
        self.animation_level = "none"

    def on_mount(self) -> None:
        self.push_screen(self.make_screen(), callback=self.results.append)


async def settle(app: App, pilot) -> None:
    """Let workers finish and their callbacks run."""
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def opened(app: App, pilot) -> FormScreen:
    """The form the app shows, once its choices are loaded and it is ready to type in."""
    await settle(app, pilot)
    form = app.screen
    assert isinstance(form, FormScreen) and form.ready
    return form


def error_of(form: FormScreen, name: str) -> str:
    """The error line under the field ``name`` ("" while it says nothing)."""
    line = form.query_one(f"#err-{name}", Static)
    return "" if line.has_class("-empty") else str(line.render())
