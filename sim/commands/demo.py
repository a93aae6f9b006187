"""``sim demo``: the preset table and a ground-track map of the four compared stations."""

from __future__ import annotations

from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("demo", help="print the ISS/ROS preset table and draw their ground tracks")
    p.add_argument("--out", default="out", help="output folder (default: out)")
    p.add_argument("--hours", type=float, default=3.0, help="hours of ground track to draw (default 3)")
    p.set_defaults(func=run)


def run(args) -> int:
    from .. import presets
    from ..errors import SimError
    from ..groundtrack import ground_track
    from ..plots import ground_track_figure
    from ..timeutil import time_range
    from .presets import preset_table

    if not (0 < args.hours <= 24 * 30):
        raise SimError(f"--hours must be in (0, 720], got {args.hours}")
    names = list(presets.COMPARISON)
    print(preset_table(names))
    orb = presets.get(names)
    t = time_range(orb.epoch[0], step_s=30.0, days=args.hours / 24.0)
    lat, lon, _ = ground_track(orb, t)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    fig = ground_track_figure(lat, lon, orb.names,
                              title=f"Ground tracks, {args.hours:g} h from {orb.epoch[0].isot[:16]} UTC")
    path = out / "ground_tracks.png"
    tmp = path.with_suffix(".tmp.png")
    fig.savefig(tmp, dpi=120)
    tmp.replace(path)
    print(f"\nground tracks: {path.resolve()}")
    return 0
