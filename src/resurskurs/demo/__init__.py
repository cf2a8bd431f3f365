"""The fictional demo district: invented units and people, and plausible progress for them (a tool, not core data)."""
