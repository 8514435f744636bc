"""Today's board as the rest of relboard asks for it (the CLI's digest, the start-up's first
board, the tests): ``board``, ``attention`` and ``counts``, with the names they use.

The work is in ``relboard.services.today``: the group table (``groups``), one module per
source of items, and the board made from them (``board``).
"""

from __future__ import annotations

from relboard.services.today.board import attention, board  # noqa: F401
from relboard.services.today.contacts import local as _local  # noqa: F401
from relboard.services.today.contacts import overdue as _overdue  # noqa: F401
from relboard.services.today.groups import HEADINGS as GROUPS  # noqa: F401 - (name, heading)
from relboard.services.today.issues import age_text as _age_text  # noqa: F401
from relboard.services.today.items import PER_GROUP, AttentionItem, Board, counts  # noqa: F401
from relboard.services.today.items import first_line as _first_line  # noqa: F401
from relboard.services.wording import ago_text, due_text  # noqa: F401
