"""Searching what the network has published: `/ccsn search`."""
