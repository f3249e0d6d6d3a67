"""The weekly digest: the network roundup, personal digests, and `/ccsn digest|subscribe`."""

from handlers.digest.listeners import register, subcommands
from handlers.digest.service import jobs

__all__ = ["jobs", "register", "subcommands"]
