"""Typing straight into a text field: the app hands a typed character to the focused SafeInput
or SafeTextArea without the per-key walk of every binding on the screen.

Textual looks up a key's priority bindings along the whole focus chain before it passes the key
on, about 0.3 ms a key on a form: an unbracketed paste of 20,000 characters (a terminal without
bracketed paste sends one key per character) took 8 s in that walk alone. A printable key for a
text field that no priority binding of the app or the screen holds can only be typed text, so
it joins the field's burst (``TypedBurst.queue_typed``) at once: the burst goes in as one
insert, queued for the field like the key events would have been. Every other input event
closes the burst (``seal_typed``) and is passed on as ever, behind it, so what was typed keeps
its order with the keys, clicks and pastes around it.
"""

from __future__ import annotations

from typing import Any

from textual import events


class TypedKeys:
    """Mixin for the App (before ``App`` in the bases). Not a DOMNode: Textual follows the
    first DOMNode base for CSS, which must stay ``App``."""

    def typed_into_field(self, event: events.Event) -> bool:
        """True when ``event`` was a character typed into the focused text field (taken);
        any other input event closes the field's burst (False: pass it on)."""
        focused: Any = self.focused  # type: ignore[attr-defined]
        burst = getattr(focused, "burst_text", None)
        if burst is None:
            return False
        if isinstance(event, events.Key) and not self._priority_key(event.key):
            text = burst(event)
            if text is not None:
                self.app_focus = True  # as Textual does on a key  # type: ignore[attr-defined]
                focused.queue_typed(text)
                return True
        focused.seal_typed()  # the event goes to the widget behind the characters before it
        return False

    def _priority_key(self, key: str) -> bool:
        """Whether the app or the screen binds ``key`` with priority (it must run as ever)."""
        for node in (self, self.screen):  # type: ignore[attr-defined]
            if any(b.priority for b in node._bindings.key_to_bindings.get(key, ())):
                return True
        return False

    async def on_event(self, event: events.Event) -> None:
        """Typed characters for a text field go straight to it; everything else as ever."""
        if (isinstance(event, (events.InputEvent, events.Paste)) and not event.is_forwarded
                and self.typed_into_field(event)):
            return
        await super().on_event(event)  # type: ignore[misc]
