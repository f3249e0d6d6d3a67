"""Identifiers of the shared `/ccsn` command; `manifest.yml` declares it."""

CCSN_COMMAND = "/ccsn"
