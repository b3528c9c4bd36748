"""Targets and their progress live here (see docs/ARCHITECTURE.md); the app owns no rows yet."""
