"""Making untrusted text (customer data) safe to show: no control characters reach a terminal.

Every place that shows user data passes it through ``safe``; the Textual layer then renders the
result as plain ``Content``/``Text`` so no markup in it is interpreted. Messages that quote text
from a file (keys, values, paths) use ``escaped``, which shows a control as ``\\x1b`` like
``repr`` does instead of hiding it. ``json_dumps`` writes JSON in which every control is a
``\\uXXXX`` escape while ordinary non-ASCII letters stay readable.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""Every character that must not reach a terminal as data: C0 (tab and newline too), DEL, C1,
bidi overrides and isolates."""
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")  # json escapes C0 itself
REPLACEMENT = "\ufffd"


def safe(value: object, *, multiline: bool = False) -> str:
    """``value`` as text with every control character (ESC, C1, bidi overrides) replaced.

    Tabs and newlines become spaces unless ``multiline``, which keeps newlines (and tabs).
    """
    text = "" if value is None else str(value)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return _UNSAFE.sub(REPLACEMENT, text)  # \t and \n are outside the class
    text = text.replace("\t", " ").replace("\r\n", " ").replace("\n", " ")
    return _UNSAFE.sub(REPLACEMENT, text)


def safe_markdown(value: object) -> str:
    """``safe`` text with Markdown punctuation escaped, so it cannot make links or markup."""
    return _MARKDOWN.sub(r"\\\1", safe(value))


def _escape(match: re.Match[str]) -> str:
    return repr(match.group())[1:-1]


def escaped(value: object, *, keep_newlines: bool = False) -> str:
    """``value`` as one line with every control written as an escape (``\\x1b``, ``\\n``,
    ``\\u202e``), the way ``repr`` shows it; for messages that quote text from a file.

    ``keep_newlines`` keeps ``\\n`` (and tab) for text that is several lines on purpose.
    """
    text = "" if value is None else str(value)
    if keep_newlines:
        return _UNSAFE.sub(_escape, text)
    return CONTROL.sub(_escape, text)


QUOTE_MAX = 80
"""The most characters of one value a message quotes; the rest is cut (with "…")."""


def clipped(value: object, limit: int = QUOTE_MAX) -> str:
    """``value`` for a one-line message: its first ``limit`` characters (then "…"), every
    control (tab and newline too) written as an escape (``escaped``)."""
    text = "" if value is None else str(value)
    return escaped(text[:limit]) + ("…" if len(text) > limit else "")


def controls(value: str) -> list[str]:
    """The control characters in ``value`` as ``U+XXXX``, in order of first appearance."""
    return list(dict.fromkeys(f"U+{ord(c):04X}" for c in CONTROL.findall(value)))


def json_dumps(data: Any, **kwargs: Any) -> str:
    """``json.dumps`` that keeps letters readable (no ``ensure_ascii``) but writes every
    control (C0, DEL, C1, bidi) as a ``\\uXXXX`` escape: the same data, safe on a terminal."""
    text = json.dumps(data, ensure_ascii=False, **kwargs)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
"""Letters and symbols that draw nothing (Hangul fillers, the blank Braille pattern)."""


def is_blank(value: object) -> bool:
    """True when ``value`` shows nothing: empty, or only spaces, invisible and control characters.

    A "required" name made only of zero-width spaces is as empty as ``""``.
    """
    text = "" if value is None else str(value)
    return all(ch.isspace() or ch in _BLANK_LETTERS
               or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp",
                                               "Mn", "Me")
               for ch in text)


_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None: the one rule of every way in (forms,
    command line, import). Refused: C0 controls but tab and line ends, DEL, C1 controls, and
    lone surrogates (bytes that were not UTF-8): nothing a person writes. Bidi marks,
    overrides and isolates and zero-width characters are text (names copied from a chat app
    arrive wrapped in isolates); every output shows them neutralised (``safe``, ``escaped``)."""
    found = _REFUSED.findall(value)
    if not found:
        return None
    if any("\ud800" <= ch <= "\udfff" for ch in found):
        return "is not valid UTF-8 text"
    codes = list(dict.fromkeys(f"U+{ord(ch):04X}" for ch in found))
    return f"contains control characters ({', '.join(codes[:3])}{', …' if len(codes) > 3 else ''})"


def plural(count: int, word: str, many: str | None = None) -> str:
    """``count`` with ``word`` in the right number: "1 follow-up", "2 follow-ups", "0 items"
    (``many``: an irregular plural, e.g. ``plural(n, "activity", "activity")``)."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def short_count(count: int, room: int = 4) -> str:
    """``count`` in at most ``room`` characters: whole while it fits, else in thousands or
    millions with as many digits as fit ("35823" in 4: "36k"; 1234567 in 5: "1.23M"; 100000
    in 3: ".1M") - a figure on a 1M-record board still reads, where its digits would be cut
    to "3582…" or run into the next column."""
    whole = str(count)
    if len(whole) <= room:
        return whole
    for suffix, unit in (("k", 1_000), ("M", 1_000_000), ("G", 1_000_000_000)):
        for places in (2, 1, 0):
            text = f"{count / unit:.{places}f}"
            if len(text) + 1 <= room and 0 < float(text) < 1000:  # 999.96k is 1.00M
                return text + suffix
    for suffix, unit in (("M", 1_000_000), ("G", 1_000_000_000)):  # the tightest: ".1M"
        text = f"{count / unit:.1f}"
        if text.startswith("0.") and len(text) <= room and float(text) > 0:
            return text[1:] + suffix
    return whole
