"""Benchmarks: the data set generator (``generate``) and the harness that measures every
figure of the performance issue side by side and prints them as one table (``run``).

Nothing here is imported by the application or by the test suite: benchmarks take minutes,
need ``wrk`` and ``nginx``, and measure a machine, not correctness.
"""
