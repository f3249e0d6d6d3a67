"""Query plans of what the outbox runs, on each database."""

from __future__ import annotations

from bench.plans import outbox_claim_plans


def test_each_distinct_claim_query_gets_one_plan(schema: str) -> None:
    """The candidate query appears once with its plan; the claim itself is one UPDATE."""
    plans = outbox_claim_plans(schema, history=50, pending=30)

    assert len(plans) == 1
    candidates = next(plan for plan in plans if "NOT (EXISTS" in plan)
    sql, plan = candidates.split("\n\n", 1)
    assert sql.startswith("SELECT outbox_messages.id")
    assert "outbox_messages" in plan
