"""Side-by-side timings of envguard against peer tools; run ``python -m benchmarks.run``."""
