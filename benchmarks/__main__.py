"""`make bench`: run every benchmark and print its figures."""

from benchmarks import catalog_load, deck_build, player_startup, progress_query, submit_latency

for benchmark in (catalog_load, player_startup, submit_latency, deck_build, progress_query):
    print(benchmark.run(), flush=True)
