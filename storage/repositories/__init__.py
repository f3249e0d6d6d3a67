"""Repositories: queries per entity. They flush when they must, and never commit."""
