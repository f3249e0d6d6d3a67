"""The network's settings as coordinators set them in Slack, merged with the environment.

Which settings can be stored (the channels, coordinators, TA providers, the digest's schedule
and the time zone), how a stored value is checked, and the precedence that gives the
*effective* settings every feature reads:

1. a variable set in the environment (or `.env`) pins its value: Home shows it as "set by the
   server's configuration" and does not offer to change it;
2. otherwise the value stored from Home;
3. otherwise the default in `Settings`.

`CCSN_COORDINATORS` is the exception: the people it names are the network's *owners*, always
coordinators on top of the stored ones, so setting it never stops coordinators from adding
others. Pure functions only: storage keeps the values, `handlers.network` changes them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.config import CHANNEL_ID, USER_ID, Settings
from core.vocabulary import REGIONS

CHANNEL_KEYS = (
    "ccsn_coordinator_channel",
    "ccsn_practices_channel",
    "ccsn_events_channel",
    "ccsn_ta_channel",
    "ccsn_digest_channel",
    "ccsn_policy_channel",
)
PEOPLE_KEYS = ("ccsn_coordinators", "ccsn_ta_providers")
REGIONS_KEY = "ccsn_ta_region_providers"
TIMEZONE_KEY = "ccsn_timezone"
CRON_KEY = "ccsn_digest_cron"
STORED_KEYS = (*CHANNEL_KEYS, *PEOPLE_KEYS, REGIONS_KEY, TIMEZONE_KEY, CRON_KEY)

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = dict(
    zip(
        DAYS,
        ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        strict=True,
    )
)
# `0 9 * * mon`: the form Home writes; anything else set by hand is shown as it is.
_SIMPLE_CRON = re.compile(r"^(\d{1,2}) (\d{1,2}) \* \* (mon|tue|wed|thu|fri|sat|sun)$")

StoredValue = str | tuple[str, ...] | dict[str, tuple[str, ...]] | None


class InvalidSetting(ValueError):
    """A value Home (or a crafted request) offered that the setting cannot take."""


@dataclass(frozen=True)
class DigestTime:
    """The digest's weekly slot when its cron has the simple form Home writes."""

    minute: int
    hour: int
    day: str

    def label(self) -> str:
        """As people say it: `Mondays at 9:00 am`."""
        suffix = "am" if self.hour < 12 else "pm"
        return f"{DAY_NAMES[self.day]}s at {(self.hour % 12) or 12}:{self.minute:02d} {suffix}"

    def cron(self) -> str:
        """The crontab expression for this slot."""
        return f"{self.minute} {self.hour} * * {self.day}"


def digest_time(cron: str) -> DigestTime | None:
    """The weekly slot of a `M H * * day` cron; None for any other expression."""
    found = _SIMPLE_CRON.match(cron.strip().lower())
    if found is None:
        return None
    minute, hour, day = int(found[1]), int(found[2]), found[3]
    return DigestTime(minute, hour, day) if minute < 60 and hour < 24 else None


def pinned(environment: Settings, key: str) -> bool:
    """Whether the environment sets `key`, so Home may not change it (owners excepted)."""
    if key == "ccsn_coordinators" or key not in environment.model_fields_set:
        return False
    return getattr(environment, key) not in (None, (), {})  # an empty value pins nothing


def owners(environment: Settings) -> tuple[str, ...]:
    """The coordinators named by `CCSN_COORDINATORS`: never removable from Home."""
    return environment.ccsn_coordinators


def _unique(ids: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(ids))


def checked(key: str, value: object) -> StoredValue:
    """`value` as `key` stores it, or InvalidSetting saying why not.

    Every stored value passes through here, from Home or from the environment's seed, so the
    effective settings never hold something `Settings` itself would refuse.
    """
    if key in CHANNEL_KEYS:
        if value in (None, ""):
            return None
        if not isinstance(value, str) or not CHANNEL_ID.match(value):
            raise InvalidSetting("That is not a Slack channel.")
        return value
    if key in PEOPLE_KEYS:
        people = _people(value)
        return _unique(people)
    if key == REGIONS_KEY:
        if not isinstance(value, Mapping):
            raise InvalidSetting("Regional providers are a region and its people.")
        mapping: dict[str, tuple[str, ...]] = {}
        for region, ids in value.items():
            if region not in REGIONS:
                raise InvalidSetting(f"{region!r} is not an R-TAC region.")
            people = _unique(_people(ids, groups=True))
            if people:
                mapping[str(region)] = people
        return mapping
    if key == TIMEZONE_KEY:
        try:
            if not isinstance(value, str):
                raise ValueError(value)
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
            raise InvalidSetting("That is not a time zone.") from exc
        return value
    if key == CRON_KEY:
        if not isinstance(value, str) or digest_time(value) is None:
            raise InvalidSetting("The digest goes out on a weekday at a whole hour.")
        return value
    raise InvalidSetting("That setting cannot be changed here.")


def _people(value: object, *, groups: bool = False) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise InvalidSetting("Choose people from the list.")
    for user_id in value:
        if not (USER_ID.match(user_id) or (groups and re.match(r"^S[A-Z0-9]{2,}$", user_id))):
            raise InvalidSetting(f"{user_id!r} is not a Slack user.")
    return tuple(value)


def effective(environment: Settings, stored: Mapping[str, StoredValue]) -> Settings:
    """The settings features read: the environment's pins over `stored` over the defaults."""
    update: dict[str, object] = {}
    for key in STORED_KEYS:
        if key in stored and not pinned(environment, key):
            update[key] = stored[key]
    if "ccsn_coordinators" in stored:
        extra = stored["ccsn_coordinators"] or ()
        assert isinstance(extra, tuple)
        update["ccsn_coordinators"] = _unique((*owners(environment), *extra))
    return environment.model_copy(update=update) if update else environment


def seed_values(environment: Settings) -> dict[str, StoredValue]:
    """What the environment sets, to store on first start so it survives the variable's removal.

    A seed that would not pass `checked` (say, a user group among `CCSN_TA_PROVIDERS`) is left
    out: the variable still pins it while it is set.
    """
    found: dict[str, StoredValue] = {}
    for key in STORED_KEYS:
        if key not in environment.model_fields_set or getattr(environment, key) in (None, (), {}):
            continue
        try:
            found[key] = checked(key, getattr(environment, key))
        except InvalidSetting:
            continue
    return found
