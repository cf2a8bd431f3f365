"""Measured performance, always as a ratio against a baseline measured in the same run."""
