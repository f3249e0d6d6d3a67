"""Identifiers of the TA directory; `manifest.yml` declares the command and shortcut."""

OFFER_COMMAND = "/offer-ta"
OFFER_SHORTCUT = "offer_ta"
OFFER_MODAL = "ta_offering_modal"

EDIT_ACTION = "ta_offering_edit"
MANAGE_ACTION = "ta_offering_manage"  # the ⋯ menu on the TA channel post: edit or retire
CONTACT_ACTION = "ta_offering_contact"  # a link button: Slack opens the contact link
REQUEST_ACTION = "ta_offering_request"  # Request from them: value `offering id|topic`
STILL_OFFERED_ACTION = "ta_offering_still_offered"
RETIRE_ACTION = "ta_offering_retire"
HOME_OFFER_ACTION = "home_offer_ta"

ORGANISATION_BLOCK = "ta_offering_organisation"
DESCRIPTION_BLOCK = "ta_offering_description"
TOPICS_BLOCK = "ta_offering_topics"
REGIONS_BLOCK = "ta_offering_regions"
FORMATS_BLOCK = "ta_offering_formats"
COST_BLOCK = "ta_offering_cost"
LANGUAGES_BLOCK = "ta_offering_languages"
CONTACT_LINK_BLOCK = "ta_offering_contact_link"
CONTACTS_BLOCK = "ta_offering_contacts"

ORGANISATION_INPUT = "ta_offering_organisation_input"
DESCRIPTION_INPUT = "ta_offering_description_input"
TOPICS_INPUT = "ta_offering_topics_input"
REGIONS_INPUT = "ta_offering_regions_input"
FORMATS_INPUT = "ta_offering_formats_input"
COST_INPUT = "ta_offering_cost_input"
LANGUAGES_INPUT = "ta_offering_languages_input"
CONTACT_LINK_INPUT = "ta_offering_contact_link_input"
CONTACTS_INPUT = "ta_offering_contacts_input"

# Home's Find TA: the search form, then its results in the same modal (Search again returns).
HOME_FIND_ACTION = "home_find_ta"
FIND_MODAL = "ta_find_modal"
FIND_RESULTS_MODAL = "ta_find_results_modal"
FIND_WORDS_BLOCK = "ta_find_words"
FIND_TOPIC_BLOCK = "ta_find_topic"
FIND_REGION_BLOCK = "ta_find_region"
FIND_FORMAT_BLOCK = "ta_find_format"
FIND_COST_BLOCK = "ta_find_cost"
FIND_WORDS_INPUT = "ta_find_words_input"
FIND_TOPIC_INPUT = "ta_find_topic_input"
FIND_REGION_INPUT = "ta_find_region_input"
FIND_FORMAT_INPUT = "ta_find_format_input"
FIND_COST_INPUT = "ta_find_cost_input"
