"""Sharing a practice: `/share-practice`, its shortcut, the form, and edits after review."""

from handlers.practices.listeners import register

__all__ = ["register"]
