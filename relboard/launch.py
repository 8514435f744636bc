"""What the command line's flags mean for the settings and the database, read by the start
(``relboard.__main__``)."""

from __future__ import annotations

import dataclasses
import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # argparse is not loaded for the board (``cli.command.Arguments``)
    from argparse import Namespace as Arguments


def may_create(config: Any, args: Arguments) -> bool:
    """Whether a missing database file may be made: ``--create``, or the default location
    (first run); a mistyped ``database:`` must not become a new empty board."""
    from relboard.config import default_database_path

    if getattr(args, "create", False):
        return True
    return os.path.abspath(os.path.expanduser(config.database)) == \
        os.path.abspath(default_database_path())


def with_flags(config: Any, args: Arguments) -> Any:
    """The config with ``--read-only`` and ``--mine`` applied (and, for ``--demo``, the
    sample's playbooks: ``demo.demo_config``)."""
    if getattr(args, "demo", False):
        from relboard.demo import demo_config

        config = demo_config(config)
    if getattr(args, "read_only", False):
        config = dataclasses.replace(config, read_only=True)
    if getattr(args, "mine", False):
        config = dataclasses.replace(config, attention=dataclasses.replace(config.attention,
                                                                           mine=True))
    return config
