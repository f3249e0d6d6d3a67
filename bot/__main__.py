"""`python -m bot` is `ccsn-bot`."""

from bot.cli import main

raise SystemExit(main())
