"""Benchmarks of the bot against a bare Bolt app measured in the same run (`make bench`).

Each measure lives in a small module with one function that returns table rows; `bench.run`
strings them together, prints one table and writes `bench/out/results.json`. None of this runs
in `make test` except a smoke test with tiny sizes, so no timing is ever asserted.
"""
