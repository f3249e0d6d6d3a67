"""One `Settings` object, read from the environment (and `.env`) once, in the entry point.

Field names are the environment variable names in lower case, so an error about a field can
name the variable a person has to fix.
"""

from __future__ import annotations

import re
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from apscheduler.triggers.cron import CronTrigger
from pydantic import SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from core.vocabulary import REGIONS

# `\Z`, not `$`: `$` also matches before a final line break, so "U123\n" would pass.
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}\Z")
USER_GROUP_ID = re.compile(r"^S[A-Z0-9]{2,}\Z")
CHANNEL_ID = re.compile(r"^[CGD][A-Z0-9]{2,}\Z")

UserIds = Annotated[tuple[str, ...], NoDecode]
RegionProviders = Annotated[dict[str, tuple[str, ...]], NoDecode]
ReminderDays = Annotated[tuple[int, ...], NoDecode]


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable to fix."""


def _split_ids(value: object) -> object:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return value


def _parse_region_providers(value: str) -> dict[str, tuple[str, ...]]:
    """`Bay Area=U0123|S0456; Central Valley=U0789` as {region: (ids...)}.

    Region names are the R-TAC names (any case); ids are users (U…/W…) or user groups (S…).
    """
    regions = {name.lower(): name for name in REGIONS}
    mapping: dict[str, tuple[str, ...]] = {}
    for entry in (part.strip() for part in value.split(";")):
        if not entry:
            continue
        name, sep, ids = entry.partition("=")
        region = regions.get(" ".join(name.split()).lower())
        if not sep or region is None:
            raise ValueError(
                f"{name.strip()!r} is not an R-TAC region (write Region=U0123|S0456; regions: "
                + ", ".join(REGIONS)
                + ")"
            )
        if region in mapping:
            raise ValueError(f"{region!r} is listed twice")
        people = tuple(part.strip() for part in ids.split("|") if part.strip())
        if not people:
            raise ValueError(f"{region!r} has no user or user-group IDs")
        for slack_id in people:
            if not (USER_ID.match(slack_id) or USER_GROUP_ID.match(slack_id)):
                raise ValueError(
                    f"{slack_id!r} is not a Slack user ID (U0123ABCD) or user-group ID (S0123ABCD)"
                )
        mapping[region] = people
    return mapping


def _parse_reminder_days(value: object) -> tuple[int, ...]:
    """`7,1` as (7, 1): whole days from 1 to 60 before a key date, largest first, no repeats."""
    parts = value.split(",") if isinstance(value, str) else value
    if not isinstance(parts, list | tuple):
        raise ValueError(f"{value!r} is not a comma-separated list of days such as 7,1")
    days: list[int] = []
    for part in parts:
        text = part.strip() if isinstance(part, str) else part
        if text == "":
            continue  # `7,,1` or a trailing comma
        if isinstance(text, str) and text.isdecimal() and text.isascii():
            text = int(text)
        if not isinstance(text, int) or isinstance(text, bool) or not 1 <= text <= 60:
            raise ValueError(f"{part!r} is not a whole number of days from 1 to 60 (write 7,1)")
        if text in days:
            raise ValueError(f"{text} is listed twice")
        days.append(text)
    return tuple(sorted(days, reverse=True))


class Settings(BaseSettings):
    """Everything the bot can be configured with. See `.env.example` for each variable."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        frozen=True,
    )

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    database_url: str = "sqlite:///ccsn.db"
    ccsn_coordinators: UserIds = ()
    ccsn_ta_providers: UserIds = ()
    ccsn_coordinator_channel: str | None = None
    ccsn_practices_channel: str | None = None
    ccsn_events_channel: str | None = None
    ccsn_ta_channel: str | None = None
    ccsn_digest_channel: str | None = None
    ccsn_timezone: str = "America/Los_Angeles"
    ccsn_digest_cron: str = "0 9 * * mon"
    ccsn_ta_region_providers: RegionProviders = {}
    ccsn_ta_remind_days: int = 3
    ccsn_digest_grace_hours: int = 24
    ccsn_public_url: str | None = None
    ccsn_public_pages: bool = True
    ccsn_event_reminder_hours: int = 24
    ccsn_policy_channel: str | None = None
    ccsn_policy_reminder_days: ReminderDays = (7, 1)

    @field_validator("ccsn_coordinators", "ccsn_ta_providers", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        return _split_ids(value)

    @field_validator("ccsn_coordinators", "ccsn_ta_providers")
    @classmethod
    def _user_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for user_id in value:
            if not USER_ID.match(user_id):
                raise ValueError(f"{user_id!r} is not a Slack user ID (like U0123ABCD)")
        return value

    @field_validator(
        "ccsn_coordinator_channel",
        "ccsn_practices_channel",
        "ccsn_events_channel",
        "ccsn_ta_channel",
        "ccsn_digest_channel",
        "ccsn_policy_channel",
        mode="before",
    )
    @classmethod
    def _channel_id(cls, value: object) -> object:
        if value in (None, ""):
            return None
        if not isinstance(value, str) or not CHANNEL_ID.match(value.strip()):
            raise ValueError(f"{value!r} is not a Slack channel ID (like C0123ABCD)")
        return value.strip()

    @field_validator("ccsn_ta_region_providers", mode="before")
    @classmethod
    def _region_providers(cls, value: object) -> object:
        return _parse_region_providers(value) if isinstance(value, str) else value

    @field_validator("ccsn_ta_remind_days")
    @classmethod
    def _remind_days(cls, value: int) -> int:
        if not 1 <= value <= 60:
            raise ValueError("must be a whole number of days from 1 to 60")
        return value

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("a bot token starts with xoxb-")
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("an app-level token starts with xapp-")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("must be an http(s) URL such as https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not value.startswith(("sqlite", "postgresql")):
            raise ValueError("use sqlite:///file.db or postgresql+psycopg://user@host/db")
        if value.startswith("postgresql://"):
            # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2.
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @field_validator("ccsn_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        # A region name such as "Pacific" is a directory in the tzdata package: OSError.
        except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
            raise ValueError(f"{value!r} is not an IANA time zone") from exc
        return value

    @field_validator("ccsn_digest_cron")
    @classmethod
    def _cron(cls, value: str) -> str:
        try:
            CronTrigger.from_crontab(value)
        except ValueError as exc:
            raise ValueError(f"{value!r} is not a crontab expression: {exc}") from exc
        return value

    @field_validator("ccsn_digest_grace_hours")
    @classmethod
    def _grace_hours(cls, value: int) -> int:
        if not 1 <= value <= 168:
            raise ValueError("must be a number of hours from 1 to 168")
        return value

    @field_validator("ccsn_public_url", mode="before")
    @classmethod
    def _public_url(cls, value: object) -> object:
        if value in (None, ""):
            return None
        if not isinstance(value, str) or not re.match(r"^https?://[^/\s]+[^\s]*$", value.strip()):
            raise ValueError(
                "must be the bot's public http(s) address, like https://hub.example.org"
            )
        return value.strip().rstrip("/")

    @field_validator("ccsn_event_reminder_hours", mode="before")
    @classmethod
    def _reminder_hours(cls, value: object) -> object:
        hours = value.strip() if isinstance(value, str) else value
        if isinstance(hours, str) and hours.isdigit():
            hours = int(hours)
        if not isinstance(hours, int) or isinstance(hours, bool) or not 1 <= hours <= 336:
            raise ValueError(f"{value!r} is not a whole number of hours from 1 to 336")
        return hours

    @field_validator("ccsn_policy_reminder_days", mode="before")
    @classmethod
    def _policy_reminder_days(cls, value: object) -> object:
        return _parse_reminder_days(value)

    @property
    def timezone(self) -> ZoneInfo:
        """The network's time zone, in which times are shown and the digest is scheduled."""
        return ZoneInfo(self.ccsn_timezone)

    @property
    def socket_mode(self) -> bool:
        """Whether to connect over Socket Mode (an app-level token is set) instead of HTTP."""
        return self.slack_app_token is not None

    @property
    def slack_configured(self) -> bool:
        """Whether any Slack credential was given; with none, `start` runs the offline demo."""
        return any(
            v is not None
            for v in (self.slack_bot_token, self.slack_signing_secret, self.slack_app_token)
        )

    def is_coordinator(self, user_id: str) -> bool:
        """Whether this user may review submissions. Decided here, never from a payload."""
        return user_id in self.ccsn_coordinators

    def require_for_serve(self) -> None:
        """Refuse to serve without what a live workspace needs, naming the first gap.

        A token, the signing secret (HTTP only) and at least one owner (`CCSN_COORDINATORS`),
        who then chooses the channels and everything else in Home.

        Raises:
            SettingsError: naming the missing variable.
        """
        required = ["slack_bot_token"]
        if not self.socket_mode:  # Socket Mode requests are not signed
            required.append("slack_signing_secret")
        # Channels are chosen in Home once the bot runs; the owners set up everything else.
        required.append("ccsn_coordinators")
        for name in required:
            if not getattr(self, name):
                raise SettingsError(f"{name.upper()} is not set; see .env.example")


def load_settings(env_file: str | None = ".env", **overrides: object) -> Settings:
    """Read settings from the environment and `env_file`, as one line on failure.

    Raises:
        SettingsError: naming the variable that is malformed.
    """
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg, arg-type]
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "settings"
        message = str(error["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"{name}: {message}") from None
