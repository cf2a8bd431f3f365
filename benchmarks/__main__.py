"""`make bench`: run every benchmark and print its figures."""

from benchmarks import catalog_load, player_startup

for benchmark in (catalog_load, player_startup):
    print(benchmark.run(), flush=True)
