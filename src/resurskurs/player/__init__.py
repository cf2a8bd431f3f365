"""The learner's course player: the widgets, the pages built from the course schema, and progress."""
