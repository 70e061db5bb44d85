"""Benchmarks that measure Sokoni against a floor measured in the same run."""
