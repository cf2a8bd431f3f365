"""The people of the district: the roster (who works where, in which role) and the fictional demo district."""
