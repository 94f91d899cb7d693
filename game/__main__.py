"""`python -m game` runs the same command line as `airace`."""

from game.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
