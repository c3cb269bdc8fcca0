"""Seed loading: seed/*.yaml → database (upsert by slug, idempotent, all-or-nothing)."""
from kb.seeding.bundle import SeedBundle, SeedError, SeedErrors, check_line_ranges, read_bundle
from kb.seeding.loader import load_bundle

__all__ = ["SeedBundle", "SeedError", "SeedErrors", "check_line_ranges", "load_bundle", "read_bundle"]
