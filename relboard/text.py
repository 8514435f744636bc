"""Making untrusted text (customer data) safe to show: no control characters reach a terminal.

Every place that shows user data passes it through ``safe``; the Textual layer then renders the
result as plain ``Content``/``Text`` so no markup in it is interpreted.
"""

from __future__ import annotations

import re

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
