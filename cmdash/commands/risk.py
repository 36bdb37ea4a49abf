"""`risk`: customer lapse risk (or, with --managers, manager attrition risk) at a date."""

from __future__ import annotations

import argparse
import sys

from cmdash.commands.common import (
    _date,
    add_dataset,
    add_output,
    open_dataset,
    scoped_managers,
    write_frame,
)
from cmdash.i18n import pick


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "risk", help="customers likely to stop ordering, or managers likely to leave",
        description="Customers: customer_id, manager_id, risk (model probability of no order "
        "or closing within the horizon), baseline_risk (recency + frequency only), reasons. "
        "With --managers: manager_id, risk, method (model or rule), customers, "
        "exposure_volume (cases expected over the horizon from the manager's book), reasons. "
        "The model is trained on dates before --as-of; tables that are empty are named on "
        "standard error.")
    add_dataset(p)
    p.add_argument("--as-of", type=_date, help="score at this date (default: last order date)")
    p.add_argument("--horizon-days", type=int, help="horizon in days (default: setting, 90)")
    p.add_argument("--managers", action="store_true", help="manager attrition risk instead")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of reasons")
    add_output(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from cmdash.commands.common import load_settings
    from cmdash.errors import InputError
    from cmdash.i18n import t
    from cmdash.present.retention import words
    from cmdash.retention.pipeline import assess, data_range, saved_or_trained

    if args.horizon_days is not None and not 1 <= args.horizon_days <= 365:
        raise InputError("--horizon-days must be between 1 and 365")
    settings = load_settings(args)
    ds, engine = open_dataset(args)
    last = data_range(engine, settings)[1]
    if args.as_of and args.as_of > last:
        gap = (args.as_of - last).days
        if gap >= int(settings["retention.active_days"]):
            raise InputError(
                f"--as-of {args.as_of} is {gap} days after the data's last order "
                f"({last}): no customer has ordered in the "
                f"{int(settings['retention.active_days'])} days before it, so there is "
                "nothing to score. Use a date up to the data's end", file="sales")
        print(f"cmdash: note: --as-of {args.as_of} is {gap} days after the data's last "
              f"order ({last}); the days between count as no orders", file=sys.stderr)
    as_of = args.as_of or last
    loaded = saved_or_trained(ds.workspace, ds.version(), engine, as_of, settings,
                              args.horizon_days)
    result = assess(engine, settings, as_of, args.horizon_days, trained=loaded.value)
    say_training(loaded, args.lang)
    allowed = scoped_managers(engine, args)
    if result.trained.unavailable:
        print(f"cmdash: empty tables, their signals not used: "
              f"{', '.join(result.trained.unavailable)}", file=sys.stderr)
    sep = pick("；", "; ", args.lang)
    if args.managers:
        m = result.managers.frame.copy()
        m["method"] = result.managers.method
        key = f"retention.method.{result.managers.method}"
        print(f"cmdash: {t(key, 'en', n=result.managers.leavers)}", file=sys.stderr)
        m["reasons"] = [sep.join(t(f"retention.signal.{k}", args.lang) for k in keys)
                        for keys in m["reason_keys"]]
        frame = m[["manager_id", "risk", "method", "customers", "exposure_volume", "reasons"]]
        frame = frame.assign(risk=frame["risk"].round(4),
                             exposure_volume=frame["exposure_volume"].round(2),
                             customers=frame["customers"].astype(int))
    else:
        c = result.customers
        reasons = [words(keys, row, args.lang)
                   for keys, (_, row) in zip(c["reason_keys"], c.iterrows(), strict=True)]
        frame = c[["customer_id", "manager_id"]].assign(
            risk=c["risk"].round(4), baseline_risk=c["baseline_risk"].round(4),
            reasons=reasons)
    if allowed is not None:  # --as: only the rows of managers in the user's scope
        frame = frame[frame["manager_id"].isin(allowed)]
    write_frame(frame, args)
    return 0


def say_training(loaded, lang: str = "en") -> None:
    """One line on stderr: what the model learned from, and whether it was reused."""
    from cmdash.present.retention import plan_note

    trained = loaded.value
    how = "reused the saved model" if loaded.reused else "trained and saved the model"
    print(f"cmdash: {plan_note(trained.plan, lang)} ({how}: {loaded.path})", file=sys.stderr)
