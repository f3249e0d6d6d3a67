"""Identifiers of the coordinator review feature."""

APPROVE_ACTION = "review_approve"
REQUEST_CHANGES_ACTION = "review_request_changes"
REJECT_ACTION = "review_reject"
REASON_MODAL = "review_reason_modal"
REASON_BLOCK = "review_reason"
REASON_INPUT = "reason_input"
