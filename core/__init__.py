"""The shared core every layer stands on: settings, the clock, the network's vocabulary, schedules.

It imports nothing else of the project, so `storage`, `handlers` and `bot` can all build on it.
"""
