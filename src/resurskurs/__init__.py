"""resurskurs: interactive Voilà courses for preschool staff, derived from one course schema."""

__version__ = "0.1.0"
