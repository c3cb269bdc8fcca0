"""Hypothesis strategies shared by several test modules."""
