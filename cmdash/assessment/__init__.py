"""The 100-point assessment: the scheme as data, scoring in pandas."""

from cmdash.assessment.scheme import ASSESSMENT_KPIS, MATRIX, PARTS
from cmdash.assessment.score import PART_IDS, elimination_review, score

__all__ = ["ASSESSMENT_KPIS", "MATRIX", "PARTS", "PART_IDS", "elimination_review", "score"]
