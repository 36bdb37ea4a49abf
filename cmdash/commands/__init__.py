"""One module per CLI command, each with `register(subparsers)` and its `run(args)`."""

from cmdash.commands import bench, catalog, demo, kpis, score, segments, validate

COMMANDS = (demo, validate, kpis, score, catalog, bench, segments)
