"""The shared vocabulary below every consumer: what a learner's answers are."""
