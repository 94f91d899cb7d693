"""`python -m game` runs the same command line as `airace`."""

from game.cli import main

raise SystemExit(main())
