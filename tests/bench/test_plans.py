"""Query plans of what the outbox, the digest and search run, on each database."""

from __future__ import annotations

from bench.plans import digest_plans, outbox_claim_plans, search_plans


def test_a_claim_reads_pending_messages_in_id_order_then_locks_the_heads(schema: str) -> None:
    """Heads are found by walking the pending-id index; only those are locked and re-checked.

    The lock re-checks each candidate against its channel's first pending id from the
    pending (channel, id) index.
    """
    plans = outbox_claim_plans(schema, history=3000, pending=300)

    [walk, lock] = plans
    assert walk.startswith("SELECT outbox_messages.id, outbox_messages.channel")
    assert "ix_outbox_messages_pending_id" in walk.split("\n\n", 1)[1]
    assert lock.startswith("SELECT outbox_messages.id \nFROM")
    assert "ix_outbox_messages_pending_channel" in lock.split("\n\n", 1)[1]


def test_the_digest_finds_its_week_through_indexes(schema: str) -> None:
    """The week's approved practices and resolved requests are read through their indexes."""
    plans = digest_plans(schema, submissions=3000, recent=100)

    practices = next(plan for plan in plans if "FROM practices" in plan)
    resolved = next(plan for plan in plans if "FROM ta_requests" in plan and "count(*)" in plan)
    assert "ix_practices_status_decided_at" in practices
    assert "ix_ta_requests_status_resolved_at" in resolved


def test_each_search_shape_gets_a_plan(schema: str) -> None:
    """Searches of every shape run, and each distinct query comes with its plan."""
    plans = search_plans(schema, practices=200)

    words = [plan for plan in plans if "search_fts MATCH" in plan or "@@ to_tsquery" in plan]
    filters_only = [plan for plan in plans if plan not in words and "published_at DESC" in plan]
    assert words and filters_only
    assert all(plan.split("\n\n", 1)[1].strip() for plan in plans)
