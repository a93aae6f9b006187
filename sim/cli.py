"""The ``sim`` command line.

Each sub-command lives in a module of :mod:`sim.commands` with a function
``register(subparsers)`` that adds its parser and sets ``func`` (taking the parsed
arguments, returning an exit status). A user's mistake raises
:class:`sim.errors.SimError`: printed on one line, exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from .commands import coorbital, decay, demo, ephemeris, presets, run, sweep, windows
from .errors import SimError

#: Sub-command modules, in the order ``sim --help`` lists them.
COMMAND_MODULES = (
    run,  # sim run SCENARIO / sim validate SCENARIO
    demo,  # sim demo: preset table + ground tracks
    presets,  # sim presets
    windows,  # sim windows: launch windows
    coorbital,  # sim coorbital: two stations together
    decay,  # sim decay: lifetime / reboost
    sweep,  # sim sweep: trade sweeps on Dask
    ephemeris,  # sim ephemeris: OEM / CZML / CSV states for other tools
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse's own usage errors also exit 2, on one line
        self.print_usage(sys.stderr)
        print(f"sim: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    """The ``sim`` argument parser with every sub-command of :data:`COMMAND_MODULES` registered."""
    from .version import __version__

    parser = _Parser(prog="sim", description="Compare the ISS orbit with the candidate ROS orbits.")
    parser.add_argument("--version", action="version", version=f"sim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for mod in COMMAND_MODULES:
        mod.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``sim`` command line on ``argv`` (default: ``sys.argv[1:]``); return the exit status
    (0 ok, 2 for a user mistake, printed on one line)."""
    import warnings

    from .timeutil import DUBIOUS_YEAR_WARNING

    # ERFA warns about every UTC epoch past the leap-second table (dates from ~2029), which sim's
    # users ask about routinely; nothing can be done about it (sim.timeutil.DUBIOUS_YEAR_WARNING).
    warnings.filterwarnings("ignore", message=DUBIOUS_YEAR_WARNING)
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except SimError as exc:
        print(f"sim: error: {exc}".replace("\n", " "), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("sim: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
