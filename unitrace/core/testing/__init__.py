"""Helpers shared by the apps' tests (not imported by the application)."""
