"""Developer tools: the benchmark, the synthetic France and a local server for tests (never imported by the app)."""
