"""Identifiers of the weekly digest and personal digest subscriptions."""

SUBSCRIBE_MODAL = "digest_subscribe_modal"
UNSUBSCRIBE_ACTION = "digest_unsubscribe"
EDIT_SUBSCRIPTION_ACTION = "digest_edit_subscription"

REGIONS_BLOCK = "digest_regions"
PILLARS_BLOCK = "digest_pillars"
TOPICS_BLOCK = "digest_topics"
FUNDING_BLOCK = "digest_funding"

REGIONS_INPUT = "digest_regions_input"
PILLARS_INPUT = "digest_pillars_input"
TOPICS_INPUT = "digest_topics_input"
FUNDING_INPUT = "digest_funding_input"
