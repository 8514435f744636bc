"""The command line's commands, one convention for all of them.

Each command is a ``Command`` (``cli.command``) declared beside its function in a module of
this package: its name, its help, ``add_arguments(parser)`` for its options, ``run(call)``
(``call``: one ``Invocation`` with ``args``, ``config``, ``ctx``, ``db`` and ``demo``) that
returns the exit code, and flags saying what it needs (``opens_database``, ``writes``: refused
on a read-only board, ``with_demo``: works on ``--demo``); the global options (``--demo``,
``--read-only``, ...) it takes follow from those flags (``Command.global_options``), and any
other is an argparse error. ``cli.registry`` lists them in
``--help`` order and builds the parser from the list; ``cli.run`` runs any of them, and the
board itself (``cli.board``), the same way.

Adding a command: its declaration and function in a module here (a new one, or one of its
kind), one line in ``cli.registry.COMMANDS``, and its test.
"""
