"""Build AI Race: pure Python, with the rules engine compiled by mypyc when it can be.

The engine (`game/engine`) is plain, fully typed Python. A wheel build
(`pip install .`) also compiles it to C with mypyc, which roughly doubles
the speed of `airace simulate`; where no C compiler is at hand the
extensions are optional and the same pure-Python engine is installed.
Editable installs (`pip install -e .`, for development) always stay pure, so
an edit to a source file takes effect at once. `AIRACE_PURE=1` skips the
compilation everywhere.
"""

from __future__ import annotations

import os
import sys

from setuptools import find_packages, setup
from setuptools.command.build_ext import build_ext

# The engine. `orders.py` holds a pydantic model, so it stays interpreted;
# so do the expression lambdas, which the compiled code calls like any
# Python function.
ENGINE = [
    "game/engine/state.py",
    "game/engine/rulebook.py",
    "game/engine/fleet.py",
    "game/engine/events.py",
    "game/engine/rules.py",
    "game/engine/policies.py",
    "game/engine/happenings.py",
    "game/engine/game.py",
]


def compiled_engine() -> list:
    # Compile only when a wheel is built: not for metadata, not for editable installs.
    if os.environ.get("AIRACE_PURE") or not {"bdist_wheel", "build_ext"} & set(sys.argv):
        return []
    try:
        from mypyc.build import mypycify

        extensions = mypycify(ENGINE, opt_level="3", debug_level="0")
    # mypyc reports a type error by exiting, so SystemExit is caught too.
    except (Exception, SystemExit) as exc:  # no mypyc, or the engine did not type-check: stay pure
        print(f"airace: installing the pure-Python engine ({exc})", file=sys.stderr)
        return []
    return extensions


class AllOrNothing(build_ext):
    """Build every compiled module or none: a half-compiled engine would not import."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # no C compiler, or it failed: install pure Python
            print(f"airace: installing the pure-Python engine ({exc})", file=sys.stderr)
            for ext in self.extensions:
                path = self.get_ext_fullpath(ext.name)
                if os.path.exists(path):
                    os.remove(path)
            self.extensions = []


setup(
    packages=find_packages(include=["game", "game.*"]) + ["game.scenarios", "game.assets"],
    # The shipped scenarios and assets live at the top of the repository,
    # where authors look for them, and travel inside the package.
    package_dir={"game.scenarios": "scenarios", "game.assets": "assets"},
    # The terminal game's stylesheets sit next to the screens and widgets they style.
    package_data={
        "game.scenarios": ["*.yaml", "*.md"],
        "game.assets": ["*"],
        "game.tui": ["*.tcss"],
        "game.tui.screens": ["*.tcss"],
        "game.tui.widgets": ["*.tcss"],
        # The page `airace serve` gives each browser tab.
        "game.web": ["*.html"],
    },
    ext_modules=compiled_engine(),
    cmdclass={"build_ext": AllOrNothing},
)
