"""Outbox links live in the row (`links`), not as tokens in the text; `maybe_sent` for lookups.

Until now the worker searched every payload for `{permalink:KEY}` and `{permalink}` and
replaced them, so a member who typed one in a form had it treated as the bot's own. Each row
now lists its links (`links`: the string's path, the label's span, the key); `permalink_of`
is gone. Messages still queued are converted: each token they carry becomes its label and a
spot, as the old worker would have filled them.

`maybe_sent` marks a post whose outcome is unknown (a timeout, a crash), so the next attempt
looks for it in Slack before posting again.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 00:10:00.000000
"""

import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The old grammar, frozen here: a migration must not change when the code does.
_LINKED = re.compile(r"<\{permalink:([A-Za-z0-9:_.\-]{1,128})\}\|([^<>]*)>")
_PERMALINK = "{permalink}"
_LABEL = "see it here"
_NO_LINK = "look for it in the channel (Slack could not give me a link to it)"

_outbox = sa.table(
    "outbox_messages",
    sa.column("id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("payload", sa.JSON),
    sa.column("permalink_of", sa.String),
    sa.column("links", sa.JSON),
)


def _convert(payload: Any, permalink_of: str | None) -> tuple[Any, list[dict[str, Any]]]:
    spots: list[dict[str, Any]] = []

    def walk(value: Any, path: list[Any]) -> Any:
        if isinstance(value, dict):
            return {k: walk(v, [*path, k]) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, [*path, i]) for i, v in enumerate(value)]
        if not isinstance(value, str):
            return value
        out, position = "", 0
        pattern = re.compile(f"{_LINKED.pattern}|{re.escape(_PERMALINK)}")
        for found in pattern.finditer(value):
            out += value[position : found.start()]
            if found.group(0) == _PERMALINK:
                if permalink_of is None:
                    out += found.group(0)
                else:
                    spots.append(
                        {
                            "key": permalink_of,
                            "path": path,
                            "start": len(out),
                            "end": len(out) + len(_LABEL),
                            "missing": _NO_LINK,
                        }
                    )
                    out += _LABEL
            else:
                key, label = found.group(1), found.group(2)
                spots.append(
                    {"key": key, "path": path, "start": len(out), "end": len(out) + len(label)}
                )
                out += label
            position = found.end()
        return out + value[position:]

    return walk(payload, []), spots


def upgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("links", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("maybe_sent", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    bind = op.get_bind()
    pending = bind.execute(
        sa.select(_outbox.c.id, _outbox.c.payload, _outbox.c.permalink_of).where(
            _outbox.c.status == "pending"
        )
    ).all()
    for row in pending:
        payload, spots = _convert(row.payload, row.permalink_of)
        if spots:
            bind.execute(
                sa.update(_outbox)
                .where(_outbox.c.id == row.id)
                .values(payload=payload, links=spots)
            )

    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("permalink_of")


def downgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("permalink_of", sa.String(length=128), nullable=True))
        batch_op.drop_column("maybe_sent")
        batch_op.drop_column("links")
