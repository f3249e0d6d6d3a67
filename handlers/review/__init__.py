"""Coordinator review of submissions: decisions, reasons, and what each outcome sends."""

from handlers.review.listeners import register

__all__ = ["register"]
