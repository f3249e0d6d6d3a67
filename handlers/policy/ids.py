"""Identifiers of the policy tracker; `manifest.yml` declares the command and shortcut."""

SHARE_COMMAND = "/policy-update"
SHARE_SHORTCUT = "share_policy_update"
POLICY_MODAL = "policy_update_modal"
STAGE_MODAL = "policy_stage_modal"
DATES_MODAL = "policy_dates_modal"

# The Home tab's "Share a policy update" button (Home shows it; this feature answers it).
HOME_SHARE_ACTION = "home_share_policy_update"
FOLLOW_ACTION = "policy_follow"
UNFOLLOW_ACTION = "policy_unfollow"
SOURCE_ACTION = "policy_source"
MANAGE_ACTION = "policy_manage"
EDIT_ACTION = "policy_edit"

TITLE_BLOCK = "policy_title"
KIND_BLOCK = "policy_kind"
JURISDICTION_BLOCK = "policy_jurisdiction"
DISTRICT_BLOCK = "policy_district"
IDENTIFIER_BLOCK = "policy_identifier"
STAGE_BLOCK = "policy_stage"
DATE_1_LABEL_BLOCK = "policy_date_1_label"
DATE_1_BLOCK = "policy_date_1"
DATE_2_LABEL_BLOCK = "policy_date_2_label"
DATE_2_BLOCK = "policy_date_2"
DATE_3_LABEL_BLOCK = "policy_date_3_label"
DATE_3_BLOCK = "policy_date_3"
SOURCE_BLOCK = "policy_source_link"
SUMMARY_BLOCK = "policy_summary"
PILLARS_BLOCK = "policy_pillars"
FUNDING_BLOCK = "policy_funding"
ACT_BLOCK = "policy_act"
NEW_STAGE_BLOCK = "policy_new_stage"
NOTE_BLOCK = "policy_stage_note"

TITLE_INPUT = "policy_title_input"
KIND_INPUT = "policy_kind_input"
JURISDICTION_INPUT = "policy_jurisdiction_input"
DISTRICT_INPUT = "policy_district_input"
IDENTIFIER_INPUT = "policy_identifier_input"
STAGE_INPUT = "policy_stage_input"
DATE_1_LABEL_INPUT = "policy_date_1_label_input"
DATE_1_INPUT = "policy_date_1_input"
DATE_2_LABEL_INPUT = "policy_date_2_label_input"
DATE_2_INPUT = "policy_date_2_input"
DATE_3_LABEL_INPUT = "policy_date_3_label_input"
DATE_3_INPUT = "policy_date_3_input"
SOURCE_INPUT = "policy_source_link_input"
SUMMARY_INPUT = "policy_summary_input"
PILLARS_INPUT = "policy_pillars_input"
FUNDING_INPUT = "policy_funding_input"
ACT_INPUT = "policy_act_input"
NEW_STAGE_INPUT = "policy_new_stage_input"
NOTE_INPUT = "policy_stage_note_input"

# The three key dates' (label block, label input, date block, date input), in form order.
DATE_FIELDS = (
    (DATE_1_LABEL_BLOCK, DATE_1_LABEL_INPUT, DATE_1_BLOCK, DATE_1_INPUT),
    (DATE_2_LABEL_BLOCK, DATE_2_LABEL_INPUT, DATE_2_BLOCK, DATE_2_INPUT),
    (DATE_3_LABEL_BLOCK, DATE_3_LABEL_INPUT, DATE_3_BLOCK, DATE_3_INPUT),
)
