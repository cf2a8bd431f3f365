"""The learner's pages: the module catalog and the course page, one builder per section (sections/)."""
