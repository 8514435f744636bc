"""The board's footer: every key of a screen in one line, fitted to the width, clickable."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding

from relboard.widgets.footer import BoardFooter, FooterEntry, arrange
from tests.pilot import footer_text, make_app, settle


def _line(row) -> str:
    return "".join(words for _, pieces in row for words, _ in pieces)


KEYS = [FooterEntry("l", "l", "Log", True, ""), FooterEntry("a", "a", "Ack/agree", True, ""),
        FooterEntry("q", "q", "Quit", True, "")]
PALETTE = FooterEntry("ctrl+p", "^p", "palette", True, "")


def test_keys_keep_their_spaces_while_they_fit_then_lose_them_then_the_palettes_word():
    assert _line(arrange(KEYS, PALETTE, 41, False)) == \
        " l Log  a Ack/agree  q Quit  ▏^p palette "
    assert _line(arrange(KEYS, PALETTE, 40, False)) == " l Log  a Ack/agree  q Quit ▏^p palette "
    assert _line(arrange(KEYS, PALETTE, 39, False)) == " l Log  a Ack/agree  q Quit ▏^p palette"
    assert _line(arrange(KEYS, PALETTE, 38, False)) == "l Log a Ack/agree q Quit   ▏^p palette"
    assert _line(arrange(KEYS, PALETTE, 30, False)) == "l Log a Ack/agree q Quit   ▏^p"
    assert _line(arrange(KEYS, PALETTE, 20, False)) == "l Log …" + " " * 10 + "▏^p"
    assert _line(arrange(KEYS, PALETTE, 3, False)) == "…▏^p"  # the terminal crops the rest
    for width in (20, 30, 38, 39, 40, 41, 80):
        assert len(_line(arrange(KEYS, PALETTE, width, False))) == width


ESSENTIAL = [*KEYS[:2], FooterEntry("?", "?", "Help", True, "", True),
             FooterEntry("q", "q", "Quit", True, "", True)]
MORE = [FooterEntry("s", "s", "Sort", True, ""), FooterEntry("n", "n", "New", True, "")]


def test_help_and_quit_stay_whole_when_the_other_keys_are_cut():
    assert _line(arrange(ESSENTIAL, PALETTE, 20, False, MORE)) == "…? Help q Quit   ▏^p"
    assert _line(arrange(ESSENTIAL, PALETTE, 30, False, MORE)) == \
        "l Log …? Help q Quit       ▏^p"


def test_room_left_takes_the_more_keys_in_order_before_help_and_quit():
    assert _line(arrange(ESSENTIAL, PALETTE, 50, False, MORE)) == \
        " l Log  a Ack/agree  ? Help  q Quit   ▏^p palette "
    assert _line(arrange(ESSENTIAL, PALETTE, 60, False, MORE)) == \
        " l Log  a Ack/agree  s Sort  ? Help  q Quit     ▏^p palette "
    assert _line(arrange(ESSENTIAL, PALETTE, 70, False, MORE)) == \
        " l Log  a Ack/agree  s Sort  n New  ? Help  q Quit        ▏^p palette "


def test_a_compact_footer_never_takes_the_roomy_form():
    assert _line(arrange(KEYS, None, 40, True)) == "l Log a Ack/agree q Quit " + " " * 15


async def test_every_key_of_today_and_the_queue_is_whole_at_70_columns(sample):
    app = make_app(sample)
    async with app.run_test(size=(70, 20)) as pilot:
        await settle(pilot)
        for key, words in (("t", ("l Log", "z Snooze", "? Help", "q Quit", "^p")),
                           ("i", ("] Queue", "d Resolve", "? Help", "q Quit", "^p"))):
            await pilot.press(key)
            await settle(pilot)
            footer = footer_text(app)
            assert "…" not in footer
            for word in words:
                assert word in footer, (key, word, footer)


class _Keys(App):
    BINDINGS = [Binding("x", "mark('x')", "Export"), Binding("y", "mark('y')", "Yank"),
                Binding("q", "quit", "Quit")]

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[str] = []

    def compose(self) -> ComposeResult:
        yield BoardFooter()

    def action_mark(self, what: str) -> None:
        self.marks.append(what)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if parameters == ("y",) else True  # y is shown, disabled


async def test_a_click_on_a_key_presses_it_and_a_disabled_key_does_nothing():
    app = _Keys()
    async with app.run_test(size=(60, 4)) as pilot:
        await pilot.pause()
        footer = app.query_one(BoardFooter)
        line = footer_text(app)
        assert " x Export  y Yank  q Quit" in line
        await pilot.click(BoardFooter, offset=(line.index("Export"), 0))
        await pilot.click(BoardFooter, offset=(line.index("Yank"), 0))
        await pilot.pause()
        assert app.marks == ["x"]
        await pilot.hover(BoardFooter, offset=(line.index("Quit"), 0))
        await pilot.pause()
        assert footer.entry_at(line.index("Quit"))[1].description == "Quit"
