"""``sim demo``: the preset table and a ground-track map of the four compared stations."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # type-only: never imported at run time
    import argparse

import io


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``sim demo`` and its options to the ``sim`` sub-command parsers ``sub``."""
    p = sub.add_parser("demo", help="print the ISS/ROS preset table and draw their ground tracks")
    p.add_argument(
        "--out",
        default="out",
        help="output folder for ground_tracks.png (default: out; other files in it are left alone)",
    )
    p.add_argument("--hours", type=float, default=3.0, help="hours of ground track to draw (default 3)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Run ``sim demo`` with the parsed ``args``; return the exit status."""
    from .. import presets
    from ..errors import SimError
    from ..groundtrack import ground_track
    from ..outputs import OutputError, check_output_folder, write_bytes_atomic
    from ..plots import ground_track_figure
    from ..timeutil import time_range
    from .presets import preset_table

    if not (0 < args.hours <= 24 * 30):
        raise SimError(f"--hours must be in (0, 720], got {args.hours}")
    out = check_output_folder(args.out, option="--out", replace=False)
    path = out / "ground_tracks.png"
    if path.is_dir():
        raise OutputError(f"--out {args.out}: ground_tracks.png in it is a folder, where the figure would be written")
    names = list(presets.COMPARISON)
    print(preset_table(names))
    orb = presets.get(names)
    t = time_range(orb.epoch[0], step_s=30.0, days=args.hours / 24.0)
    lat, lon, _ = ground_track(orb, t)
    out.mkdir(parents=True, exist_ok=True)
    fig = ground_track_figure(
        lat, lon, orb.names, title=f"Ground tracks, {args.hours:g} h from {orb.epoch[0].isot[:16]} UTC"
    )
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=120)
    write_bytes_atomic(path, buf.getvalue())
    print(f"\nground tracks: {path}")
    return 0
