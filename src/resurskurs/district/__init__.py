"""The people of the district: the roster (who works where, in which role)."""
