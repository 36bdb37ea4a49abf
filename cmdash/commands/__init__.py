"""One module per CLI command, each with `register(subparsers)` and its `run(args)`."""

from cmdash.commands import demo, validate

COMMANDS = (demo, validate)
