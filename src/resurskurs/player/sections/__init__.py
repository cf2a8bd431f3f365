"""One builder per section of the course page, each taking the learner's `ModuleSession`."""
