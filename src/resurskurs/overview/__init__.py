"""Progress and evaluation across people, work teams and units: the principal's and the resource team's views."""
