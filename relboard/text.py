"""Making untrusted text (customer data) safe to show: no control characters reach a terminal.

Every place that shows user data passes it through ``safe``; the Textual layer then renders the
result as plain ``Content``/``Text`` so no markup in it is interpreted.
"""

from __future__ import annotations

import re
import unicodedata

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")
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


_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
"""Letters and symbols that draw nothing (Hangul fillers, the blank Braille pattern)."""


def is_blank(value: object) -> bool:
    """True when ``value`` shows nothing: empty, or only spaces, invisible and control characters.

    A "required" name made of zero-width spaces (``"\u200b"``) is as empty as ``""``.
    """
    text = "" if value is None else str(value)
    return all(ch.isspace() or ch in _BLANK_LETTERS
               or unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp", "Mn", "Me")
               for ch in text)
