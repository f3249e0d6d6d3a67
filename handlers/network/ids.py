"""Identifiers of the network settings section of Home and of `/ccsn setup`."""

SETUP_SUBCOMMAND = "setup"

# Block ids carry the setting: `network_setting:ccsn_events_channel`, `network_region:Bay Area`.
SETTING_BLOCK_PREFIX = "network_setting:"
REGION_BLOCK_PREFIX = "network_region:"
DIGEST_BLOCK = "network_digest_time"

CHANNEL_ACTION = "network_channel"  # conversations_select; the block says which channel
PEOPLE_ACTION = "network_people"  # multi_users_select: coordinators or TA providers
REGION_ACTION = "network_region_people"  # multi_users_select of one region's providers
TIMEZONE_ACTION = "network_timezone"
DIGEST_DAY_ACTION = "network_digest_day"
DIGEST_HOUR_ACTION = "network_digest_hour"
SETUP_ACTION = "network_setup_check"
JOIN_ACTION = "network_join_channel"  # value: the channel id
