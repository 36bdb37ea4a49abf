"""Coaching at scale: the company's review computed once per as-of, each scope cut from it
with the peer percentiles recomputed among the scope's managers (peers are local)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cmdash.access import Access
from cmdash.all_settings import Settings
from cmdash.coaching.review import Review
from cmdash.coaching.scope import CompanyReview, cut_review
from cmdash.coaching.window import Window
from cmdash.query import Filters
from tests.fixtures import write_tiny_dataset

JUNE = pd.Timestamp("2025-06-01")


def _company() -> CompanyReview:
    """Four managers, A and B in district X, C and D in Y, one scored month. Sales cases
    (a peer-ranked results KPI) 10/20/30/40; log timeliness (a linear conduct KPI scoring
    0 at 60 % and 100 at 98 %) 98/60/79/98 → conduct scores 100/0/50/100."""
    kpis = pd.DataFrame({"manager": list("ABCD"), "period": [JUNE] * 4,
                         "sales_cases": [10.0, 20.0, 30.0, 40.0],
                         "log_timeliness": [98.0, 60.0, 79.0, 98.0]})
    features = pd.DataFrame({"district": list("XXYY"), "order_rate": [0.1, 0.2, 0.3, 0.4],
                             "results_pct": [0.25, 0.5, 0.75, 1.0],
                             "process_pct": [0.875, 0.25, 0.5, 0.875],
                             "top_both_share": [0.0, 0.0, 0.0, 1.0]},
                            index=pd.Index(list("ABCD"), name="manager"))
    window = Window(pd.Timestamp("2025-06-30"))
    return CompanyReview(Review(window, features, pd.DataFrame(), frozenset({"sales"})), kpis)


def test_a_scope_keeps_its_managers_features_and_ranks_them_among_themselves():
    company = _company()
    r = cut_review(company, frozenset({"A", "B"}), Settings())
    f = r.features
    assert list(f.index) == ["A", "B"]
    assert f["order_rate"].tolist() == [0.1, 0.2]  # the manager's own facts: unchanged
    # results: A's 10 cases rank 1 of 2 → score 50, B's 20 → 100; their percentiles .5, 1
    assert f["results_pct"].tolist() == [0.5, 1.0]
    assert r.scores.set_index("manager")["talent"].tolist() == [50.0, 100.0]
    # conduct: A 100, B 0 → percentiles 1 and .5 (company-wide A was .875: tied with D)
    assert f["process_pct"].tolist() == [1.0, 0.5]
    # top quartile on both (≥ .75): nobody in X (A's results .5, B's conduct .5)
    assert f["top_both_share"].tolist() == [0.0, 0.0]
    assert f["results_score"].tolist() == [50.0, 100.0]
    assert f["process_score"].tolist() == [100.0, 0.0]


def test_everyone_sees_the_company_review_itself():
    company = _company()
    assert cut_review(company, None, Settings()) is company.review
    whole = cut_review(company, frozenset("ABCD"), Settings()).features
    # ranked among all four, the percentiles are the company's own
    assert whole["results_pct"].tolist() == [0.25, 0.5, 0.75, 1.0]
    assert whole["process_pct"].tolist() == [0.875, 0.25, 0.5, 0.875]
    assert whole["top_both_share"].tolist() == [0.0, 0.0, 0.0, 1.0]


def test_the_company_review_is_computed_once_for_two_scopes(tmp_path: Path, monkeypatch):
    from cmdash.coaching import scope
    from cmdash.ui import cache, model_cache

    calls: list[object] = []
    real = scope.company_review

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(model_cache, "company_review", counted)
    cache.memory().clear()
    root = str(write_tiny_dataset(tmp_path / "tiny"))
    version = cache.dataset_version(root)
    s = Settings()
    scopes = [Filters(access=Access("x", "coach", districts=(d,)))
              for d in ("姑苏片区", "梁溪片区")]
    everyone = model_cache.review(root, version, Filters(), s)
    seen = [model_cache.review(root, version, f, s) for f in scopes * 2]
    assert len(calls) == 1
    for f, r in zip(scopes * 2, seen, strict=True):
        in_scope = set(model_cache.scan(root, version, f, "month", s).scope)
        if r is not None:
            assert set(r.features.index) <= in_scope
            if everyone is not None:  # the scope's rows of the company's own features
                pd.testing.assert_series_equal(
                    r.features["order_rate"], everyone.features["order_rate"].reindex(
                        r.features.index), check_names=False)
    model_cache.review(root, version, scopes[0], s, months_back=3)  # another as-of
    assert len(calls) == 2


@pytest.mark.parametrize("ids", [frozenset(), frozenset({"nobody"})])
def test_a_scope_without_reviewed_managers_has_no_rows(ids):
    r = cut_review(_company(), ids, Settings())
    assert r.features.empty
