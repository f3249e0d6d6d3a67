"""Block Kit for policy and funding updates: the forms, the channel post and every DM. Pure.

Key dates are all-day dates in the network's time zone (`CCSN_TIMEZONE`); each is written out
in words and also as Slack's `<!date^…>` token (noon that day, so no reader's zone moves it to
another day), which Slack shows relative to the reader ("tomorrow").
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from core.vocabulary import (
    FUNDING_STAGES,
    FUNDING_STREAMS,
    GUIDANCE_STAGES,
    LEGISLATIVE_STAGES,
    PILLARS,
    POLICY_KINDS,
    POLICY_STAGES,
    REGION_OF_COUNTY,
    STAGE_LABELS,
)
from handlers import blocks
from handlers.policy import ids
from handlers.policy.schemas import (
    ACT_MAX,
    DATE_LABEL_MAX,
    DISTRICT_MAX,
    IDENTIFIER_MAX,
    LINK_MAX,
    NOTE_MAX,
    STATE,
    STATE_LABEL,
    SUMMARY_MAX,
    TITLE_MAX,
    KeyDate,
    PolicyForm,
    key_dates_of,
)
from handlers.review import views as review_views
from handlers.review.schemas import SubmissionRef
from storage.models import PolicyUpdate

# The pipeline's name for the kind, in button values and outbox keys (`policy:7`); letters
# only, as `SubmissionRef` reads them. The search index files updates as `policy_update`.
KIND_NAME = "policy"
SEARCH_KIND = "policy_update"
HISTORY_SHOWN = 8  # the latest status changes on the post; older ones stay in the export


# What the views read of an update: a stored one, or a form that passed every check.
PolicyView = PolicyUpdate | PolicyForm


@dataclass(frozen=True)
class PostAbout:
    """What the channel post shows besides the update: who shared it, followers, history."""

    update_id: int
    submitter_id: str
    followers: int
    history: Sequence[Mapping[str, Any]] = ()


# -- words -----------------------------------------------------------------------------------


def kind_label(kind: str) -> str:
    """How a stored kind reads."""
    return POLICY_KINDS.get(kind, kind)


def stage_label(stage: str) -> str:
    """How a stored stage reads."""
    return STAGE_LABELS.get(stage, stage)


def jurisdiction_label(update: PolicyView) -> str:
    """`State of California`, `Fresno County`, or `Fresno Unified, Fresno County`."""
    if update.jurisdiction == STATE:
        return STATE_LABEL
    county = f"{update.jurisdiction} County"
    return f"{update.district}, {county}" if update.district else county


def long_day(on: date) -> str:
    """`Thu, Dec 10, 2026`."""
    return f"{on:%a}, {on:%b} {on.day}, {on.year}"


def short_day(on: date) -> str:
    """`May 28`."""
    return f"{on:%b} {on.day}"


def noon(on: date, tz: ZoneInfo) -> datetime:
    """Noon of `on` in the network's zone: the moment a date token stands for."""
    return datetime.combine(on, time(12), tzinfo=tz)


def date_token(on: date, tz: ZoneInfo) -> str:
    """Slack's token for an all-day date: relative for each reader, the date as fallback."""
    epoch = int(noon(on, tz).timestamp())
    return f"<!date^{epoch}^{{date_pretty}}|{blocks.escape(long_day(on))}>"


def key_date_line(key_date: KeyDate, tz: ZoneInfo) -> str:
    """`*Hearing:* Thu, Dec 10, 2026 (<!date…>)`, escaped."""
    return (
        f"*{blocks.escape(key_date.label)}:* {long_day(key_date.on)} "
        f"({date_token(key_date.on, tz)})"
    )


def history_line(entry: Mapping[str, Any], tz: ZoneInfo) -> str:
    """One dated line: "Passed the Assembly, May 28" (the note, or the stage's name)."""
    try:
        at = datetime.fromisoformat(str(entry.get("at"))).astimezone(tz)
        when = short_day(at.date())
    except ValueError:
        when = ""
    what = entry.get("note") or stage_label(str(entry.get("stage") or ""))
    return (
        f"{blocks.quote(str(what), NOTE_MAX * 5)}, {when}" if when else blocks.quote(str(what), 800)
    )


def followers_text(count: int) -> str:
    """Followers as people read them."""
    if count == 0:
        return "No followers yet"
    return "1 follower" if count == 1 else f"{count} followers"


def _raw_link(url: str, limit: int) -> str:
    """A checked https URL shown in full (`|` encoded); too long to fit, it is shown as text."""
    linked = f"<{blocks.escape_url(url)}>"
    return linked if len(linked) <= limit else blocks.quote(url, limit)


def details(update: PolicyView, tz: ZoneInfo, *, with_title: bool = True) -> str:
    """What, where and where it stands, as escaped mrkdwn lines."""
    lines = [f"*{blocks.escape(update.title)}*"] if with_title else []
    what = kind_label(update.update_kind)
    if update.identifier:
        what += f" · {update.identifier}"
    lines.append(blocks.escape(f"{what} · {jurisdiction_label(update)}"))
    lines.append(f"*Status:* {blocks.escape(stage_label(update.stage))}")
    tags = [PILLARS.get(p, p) for p in update.pillars]
    tags += [FUNDING_STREAMS.get(f, f) for f in update.funding_streams]
    if tags:
        lines.append(f"_{blocks.escape(' · '.join(tags))}_")
    return "\n".join(lines)


def dates_block(update: PolicyView, tz: ZoneInfo) -> list[blocks.Block]:
    """The key dates as one section, when there are any."""
    dates = key_dates_of(update.key_dates)
    if not dates:
        return []
    return [blocks.section("*Key dates*\n" + "\n".join(key_date_line(d, tz) for d in dates))]


def body_blocks(update: PolicyView) -> list[blocks.Block]:
    """The summary, "How members can act" and the source, each its own section."""
    found = [blocks.section(blocks.quote(update.summary, blocks.SECTION_TEXT_MAX))]
    if update.how_to_act:
        found.append(
            blocks.section("*How members can act*\n" + blocks.quote(update.how_to_act, ACT_MAX * 5))
        )
    found.append(
        blocks.section(f"*Source:* {_raw_link(update.source_link, blocks.SECTION_TEXT_MAX - 20)}")
    )
    return found


# -- the channel post ------------------------------------------------------------------------


def published_post(update: PolicyView, about: PostAbout, tz: ZoneInfo) -> dict[str, Any]:
    """The post in the policy channel: the update, its dates and history, Follow and the menu."""
    value = str(about.update_id)
    elements: list[dict[str, Any]] = [
        blocks.button("Follow", ids.FOLLOW_ACTION, value, style="primary"),
        blocks.button("Unfollow", ids.UNFOLLOW_ACTION, value),
    ]
    if len(update.source_link) <= 3000:
        elements.append(
            blocks.button("Open the source", ids.SOURCE_ACTION, "link", url=update.source_link)
        )
    elements.append(
        {
            "type": "overflow",
            "action_id": ids.MANAGE_ACTION,
            "options": [
                blocks.option("Update status", f"stage:{value}"),
                blocks.option("Change key dates", f"dates:{value}"),
            ],
        }
    )
    body = [
        blocks.header(update.title),
        blocks.section(details(update, tz, with_title=False)),
        *dates_block(update, tz),
        *body_blocks(update),
    ]
    shown = list(about.history)[-HISTORY_SHOWN:]
    if shown:
        lines = "\n".join(f"• {history_line(entry, tz)}" for entry in shown)
        body.append(blocks.section(f"*History*\n{lines}"))
    body.append(
        blocks.context(
            f"*{followers_text(about.followers)}* · Shared by {blocks.user(about.submitter_id)}"
            f" · #{about.update_id}"
        )
    )
    body.append(blocks.actions(*elements))
    text = (
        f"{blocks.escape(kind_label(update.update_kind))}: {blocks.escape(update.title)} "
        f"({blocks.escape(stage_label(update.stage))})"
    )
    return {"text": text, "blocks": body}


def review_post(
    update: PolicyView,
    *,
    update_id: int,
    submitter_id: str,
    revision: int,
    tz: ZoneInfo,
    decision: review_views.DecisionView | None = None,
) -> dict[str, Any]:
    """The coordinators' post: the whole update, the source in full, buttons or the verdict."""
    heading = (
        "Policy update to review" if revision == 1 else f"Policy update to review (edit {revision})"
    )
    found = [
        blocks.section(details(update, tz)),
        *dates_block(update, tz),
        *body_blocks(update),
        blocks.context(f"Shared by {blocks.user(submitter_id)} · #{update_id}"),
    ]
    return review_views.review_post(
        heading=heading,
        title=update.title,
        details=found,
        ref=SubmissionRef(KIND_NAME, update_id),
        revision=revision,
        tz=tz,
        decision=decision,
    )


# -- DMs -------------------------------------------------------------------------------------


def _dm(text: str, *extra: blocks.Block) -> dict[str, Any]:
    return {"text": text, "blocks": [blocks.section(text), *extra]}


def thanks_message(update: PolicyView, update_id: int) -> dict[str, Any]:
    """The DM a member gets right after sharing."""
    return _dm(
        f"Thank you for sharing *{blocks.escape(update.title)}* (#{update_id}). "
        "A coordinator will review it soon, and I'll message you here when they do."
    )


def resubmitted_message(update: PolicyView, update_id: int) -> dict[str, Any]:
    """The DM a member gets after sending an edited update back for review."""
    return _dm(
        f"Thanks! Your edited update *{blocks.escape(update.title)}* (#{update_id}) "
        "is back with the coordinators."
    )


def approved_message(title: str, link: str) -> dict[str, Any]:
    """The DM telling a member their update is posted; `link` is mrkdwn to the post."""
    return _dm(
        f"Good news: *{blocks.escape(title)}* was approved and is now posted: {link}. Members "
        "can follow it there. When it moves, choose Update status from the post's ⋯ menu and "
        "everyone following it is told."
    )


def follow_reply(title: str, *, following: bool, reminder_days: Sequence[int]) -> str:
    """The ephemeral answer to Follow or Unfollow, the same however often it is clicked."""
    if not following:
        return f"You're not following *{blocks.escape(title)}*. Click Follow to hear when it moves."
    days = " and ".join(str(d) for d in reminder_days)
    reminders = (
        f" and {days} {'day' if list(reminder_days) == [1] else 'days'} before each key date"
        if reminder_days
        else ""
    )
    return (
        f"You're following *{blocks.escape(title)}*. I'll message you when its status "
        f"changes{reminders}. Click Unfollow to stop."
    )


def stage_changed_message(
    update: PolicyView, *, before: str, note: str | None, by: str, tz: ZoneInfo
) -> dict[str, Any]:
    """The DM to each follower: what changed, then the update as it stands."""
    change = f"{stage_label(before)} → {stage_label(update.stage)}"
    text = f"*{blocks.escape(update.title)}*, which you follow, has moved: {blocks.escape(change)}"
    if note:
        text += f" ({blocks.quote(note, NOTE_MAX * 5)})"
    text += f". Updated by {blocks.user(by)}."
    return _dm(text, blocks.section(details(update, tz)), *dates_block(update, tz))


def dates_change_text(before: Sequence[KeyDate], after: Sequence[KeyDate]) -> str:
    """What moved, in plain words: "Hearing: Dec 10 → Dec 17; Floor vote: Jan 5 (new)".

    Dates are matched by label; the result is member text (labels) and is escaped by whoever
    shows it.
    """
    was = {d.label: d.on for d in before}
    now = {d.label: d.on for d in after}
    parts = [
        f"{label}: {short_day(was[label])} → {short_day(on)}"
        if label in was
        else f"{label}: {short_day(on)} (new)"
        for label, on in now.items()
        if was.get(label) != on
    ]
    parts += [f"{label}: removed" for label in was if label not in now]
    return "Key dates changed: " + "; ".join(parts) if parts else "Key dates unchanged"


def dates_changed_message(
    update: PolicyView, *, change: str, note: str | None, by: str, tz: ZoneInfo
) -> dict[str, Any]:
    """The DM to each follower when an update's key dates move: what moved, then the dates."""
    text = f"*{blocks.escape(update.title)}*, which you follow, has new key dates"
    text += f" ({blocks.quote(note, NOTE_MAX * 5)})" if note else ""
    text += f". {blocks.quote(change, 2000)}. Updated by {blocks.user(by)}."
    return _dm(text, blocks.section(details(update, tz)), *dates_block(update, tz))


def reminder_message(
    update: PolicyView, key_date: KeyDate, days: int, tz: ZoneInfo
) -> dict[str, Any]:
    """The DM to each follower some days before a key date."""
    when = "tomorrow" if days == 1 else f"in {days} days"
    text = (
        f"Reminder: *{blocks.escape(key_date.label)}* for *{blocks.escape(update.title)}* is "
        f"{when}, {long_day(key_date.on)} ({date_token(key_date.on, tz)})."
    )
    extra: list[blocks.Block] = [blocks.section(details(update, tz))]
    if update.how_to_act:
        extra.append(
            blocks.section("*How members can act*\n" + blocks.quote(update.how_to_act, ACT_MAX * 5))
        )
    extra.append(
        blocks.section(f"*Source:* {_raw_link(update.source_link, blocks.SECTION_TEXT_MAX - 20)}")
    )
    return _dm(text, *extra)


# -- forms -----------------------------------------------------------------------------------


def _select(
    action_id: str, placeholder: str, labels: Mapping[str, str], initial: str | None
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": action_id,
        "placeholder": blocks.plain(placeholder, 150),
        "options": [blocks.option(label, value) for value, label in labels.items()],
    }
    if initial is not None and initial in labels:
        element["initial_option"] = blocks.option(labels[initial], initial)
    return element


_STAGE_GROUPS = (
    ("Bills and budget items", LEGISLATIVE_STAGES),
    ("Funding opportunities", FUNDING_STAGES),
    ("Guidance and local policy", GUIDANCE_STAGES),
)


def _stage_select(initial: str | None) -> dict[str, Any]:
    """Every kind's stages in one menu, grouped by kind (the form checks the pair)."""
    element: dict[str, Any] = {
        "type": "static_select",
        "action_id": ids.STAGE_INPUT,
        "placeholder": blocks.plain("Where it stands now", 150),
        "option_groups": [
            {
                "label": blocks.plain(label, 75),
                "options": [blocks.option(text, value) for value, text in stages.items()],
            }
            for label, stages in _STAGE_GROUPS
        ],
    }
    if initial is not None and initial in STAGE_LABELS:
        element["initial_option"] = blocks.option(STAGE_LABELS[initial], initial)
    return element


def _multi(
    action_id: str, labels: Mapping[str, str], chosen: Sequence[str], placeholder: str
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "multi_static_select",
        "action_id": action_id,
        "placeholder": blocks.plain(placeholder, 150),
        "options": [blocks.option(label, value) for value, label in labels.items()],
    }
    initial = [blocks.option(labels[v], v) for v in chosen if v in labels]
    if initial:
        element["initial_options"] = initial
    return element


def _datepicker(action_id: str, initial: date | None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "datepicker", "action_id": action_id}
    if initial is not None:
        element["initial_date"] = initial.isoformat()
    return element


def jurisdiction_choices() -> dict[str, str]:
    """The State of California first, then the 58 counties in alphabetical order."""
    return {STATE: STATE_LABEL, **{c: f"{c} County" for c in sorted(REGION_OF_COUNTY)}}


def _date_inputs(initial: PolicyView | None) -> list[blocks.Block]:
    dates = key_dates_of(initial.key_dates) if initial else []
    found: list[blocks.Block] = []
    for number, (label_block, label_input, date_block, date_input) in enumerate(
        ids.DATE_FIELDS, start=1
    ):
        current = dates[number - 1] if number <= len(dates) else None
        found.append(
            blocks.input_block(
                label_block,
                f"Key date {number}: what happens",
                blocks.text_input(label_input, DATE_LABEL_MAX, current.label if current else None),
                optional=True,
                hint='For example "Hearing", "Floor vote" or "Applications due".'
                if number == 1
                else None,
            )
        )
        found.append(
            blocks.input_block(
                date_block,
                f"Key date {number}: when",
                _datepicker(date_input, current.on if current else None),
                optional=True,
            )
        )
    return found


def policy_modal(
    initial: PolicyView | None = None, metadata: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The share-a-policy-update form, blank or filled with an update being edited."""
    link: dict[str, Any] = {"type": "url_text_input", "action_id": ids.SOURCE_INPUT}
    if initial is not None:
        link["initial_value"] = initial.source_link[:LINK_MAX]
    body = [
        blocks.section(
            "Share a bill, budget item, guidance, funding opportunity or local policy the "
            "network should know about. A coordinator reviews it before it is posted."
        ),
        blocks.input_block(
            ids.TITLE_BLOCK,
            "Title",
            blocks.text_input(ids.TITLE_INPUT, TITLE_MAX, initial.title if initial else None),
        ),
        blocks.input_block(
            ids.KIND_BLOCK,
            "Kind",
            _select(
                ids.KIND_INPUT,
                "Choose a kind",
                POLICY_KINDS,
                initial.update_kind if initial else None,
            ),
        ),
        blocks.input_block(
            ids.JURISDICTION_BLOCK,
            "Jurisdiction",
            _select(
                ids.JURISDICTION_INPUT,
                "The state or a county",
                jurisdiction_choices(),
                initial.jurisdiction if initial else None,
            ),
        ),
        blocks.input_block(
            ids.DISTRICT_BLOCK,
            "School district",
            blocks.text_input(
                ids.DISTRICT_INPUT, DISTRICT_MAX, initial.district if initial else None
            ),
            optional=True,
            hint="For a district's own policy: name it, and choose its county above.",
        ),
        blocks.input_block(
            ids.IDENTIFIER_BLOCK,
            "Bill or item number",
            blocks.text_input(
                ids.IDENTIFIER_INPUT, IDENTIFIER_MAX, initial.identifier if initial else None
            ),
            optional=True,
            hint="For example AB 2117 or SB 88.",
        ),
        blocks.input_block(
            ids.STAGE_BLOCK,
            "Status",
            _stage_select(initial.stage if initial else None),
            hint="Bills and budget items move through the Legislature; funding opens and "
            "closes; guidance is proposed, then final.",
        ),
        *_date_inputs(initial),
        blocks.input_block(
            ids.SOURCE_BLOCK,
            "Link to the source",
            link,
            hint="An https address: the bill on leginfo, the CDE notice, the county page.",
        ),
        blocks.input_block(
            ids.SUMMARY_BLOCK,
            "Summary",
            blocks.text_input(
                ids.SUMMARY_INPUT,
                SUMMARY_MAX,
                initial.summary if initial else None,
                multiline=True,
            ),
            hint="What it does and why it matters for community schools.",
        ),
        blocks.input_block(
            ids.PILLARS_BLOCK,
            "Pillars",
            _multi(ids.PILLARS_INPUT, PILLARS, initial.pillars if initial else [], "Choose"),
        ),
        blocks.input_block(
            ids.FUNDING_BLOCK,
            "Funding streams",
            _multi(
                ids.FUNDING_INPUT,
                FUNDING_STREAMS,
                initial.funding_streams if initial else [],
                "Any it affects",
            ),
            optional=True,
        ),
        blocks.input_block(
            ids.ACT_BLOCK,
            "How members can act",
            blocks.text_input(
                ids.ACT_INPUT, ACT_MAX, initial.how_to_act if initial else None, multiline=True
            ),
            optional=True,
            hint="Write to a committee, comment on the draft, apply by the deadline…",
        ),
    ]
    editing = bool(metadata)
    return {
        "type": "modal",
        "callback_id": ids.POLICY_MODAL,
        "title": blocks.plain("Edit policy update" if editing else "Share a policy update", 24),
        "submit": blocks.plain("Submit for review", 24),
        "close": blocks.plain("Cancel", 24),
        "private_metadata": json.dumps(metadata or {}),
        "blocks": body,
    }


def stage_modal(update: PolicyView, *, update_id: int, sequence: int) -> dict[str, Any]:
    """Update status: the kind's own stages, and the line its history gets."""
    stages = POLICY_STAGES.get(update.update_kind, STAGE_LABELS)
    return {
        "type": "modal",
        "callback_id": ids.STAGE_MODAL,
        "title": blocks.plain("Update status", 24),
        "submit": blocks.plain("Update", 24),
        "close": blocks.plain("Cancel", 24),
        "private_metadata": json.dumps({"update_id": update_id, "sequence": sequence}),
        "blocks": [
            blocks.section(
                f"*{blocks.escape(update.title)}* is now "
                f"*{blocks.escape(stage_label(update.stage))}*. The post changes at once, "
                "and everyone following it gets a message."
            ),
            blocks.input_block(
                ids.NEW_STAGE_BLOCK,
                "Status",
                _select(ids.NEW_STAGE_INPUT, "Where it stands now", stages, update.stage),
            ),
            blocks.input_block(
                ids.NOTE_BLOCK,
                "What happened",
                blocks.text_input(ids.NOTE_INPUT, NOTE_MAX),
                optional=True,
                hint='For the post\'s history, for example "Passed the Assembly".',
            ),
        ],
    }


def dates_modal(update: PolicyView, *, update_id: int, sequence: int) -> dict[str, Any]:
    """Change key dates: the three date fields as they stand, and an optional note."""
    return {
        "type": "modal",
        "callback_id": ids.DATES_MODAL,
        "title": blocks.plain("Change key dates", 24),
        "submit": blocks.plain("Save dates", 24),
        "close": blocks.plain("Cancel", 24),
        "private_metadata": json.dumps({"update_id": update_id, "sequence": sequence}),
        "blocks": [
            blocks.section(
                f"Key dates of *{blocks.escape(update.title)}*. Clear a date's label and day to "
                "remove it. The post changes at once, everyone following it gets a message, "
                "and reminders follow the new dates."
            ),
            *_date_inputs(update),
            blocks.input_block(
                ids.NOTE_BLOCK,
                "What happened",
                blocks.text_input(ids.NOTE_INPUT, NOTE_MAX),
                optional=True,
                hint='For the post\'s history, for example "Hearing postponed a week".',
            ),
        ],
    }


def unavailable_modal() -> dict[str, Any]:
    """What opens instead of the form while no policy channel is configured."""
    return blocks.notice_modal(
        "Share a policy update",
        "Policy and funding updates are not switched on in this workspace yet. "
        "An administrator can turn them on by setting `CCSN_POLICY_CHANNEL`.",
    )
