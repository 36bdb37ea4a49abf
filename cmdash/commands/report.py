"""`report`: the monthly bulletin (月度考核通报) as HTML, xlsx or PDF."""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

from cmdash.commands.common import add_dataset, open_dataset
from cmdash.errors import InputError

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
SCOPES = {"district": "coach", "region": "region_head", "manager": "manager"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report", help="the monthly bulletin: KPIs, ranking, movers, coaching, risk, ladder",
        description="Headline KPIs vs last month and last year, the assessment ranking with "
        "its six parts, top and bottom performers, the bottom share flagged for review, "
        "movers, managers per coaching type (names only in a signed-in coach's, city head's "
        "or analyst's own bulletin), customers and volume at risk, grade promotions and "
        "demotions, and a footnote (dataset version, settings, as-of). A month the data do "
        "not cover to its end is said to be partial and is not scored.")
    add_dataset(p)
    p.add_argument("--month", required=True, help="the month, YYYY-MM")
    p.add_argument("--scope", metavar="LEVEL=ID[,ID]",
                   help="only these districts, regions or managers, e.g. district=D01 "
                   "(instead of --as)")
    p.add_argument("--format", choices=("html", "xlsx", "pdf"), default="html")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--out", type=Path, required=True, help="the file to write")
    p.add_argument("--settings", type=Path, help="a settings TOML file (see `settings`)")
    p.set_defaults(run=run)


def scope_access(text: str):
    """`district=D01,D02` as an Access of the matching role (no user file needed)."""
    from cmdash.access import Access

    level, _, ids = text.partition("=")
    values = tuple(v.strip() for v in ids.split(",") if v.strip())
    if level not in SCOPES or not values:
        raise InputError(f"--scope must be LEVEL=ID[,ID] with LEVEL one of "
                         f"{', '.join(SCOPES)}; got {text!r}")
    field = {"district": "districts", "region": "regions", "manager": "managers"}[level]
    return Access(user=text, role=SCOPES[level], **{field: values})


def run(args: argparse.Namespace) -> int:
    from cmdash.commands.common import load_settings
    from cmdash.report.bulletin import build
    from cmdash.report.formats import render

    if not _MONTH.match(args.month):
        raise InputError(f"--month must be YYYY-MM, got {args.month!r}")
    if args.scope and args.as_user:
        raise InputError("Give --scope or --as, not both")
    settings = load_settings(args)
    ds, engine = open_dataset(args)
    viewer = scope_access(args.scope) if args.scope else args.viewer
    bulletin = build(ds, engine, args.month, settings, viewer, args.lang,
                     named=bool(args.as_user))
    write_atomic(args.out, render(bulletin, args.format))
    print(f"wrote the {args.month} bulletin ({args.format}) to {args.out}", file=sys.stderr)
    return 0


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside the target and rename: a reader (or a second run) never sees half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as an ordinary file would be (mkstemp gives 0600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
