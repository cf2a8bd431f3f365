"""What belongs to one learner: who they are, and every answer they have written, saved as they type."""
