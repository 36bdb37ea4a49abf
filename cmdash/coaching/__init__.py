"""Coaching types: features, the rule, clustering and review (docs/coaching.md)."""
