"""Factories and helpers shared by the test suites (imported by tests only)."""
