"""`/ccsn`: subcommands from the features, help for anything else."""

from __future__ import annotations

from demokit import simulate
from handlers.ccsn import ids
from tests.conftest import COORDINATORS, MEMBER
from tests.handlers.ccsn.conftest import command_answer
from tests.harness import Bot
from tests.test_manifest import MANIFEST


def ccsn(bot: Bot, user: str, text: str) -> dict:
    return command_answer(bot.send(simulate.slash_command(ids.CCSN_COMMAND, user, text)))


def test_an_unknown_subcommand_answers_with_help(bot: Bot) -> None:
    """`/ccsn frobnicate` says it does not know it and lists what `/ccsn` can do."""
    answer = ccsn(bot, MEMBER, "frobnicate now")

    assert answer["text"].startswith("I don't know `frobnicate`. Here is what `/ccsn` can do:")
    for name in ("digest", "subscribe", "unsubscribe"):
        assert f"• `/ccsn {name}`:" in answer["text"]


def test_no_subcommand_or_help_lists_the_subcommands(bot: Bot) -> None:
    """`/ccsn` and `/ccsn help` answer with the list, without complaining."""
    for text in ("", "help", "  HELP "):
        answer = ccsn(bot, MEMBER, text)
        assert answer["text"].startswith("Here is what `/ccsn` can do:")


def test_typed_mentions_in_an_unknown_subcommand_are_escaped(bot: Bot) -> None:
    """Echoing what the member typed cannot ping anyone."""
    answer = ccsn(bot, MEMBER, "<!channel>")

    assert "<!channel>" not in answer["text"]
    assert "&lt;!channel&gt;" in answer["text"]


def test_subcommand_names_are_case_insensitive(bot: Bot) -> None:
    """`/ccsn DIGEST` reaches the digest subcommand."""
    answer = ccsn(bot, COORDINATORS[0], "DIGEST")

    assert answer["text"].startswith("Preview: ")


def test_help_lists_every_subcommand_with_one_line_each(bot: Bot) -> None:
    """`/ccsn help` names every command, one per line: `/ccsn`'s own (help too), then the rest."""
    answer = ccsn(bot, MEMBER, "help")

    lines = [line for line in answer["text"].splitlines() if line.startswith("• `")]
    commands = [line.split("`")[1] for line in lines]
    assert commands == [
        "/ccsn digest",
        "/ccsn subscribe",
        "/ccsn unsubscribe",
        "/ccsn search",
        "/ccsn export",
        "/ccsn setup",
        "/ccsn find-ta",
        "/ccsn policy",
        "/ccsn help",
        "/share-practice",
        "/request-ta",
        "/announce-event",
        "/offer-ta",
        "/policy-update",
    ]
    declared = {c["command"] for c in MANIFEST["features"]["slash_commands"]} - {"/ccsn"}
    assert set(commands[-5:]) == declared
    assert all("`: " in line for line in lines)
