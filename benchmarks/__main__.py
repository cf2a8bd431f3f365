"""`make bench`: run every benchmark and print its figures."""

from benchmarks import catalog_load

for report in (catalog_load.run(),):
    print(report)
