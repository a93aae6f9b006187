"""``sim ephemeris``: write an orbit's states for other tools (CCSDS OEM, CZML for Cesium, CSV).

sim ephemeris (--preset NAME | --tle-file F | --omm-file F | --circular ALT,INC) --start T --days N
              --step S --format oem|czml|csv --out FILE [--model M] [--frame F] [--force]

``--out`` is checked before anything is computed and written atomically; an existing file is
replaced only when sim wrote it (:func:`sim.io.written_by_sim`) or with ``--force``. The orbit
options are those of ``sim windows`` (:func:`sim.commands.windows.add_orbit_source`).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from .windows import add_orbit_source, load_target, parse_start

if TYPE_CHECKING:
    import argparse

#: ``--format`` values.
FORMATS = ("oem", "czml", "csv")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sim ephemeris`` to the sub-command parsers ``sub``."""
    p = sub.add_parser(
        "ephemeris",
        help="write an orbit's states as a CCSDS OEM, a CZML document (Cesium) or CSV",
        description="Propagate an orbit over a span and write its states for other tools: a CCSDS "
        "Orbit Ephemeris Message (STK, GMAT, Orekit, FreeFlyer), a CZML document with the ground track "
        "(Cesium), or CSV.",
    )
    add_orbit_source(p, circular=True)
    p.add_argument("--start", required=True, help="first time, ISO 8601 UTC (e.g. 2027-01-01T00:00)")
    p.add_argument("--days", type=float, required=True, help="span in days (at most 731)")
    p.add_argument("--step", type=float, default=60.0, help="time step in s (default 60; at most 600 for czml)")
    p.add_argument("--format", choices=FORMATS, required=True, help="oem, czml or csv")
    p.add_argument("--out", required=True, help="file to write")
    p.add_argument(
        "--model",
        default=None,
        help="propagation model: j2, kepler, sgp4, cowell (default: sgp4 for element sets, else j2)",
    )
    p.add_argument(
        "--frame",
        type=str.upper,
        default=None,
        help="frame of oem/csv states: GCRS (default; REF_FRAME GCRF), EME2000, ITRS (ITRF) or TEME "
        "(czml positions are always Earth-fixed)",
    )
    p.add_argument("--force", action="store_true", help="replace --out even if sim did not write it")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Check ``--out``, build the orbit, propagate over the span and write the file; exit status 0."""
    import math

    from .. import constants as C
    from .. import io
    from ..errors import SimError, TimeInputError
    from ..outputs import OutputError, check_output_file
    from ..timeutil import time_range

    out = check_output_file(args.out, option="--out")  # before any computation
    if out.exists() and not args.force and not io.written_by_sim(out):
        raise OutputError(
            f"--out {args.out} exists and sim did not write it; choose another file or pass --force to replace it"
        )
    if args.frame is not None and args.format == "czml":
        raise SimError(f"--frame {args.frame} does not apply to --format czml (its positions are Earth-fixed)")
    frame = args.frame or "GCRS"
    if frame not in io.OEM_FRAMES:
        raise SimError(f"--frame must be one of {', '.join(io.OEM_FRAMES)}, got {args.frame!r}")
    if not (math.isfinite(args.days) and 0 < args.days <= C.MAX_SPAN_DAYS):
        raise TimeInputError(f"--days must be in (0, {C.MAX_SPAN_DAYS:g}] days, got {args.days:g}")
    largest = io.max_step_s(args.format)  # a CZML viewer interpolates: its samples must be close
    if not (math.isfinite(args.step) and 0 < args.step <= largest):
        raise TimeInputError(f"--step must be in (0, {largest:g}] s for --format {args.format}, got {args.step:g}")
    start = parse_start(args.start)
    orbit = load_target(args)
    model = args.model or ("sgp4" if orbit.satrecs is not None else "j2")
    from ..propagation import models

    if model not in models():
        raise SimError(f"--model must be one of {', '.join(m for m in models() if m != 'ephemeris')}, got {model!r}")
    times = time_range(start.isoformat(), days=args.days, step_s=args.step)
    if len(times) < 2:
        raise TimeInputError(f"--days {args.days:g} at --step {args.step:g} s gives one time; an ephemeris needs two")
    if args.format == "oem":
        io.write_oem(orbit, times, out, model=model, frame=frame)
    elif args.format == "czml":
        io.write_czml(orbit, times, out, model=model)
    else:
        io.write_csv_states(orbit, times, out, model=model, frame=frame)
    print(f"{args.format}: {len(times)} states of {', '.join(orbit.names)} ({model}) -> {out}", file=sys.stdout)
    return 0
