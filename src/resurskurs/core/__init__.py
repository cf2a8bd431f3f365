"""The shared vocabulary below every consumer: a learner's answers, the one progress rule and its statuses,
what the gradebook says of a hand-in, and the figure types every view, report and deck shows."""
