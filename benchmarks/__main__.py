"""`make bench`: run every benchmark and print its figures (each with its baseline, measured in the same run)."""

from benchmarks import (
    catalog_load,
    chart_pages,
    deck_build,
    district_scale,
    fresh_serve,
    grader_throughput,
    hub_capacity,
    kernel_memory,
    kernel_start,
    page_bytes,
    player_startup,
    privacy_guard,
    progress_query,
    room_without_browsers,
    submit_latency,
    text_first,
    workshop_burst,
)

for benchmark in (
    catalog_load,
    privacy_guard,
    player_startup,
    text_first,
    workshop_burst,
    room_without_browsers,
    page_bytes,
    chart_pages,
    kernel_start,
    kernel_memory,
    submit_latency,
    grader_throughput,
    deck_build,
    progress_query,
    district_scale,
    hub_capacity,
    fresh_serve,
):
    print(benchmark.run(), flush=True)
