"""`python -m bench` runs every benchmark (see `bench.run`)."""

from bench.run import main

raise SystemExit(main())
