"""Identifiers of the App Home tab; `manifest.yml` subscribes to the event and enables the tab."""

HOME_OPENED_EVENT = "app_home_opened"
HOME_VIEW = "ccsn_home"

SHARE_ACTION = "home_share_practice"
REQUEST_TA_ACTION = "home_request_ta"
ANNOUNCE_ACTION = "home_announce_event"
EDIT_ACTION = "home_edit"  # value: `practice:12` or `event:3`
WITHDRAW_ACTION = "home_withdraw"  # value: `practice:12` or `event:3`
CANCEL_EVENT_ACTION = "home_cancel_event"  # value: the event id
CANCEL_TA_ACTION = "home_cancel_ta"  # value: the TA request id
RSVP_ACTION = "home_rsvp"  # value: the event id
SUBSCRIPTION_ACTION = "home_digest_subscription"
UNSUBSCRIBE_ACTION = "home_digest_unsubscribe"
RETIRE_OFFERING_ACTION = "home_retire_offering"  # value: the TA offering id
CONFIRM_OFFERING_ACTION = "home_confirm_offering"  # Still offered; value: the TA offering id
POLICY_STATUS_ACTION = "home_policy_status"  # Update status; value: the policy update id
