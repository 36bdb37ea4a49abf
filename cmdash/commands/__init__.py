"""One module per CLI command, each with `register(subparsers)` and its `run(args)`."""

from cmdash.commands import (
    alerts,
    backtest,
    bench,
    catalog,
    contract,
    demo,
    grades,
    kpis,
    prepare,
    report,
    risk,
    score,
    segments,
    settings,
    stock,
    validate,
)

COMMANDS = (demo, validate, kpis, score, catalog, contract, bench, segments, grades, stock,
            settings, risk, backtest, report, alerts, prepare)
