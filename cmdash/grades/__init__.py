"""Grade ladders (rules as data) and their evaluation; pay tiers and their cost."""

from cmdash.grades.evaluate import ACTIONS, Verdict, decide, evaluate
from cmdash.grades.ladder import Grade, Indicator, Ladder, load, parse, shipped

__all__ = ["ACTIONS", "Grade", "Indicator", "Ladder", "Verdict", "decide", "evaluate", "load",
           "parse", "shipped"]
