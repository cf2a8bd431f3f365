"""`make bench`: run every benchmark and print its figures."""

from benchmarks import catalog_load, deck_build, player_startup, progress_query, submit_latency, workshop_burst

for benchmark in (catalog_load, player_startup, workshop_burst, submit_latency, deck_build, progress_query):
    print(benchmark.run(), flush=True)
