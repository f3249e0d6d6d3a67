"""The demo kit: a local stand-in for Slack's Web API, signed requests and a loopback server.

The product never imports this package. The offline demo (`ccsn-demo`, what `make run` plays
before Slack is configured), the tests and the benchmarks use it to drive the real bot exactly
as Slack would.
"""
