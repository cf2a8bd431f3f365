"""Tracking with nbgrader: the course directory, generated notebooks, submissions, grades and feedback."""
