"""Results in, files out: report.html, figures/*.png, tables/*.csv and summary.json.

Everything is written through :mod:`sim.outputs`: into a fresh temporary folder beside the
destination, moved into place only when complete (a killed run's leftovers are cleaned, and a
stranded previous report restored, by the next run), under a lock so two runs cannot
interleave. An existing destination is replaced only when it is empty or holds only files sim
wrote (listed in its ``.sim-output`` marker); anything else is refused, so ``--out ~`` cannot
wipe a home folder and the scenario file is never deleted. CSV cells go through
:func:`sim.outputs.write_csv` (spreadsheet formulas neutralised).

Every file is byte-identical for the same scenario, inputs and software: no timings and no
wall-clock time are written (the command line prints the run time). ``report.html`` says when
it was generated only when ``SOURCE_DATE_EPOCH`` is set (reproducible-builds convention, seconds
since 1970 UTC), and then gives that date.

``report.html`` is self-contained (figures embedded as base64 PNG, inline CSS, no
scripts, no network): the side-by-side table of every metric for every station, each
analysis with its figures, tables and notes, the definitions of the metrics, the element
sets and model choices, the scenario file itself and the software versions.

summary.json (schema ``sim.summary/1``)
---------------------------------------
A JSON object, byte-identical for the same scenario, inputs and software (no timings or
wall-clock times; floats rounded to 6 significant digits; non-finite values are null)::

    {
      "schema": "sim.summary/1",
      "scenario": {"name": str, "description": str, "file": str (file name),
                   "sha256": str (of the scenario file's text),
                   "start_utc": ISO str, "stop_utc": ISO str, "days": float, "step_s": float,
                   "propagation_model": str},
      "stations": [{"name": str, "colour": str, "source": str, "epoch_utc": ISO str,
                    "element_age_days": float (analysis start minus epoch; sim warns beyond
                    sim.scenario.MAX_ELEMENT_AGE_DAYS for element sets),
                    "semi_major_axis_km": float, "eccentricity": float, "inclination_deg": float,
                    "raan_deg": float, "argp_deg": float, "mean_anomaly_deg": float}, ...],
      "analyses": {name: {"title": str, "status": "ok" | "not available", "reason": str,
                          "metrics": [metric keys], "tables": [csv paths], "figures": [png paths],
                          "captions": {png path: str (one sentence: what the figure shows)},
                          "notes": [str]}},
      "metrics": {key: {"analysis": str, "label": str, "unit": str, "definition": str,
                        "values": {station name: float | str | null}}},
      "software": {package: version},
      "files": {"report": "report.html", "figures": [paths], "tables": [paths]}
    }

Metric keys are ``<analysis>.<metric>`` (``orbit.altitude_km``,
``coverage.russia.seen_within_7d_pct``, ...); every station appears in every metric's
``values`` (null where a value does not exist, e.g. a site that cannot reach an orbit).

Public API::

    write_outputs(results, out_dir) -> Path          # path of report.html; out_dir: path or
                                                     # a sim.outputs.reserve_folder(...) already entered
    summary_dict(results, files) -> dict
    SCHEMA = "sim.summary/1"
"""

from __future__ import annotations

import base64
import datetime as _dt
import hashlib
import html
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .outputs import OutputError, OutputFolder, reserve_folder, write_csv
from .text import plural

if TYPE_CHECKING:  # type-only: lint-imports and the cycle test ignore these
    from .runner import RunResults

# OutputError is defined in sim.outputs and kept here for code that imported it from sim.report
__all__ = [
    "HEADLINE",
    "SCHEMA",
    "Claim",
    "OutputError",
    "generated_at",
    "headline_rows",
    "software_versions",
    "summary_dict",
    "write_outputs",
]

#: The ``schema`` value of summary.json (bumped when its layout changes).
SCHEMA = "sim.summary/1"

_PACKAGES = (
    "numpy",
    "scipy",
    "astropy",
    "astropy-iers-data",
    "sgp4",
    "numba",
    "matplotlib",
    "cartopy",
    "shapely",
    "pyproj",
    "pymsis",
    "ppigrf",
    "aep8",
    "pydantic",
    "tqdm",
    "xarray",
    "dask",
)


@dataclass(frozen=True)
class Claim:
    """One row of the report's headline table: a published claim and the metrics that answer it.

    ``metrics``: (metric key, line label) pairs; a key may hold one ``*`` (e.g.
    ``launch.*.windows_per_day``: one line per site), and ``{*}`` in the label is replaced by
    what the ``*`` matched, ``{name}`` by the metric's own label up to its last ": " (e.g. the
    pair "ISS -> ROS 51.6" of a [coorbital] metric). ``section``: the analysis whose section holds the details (default:
    that of the first metric). ``absent``: what the row says when none of its metrics was
    computed (rows without it are left out then)."""

    key: str
    claim: str
    source: str
    definition: str
    metrics: tuple[tuple[str, str], ...] = ()
    section: str = ""
    absent: str = ""


#: The headline table: each published claim (sim/data/reference_facts.md) against sim's numbers.
HEADLINE: tuple[Claim, ...] = (
    Claim(
        "russia_seen",
        "The ISS sees \u201conly 15-20 %\u201d (Izvestia) or \u201c10-12 %\u201d (Knutov) of Russia; a polar orbit "
        "\u201cup to 90 %\u201d",
        "Izvestia 2021; Knutov 2021",
        "share of Russia's area with the station above the footprint's elevation mask at least once",
        (("coverage.russia.seen_within_*d_pct", "within {*} d"),),
    ),
    Claim(
        "russia_blind",
        "\u201cMore than 80 % of Russia's territory\u201d lies in the ISS's blind zone",
        "Energia, Army-2023",
        "share of Russia's area never seen over the coverage span",
        (("coverage.russia.never_seen_pct", ""),),
    ),
    Claim(
        "russia_orbits",
        "Russia is visible \u201con almost 90 % of all orbits\u201d at 97 deg, \u201conly 55 %\u201d from the ISS",
        "Izvestia 2021",
        "share of complete revolutions whose ground track enters Russia",
        (("coverage.russia.revolutions_over_pct", ""),),
    ),
    Claim(
        "arctic_passes",
        "The polar station passes over the Arctic \u201cevery one and a half hours\u201d",
        "TASS 2021-08-24",
        "share of revolutions whose ground track enters the Arctic (north of the Arctic Circle), and the "
        "nodal period: 100 % means a pass every revolution",
        (("coverage.arctic.revolutions_over_pct", "revolutions"), ("orbit.nodal_period_min", "one every")),
    ),
    Claim(
        "whole_earth",
        "\u2026 and over the whole Earth \u201cevery two days\u201d",
        "TASS 2021-08-24",
        "share of all land (Natural Earth 1:50m) seen at least once",
        (("coverage.land.seen_within_*d_pct", "land within {*} d"),),
        section="coverage",
        absent='not computed: add "land" to [coverage] regions',
    ),
    Claim(
        "dose",
        "The dose is about 20 % (IBMP) to 30 % (Izvestia) higher at the polar orbit",
        "IBMP; Izvestia 2021",
        "estimated absorbed dose rate relative to the first station (AP8 trapped protons + GCR by cutoff "
        "rigidity, constants fitted on ISS and Mir dosimetry only, so the claim is not an input) with its calibration "
        "band; the ratio rests on the first station's GCR share (ratio = (1 - share) x proton-flux ratio + share "
        "x GCR-index ratio): the calibrated share and the share each claim would need; then the time proxy "
        "(minutes in the SAA and at high geomagnetic latitude, not a dose)",
        (
            ("environment.dose_ratio_to_first", "dose x"),
            ("environment.dose_ratio_low_to_first", "band low x"),
            ("environment.dose_ratio_high_to_first", "band high x"),
            ("environment.dose_gcr_share", "GCR share (calibrated)"),
            ("environment.dose_claim_*pct_gcr_share", "+{*} % needs a first-station GCR share of"),
            ("environment.saa_ratio_to_first", "SAA time x"),
            ("environment.horn_ratio_to_first", "polar time x"),
        ),
    ),
    Claim(
        "crew_stay",
        "Crew stays are limited to 11 months at 96.8 deg",
        "RIA 2025-12-05",
        "not modelled as a limit: sim estimates dose rates (see the dose row and [environment] dose) but no "
        "career or mission dose limits, organ doses or solar particle events",
        section="environment",
    ),
    Claim(
        "launch_sites",
        "Polar plan from Vostochny and Plesetsk; the 51.6 deg plan from Baikonur (and Vostochny for later modules)",
        "Interfax 2022-06-06; RIA 2025-12-05",
        "in-plane launch opportunities per day at an azimuth the site allows (0: the plane never passes over "
        "the site, or only at a forbidden azimuth)",
        (("launch.*.windows_per_day", "{*}"),),
    ),
    Claim(
        "decay",
        "The ISS decays \u201c2 km/month\u201d (0.067 km/day)",
        "Wikipedia",
        "loss of orbit-mean altitude per day over the first 10 days without reboost, per solar activity",
        (("lifetime.*.decay_km_per_day", "{*}"),),
    ),
    Claim(
        "reboost",
        "Reboosts \u201cevery 3-6 weeks\u201d (9-17 a year); yearly reboost delta-v: no authoritative number",
        "Wikipedia; reference_facts.md",
        "delta-v per year of the reboosts that hold the orbit-mean altitude in its band, per solar activity",
        (("lifetime.*.reboost_dv_m_s_per_year", "{*}"), ("lifetime.moderate.reboosts_per_year", "reboosts")),
    ),
    Claim(
        "crew_transfer",
        "At 51.6 deg, \u201cthe ability of cosmonauts to dock, undock, and move between\u201d ROS and the ISS "
        "depends on the orbit chosen",
        "Bakanov, TASS 2025-07-28",
        "cheapest two-impulse transfer from the first station of each [coorbital] pair to the second (delta-v, "
        "departures inside the alignment windows) and how often their planes realign",
        (
            ("coorbital.*.cheapest_transfer_dv_m_s", "{name}: cheapest transfer"),
            ("coorbital.*.realignment_period_days", "{name}: planes realign every"),
        ),
    ),
    Claim(
        "beta",
        "ISS: no eclipse above about 70 deg beta; the beta angle peaks near 75 deg (51.64 + 23.44)",
        "WRAL 2014",
        "largest |beta| over the light span, and whole days without an eclipse",
        (("environment.beta_max_abs_deg", "max |beta|"), ("environment.sunlight_days", "sunlit days")),
    ),
)


def _matches(pattern: str, metrics: dict) -> list[tuple[str, Any]]:
    """(what ``*`` matched, metric) for every metric whose key fits ``pattern``, in run order."""
    if "*" not in pattern:
        return [("", metrics[pattern])] if pattern in metrics else []
    head, tail = pattern.split("*", 1)
    return [
        (k[len(head) : len(k) - len(tail)], m)
        for k, m in metrics.items()
        if k.startswith(head) and k.endswith(tail) and len(k) > len(head) + len(tail)
    ]


def headline_rows(results: RunResults) -> list[dict[str, Any]]:
    """The headline table's rows for ``results``: each :data:`HEADLINE` claim with its lines per station.

    Each row: ``{"claim": Claim, "section": analysis name, "lines": [(label, unit, {station: value},
    digits, definition)]}``; claims none of whose metrics were computed are left out (or shown with
    their ``absent`` text); the not-modelled rows are shown only beside at least one computed row."""
    metrics = {m.key: m for m in results.all_metrics()}
    rows = []
    for c in HEADLINE:
        lines = []
        for pattern, label in c.metrics:
            for star, m in _matches(pattern, metrics):
                text = label.replace("{*}", star).replace("{name}", m.label.rsplit(": ", 1)[0])
                lines.append((text, m.unit, m.values, min(m.digits, 3), m.definition))
        section = c.section or (c.metrics[0][0].split(".", 1)[0] if c.metrics else "")
        if lines or c.absent or not c.metrics:
            rows.append({"claim": c, "section": section, "lines": lines})
    if not any(r["lines"] for r in rows):
        return []
    ran = {a.name for a in results.analyses}
    return [r for r in rows if r["lines"] or (r["section"] in ran)]


def software_versions() -> dict[str, str]:
    """Versions of Python, sim and the packages sim's numbers depend on."""
    import platform
    from importlib import metadata

    from .version import __version__

    out = {"python": platform.python_version(), "sim": __version__}
    for p in _PACKAGES:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            out[p] = "not installed"
    return out


def _round(v, sig: int = 6):
    if isinstance(v, float):
        return float(f"{v:.{sig}g}")
    return v


# ---------------------------------------------------------------- files


def _safe_name(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text).strip("_") or "x"


def write_outputs(results: RunResults, out_dir: str | os.PathLike[str] | OutputFolder) -> Path:
    """Write every output of ``results`` into ``out_dir`` atomically; return report.html's path.

    ``out_dir`` is a path (checked, locked and swapped here) or an :class:`sim.outputs.OutputFolder`
    the caller has already entered (the command line reserves it before computing)."""
    if isinstance(out_dir, OutputFolder):
        return _write(results, out_dir)
    with reserve_folder(out_dir) as dest:
        return _write(results, dest)


def _write(results, dest: OutputFolder) -> Path:
    import matplotlib.pyplot as plt

    with dest.staging() as tmp:
        sc = results.scenario
        (tmp / "figures").mkdir()
        (tmp / "tables").mkdir()
        figures, tables = {}, {}
        # figures: PNG files and their bytes for embedding (no Software/date chunks: reruns are identical)
        for a in results.analyses:
            for name, fig in a.figures.items():
                rel = f"figures/{_safe_name(a.name)}_{_safe_name(name)}.png"
                buf = io.BytesIO()
                fig.savefig(buf, format="png", dpi=sc.outputs.dpi, metadata={"Software": None})
                plt.close(fig)
                data = buf.getvalue()
                if sc.outputs.figures:
                    if (tmp / rel).exists():
                        raise RuntimeError(f"bug: two figures would be written to {rel}")
                    (tmp / rel).write_bytes(data)
                    dest.record(rel)
                figures[(a.name, name)] = (rel, data)
        # tables: every metric side by side, then each analysis's own tables
        names = list(results.orbits.names)
        metrics_rows = [
            [m.key, m.label, m.unit] + [m.values.get(n) for n in names] + [m.definition] for m in results.all_metrics()
        ]
        write_csv(tmp / "tables" / "metrics.csv", ["metric", "label", "unit"] + names + ["definition"], metrics_rows)
        tables[("", "metrics")] = "tables/metrics.csv"
        if sc.outputs.tables:
            for a in results.analyses:
                for name, t in a.tables.items():
                    rel = f"tables/{_safe_name(a.name)}_{_safe_name(name)}.csv"
                    if rel in tables.values():
                        raise RuntimeError(f"bug: two tables would be written to {rel}")
                    write_csv(tmp / rel, t.columns, t.rows)
                    tables[(a.name, name)] = rel
        for rel in tables.values():
            dest.record(rel)
        for a in results.analyses:  # other files an analysis made ([outputs] ephemeris)
            for rel, data in a.files.items():
                (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
                (tmp / rel).write_bytes(data)
                dest.record(rel)
        files = {
            "figures": sorted(r for r, _ in figures.values()) if sc.outputs.figures else [],
            "tables": sorted(tables.values()),
        }
        summary = summary_dict(results, files, figures if sc.outputs.figures else {}, tables)
        (tmp / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        (tmp / "report.html").write_text(_html(results, figures, tables), encoding="utf-8")
        dest.record("summary.json")
        dest.record("report.html")
    return dest.path / "report.html"


def generated_at() -> str | None:
    """The generation date to show, from ``SOURCE_DATE_EPOCH`` (None when it is not set)."""
    text = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not text:
        return None
    try:
        t = _dt.datetime.fromtimestamp(int(text), _dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise OutputError(f"SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC, got {text[:30]!r}") from None
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------- summary.json


def summary_dict(
    results: RunResults,
    files: dict[str, list[str]],
    figures: dict[tuple[str, str], tuple[str, bytes]] | None = None,
    tables: dict[tuple[str, str], str] | None = None,
) -> dict[str, Any]:
    """The machine-readable summary (schema ``sim.summary/1``, see the module docstring).

    ``files``: ``{"figures": [...], "tables": [...]}`` relative paths; ``figures`` and ``tables``
    map ``(analysis, name)`` to what was written (a figure: its path and PNG bytes; a table: its path)."""
    sc, orb = results.scenario, results.orbits
    figures, tables = figures or {}, tables or {}
    stations = []
    colours = sc.colours()
    for k, n in enumerate(orb.names):
        stations.append(
            {
                "name": n,
                "colour": colours[k],
                "source": sc.source_of(k),
                "epoch_utc": orb.epoch[k].isot,
                "element_age_days": _round(sc.element_age_days(k)),
                "semi_major_axis_km": _round(float(orb.semi_major_axis_km[k]), 9),
                "eccentricity": _round(float(orb.ecc[k])),
                "inclination_deg": _round(float(orb.inclination_deg[k]), 8),
                "raan_deg": _round(float(orb.raan_deg[k]), 8),
                "argp_deg": _round(float(orb.argp_deg[k]), 8),
                "mean_anomaly_deg": _round(float(orb.mean_anomaly_deg[k]), 8),
            }
        )
    analyses = {}
    metrics = {}
    for a in results.analyses:
        analyses[a.name] = {
            "title": a.title,
            "status": a.status,
            "reason": a.reason,
            "metrics": [m.key for m in a.metrics],
            "tables": [tables[(a.name, t)] for t in a.tables if (a.name, t) in tables],
            "figures": [figures[(a.name, f)][0] for f in a.figures if (a.name, f) in figures],
            "captions": {figures[(a.name, f)][0]: a.captions.get(f, "") for f in a.figures if (a.name, f) in figures},
            "notes": list(a.notes),
        }
        for m in a.metrics:
            metrics[m.key] = {
                "analysis": a.name,
                "label": m.label,
                "unit": m.unit,
                "definition": m.definition,
                "values": {n: _round(m.values.get(n)) for n in orb.names},
            }
    return {
        "schema": SCHEMA,
        "scenario": {
            "name": sc.scenario.name,
            "description": sc.scenario.description.strip(),
            "file": Path(sc.source).name,
            "sha256": hashlib.sha256(sc.text.encode("utf-8")).hexdigest(),
            "start_utc": sc.time.start.isoformat(),
            "stop_utc": sc.time.stop_time.isoformat(),
            "days": _round(sc.time.span_days),
            "step_s": _round(sc.time.step_s),
            "propagation_model": sc.propagation.model,
        },
        "stations": stations,
        "analyses": analyses,
        "metrics": metrics,
        "software": software_versions(),
        "files": {"report": "report.html", **files},
    }


# ---------------------------------------------------------------- report.html


def _fmt(v, digits: int = 4) -> str:
    if v is None:
        return "&ndash;"
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, (int,)) and not isinstance(v, bool):
        return f"{v:,}"
    if isinstance(v, float):
        a = abs(v)
        if a < 1e-6:  # numerical noise around zero (e.g. an exactly sun-synchronous drift)
            return "0"
        if a >= 10**digits:
            return f"{v:,.0f}"
        if a < 1e-3:
            return f"{v:.{max(digits - 1, 1)}e}"
        s = f"{v:.{digits}g}"
        return s
    return html.escape(str(v))


_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
main{max-width:1200px;margin:0 auto;padding:24px 32px 64px}
h1{font-size:1.9em;margin:.2em 0}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
h3{margin-top:1.4em}p.lead{font-size:1.05em;color:#444;white-space:pre-line}
table{border-collapse:collapse;margin:.8em 0;font-size:.92em;background:#fff}
th,td{border:1px solid #d5d5d5;padding:4px 9px;text-align:right;vertical-align:top}
th{background:#f0f0f0}td.l,th.l{text-align:left}tr.group td{background:#e9eef5;font-weight:600;text-align:left}
.chip{display:inline-block;width:.9em;height:.9em;border-radius:2px;margin-right:.35em;vertical-align:-.1em}
figure{margin:1em 0;background:#fff;border:1px solid #e3e3e3;padding:8px}
figure img{max-width:100%;height:auto;display:block}figcaption{color:#555;font-size:.9em;margin-top:4px}
.na{color:#8a5a00;background:#fff6e0;border:1px solid #f0d9a0;padding:6px 10px;display:inline-block}
pre{background:#f4f4f4;padding:10px;overflow-x:auto;font-size:.85em}dt{font-weight:600;margin-top:.5em}
.meta{color:#555;font-size:.95em}.wide{overflow-x:auto;max-width:100%}
table.headline td:not(.l){white-space:nowrap}table.headline td.l{min-width:14em}
"""


def _sim_version() -> str:
    from .version import __version__

    return __version__


def _station_header(names, colours) -> str:
    return "".join(
        f'<th><span class="chip" style="background:{html.escape(c)}"></span>{html.escape(n)}</th>'
        for n, c in zip(names, colours)
    )


def _html(results, figures: dict, tables: dict) -> str:
    sc, orb = results.scenario, results.orbits
    names, colours = list(orb.names), sc.colours()
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(sc.scenario.name)} &mdash; sim report</title>",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<style>{_CSS}</style></head><body><main>",
    ]
    out.append(f"<h1>{e(sc.scenario.name)}</h1>")
    if sc.scenario.description.strip():
        out.append(f'<p class="lead">{e(sc.scenario.description.strip())}</p>')
    out.append(
        f'<p class="meta">Scenario file <code>{e(Path(sc.source).name)}</code>; '
        f"{plural(sc.time.span_days, 'day')} from {e(sc.time.start.isoformat())} UTC "
        f"to {e(sc.time.stop_time.isoformat())} UTC, step {sc.time.step_s:g} s. "
        f"Stations: {', '.join(e(n) for n in names)}. Generated by sim {e(_sim_version())}"
        + (f" on {e(when)}" if (when := generated_at()) else "")
        + ".</p>"
    )

    out.append(_headline_html(results, names, colours))

    # contents
    out.append(
        "<nav><b>Contents:</b> <a href='#answer'>Published claims against sim</a> &middot; "
        "<a href='#summary'>Side-by-side summary</a>"
    )
    for a in results.analyses:
        out.append(f" &middot; <a href='#a-{e(a.name)}'>{e(a.title)}</a>")
    out.append(
        " &middot; <a href='#definitions'>Definitions</a> &middot; <a href='#elements'>Element sets and "
        "models</a> &middot; <a href='#software'>Software</a></nav>"
    )

    # side-by-side table
    out.append("<h2 id='summary'>Side-by-side summary</h2>")
    out.append(
        "<p>Every metric for every station. Hover a metric for its definition; all definitions are "
        "listed under <a href='#definitions'>Definitions</a>.</p>"
    )
    out.append(
        f"<table class='summary'><thead><tr><th class='l'>Metric</th><th class='l'>Unit</th>"
        f"{_station_header(names, colours)}</tr></thead><tbody>"
    )
    for a in results.analyses:
        out.append(
            f"<tr class='group'><td colspan='{len(names) + 2}'>{e(a.title)}"
            + (f" &mdash; not available: {e(a.reason)}" if a.status != "ok" else "")
            + "</td></tr>"
        )
        for m in a.metrics:
            cells = "".join(f"<td>{_fmt(m.values.get(n), m.digits)}</td>" for n in names)
            out.append(
                f"<tr><td class='l' title='{e(m.definition)}'>{e(m.label)}</td><td class='l'>{e(m.unit)}</td>"
                f"{cells}</tr>"
            )
    out.append("</tbody></table>")

    # analyses
    for a in results.analyses:
        out.append(f"<h2 id='a-{e(a.name)}'>{e(a.title)}</h2>")
        if a.status != "ok":
            out.append(f"<p class='na'>Not available: {e(a.reason)}</p>")
            continue
        for note in a.notes:
            out.append(f"<p>{e(note)}</p>")
        for fname in a.figures:
            if (a.name, fname) in figures:
                rel, data = figures[(a.name, fname)]
                b64 = base64.b64encode(data).decode("ascii")
                cap = a.captions.get(fname, "")
                out.append(
                    f"<figure id='f-{e(a.name)}-{e(fname)}'><img alt='{e(a.title)}: {e(cap or fname)}' "
                    f"src='data:image/png;base64,{b64}'><figcaption>{e(cap)} <span class='meta'>"
                    f"({e(rel)})</span></figcaption></figure>"
                )
        for tname, t in a.tables.items():
            rel = tables.get((a.name, tname))
            out.append(f"<h3>{e(t.title or tname.replace('_', ' '))}</h3>")
            if rel:
                out.append(
                    f"<p class='meta'>All {plural(len(t.rows), 'row')}: <code>{e(rel)}</code>"
                    + (f" (first {t.show_rows} shown)" if len(t.rows) > t.show_rows else "")
                    + "</p>"
                )
            out.append(_table_html(t))

    # definitions
    out.append("<h2 id='definitions'>Definitions</h2><dl>")
    for m in results.all_metrics():
        out.append(f"<dt>{e(m.label)} [{e(m.unit)}] <code>{e(m.key)}</code></dt><dd>{e(m.definition)}</dd>")
    out.append("</dl>")

    # element sets and model choices
    out.append(
        "<h2 id='elements'>Element sets and model choices</h2><table><thead><tr><th class='l'>Station</th>"
        "<th class='l'>Orbit source</th><th class='l'>Epoch (UTC)</th>"
        "<th title='analysis start minus the epoch'>Age at start (days)</th><th>a (km)</th><th>e</th><th>i (deg)</th>"
        "<th>RAAN (deg)</th><th>argp (deg)</th><th>M (deg)</th></tr></thead><tbody>"
    )
    for k, n in enumerate(names):
        out.append(
            f"<tr><td class='l'><span class='chip' style='background:{e(colours[k])}'></span>{e(n)}</td>"
            f"<td class='l'>{e(sc.source_of(k))}</td><td class='l'>{e(orb.epoch[k].isot)}</td>"
            f"<td>{sc.element_age_days(k):.1f}</td><td>{orb.semi_major_axis_km[k]:.3f}</td><td>{orb.ecc[k]:.7f}</td>"
            f"<td>{orb.inclination_deg[k]:.4f}</td><td>{orb.raan_deg[k]:.4f}</td><td>{orb.argp_deg[k]:.4f}</td>"
            f"<td>{orb.mean_anomaly_deg[k]:.4f}</td></tr>"
        )
    out.append("</tbody></table>")
    for k, n in enumerate(names):
        text = sc.element_text(k)
        if text:
            out.append(f"<p>Element set of {e(n)}:</p><pre>{e(text)}</pre>")
    out.append(
        f"<p>Propagation model on the main time grid: <code>{e(sc.propagation.model)}</code>. "
        "Each analysis states its own models above.</p>"
    )
    out.append(f"<details><summary>Scenario file</summary><pre>{e(sc.text)}</pre></details>")

    # software
    out.append("<h2 id='software'>Software</h2><table><tbody>")
    for k, v in software_versions().items():
        out.append(f"<tr><td class='l'>{e(k)}</td><td class='l'>{e(v)}</td></tr>")
    out.append("</tbody></table>")
    out.append(
        f"<p class='meta'>Files: summary.json (schema {SCHEMA}), "
        + ", ".join(f"<code>{e(r)}</code>" for r in sorted(tables.values()))
        + ".</p>"
    )
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"


def _headline_html(results, names: list[str], colours: list[str]) -> str:
    """The answer first: each published claim, its definition in sim and sim's number per station."""
    rows = headline_rows(results)
    if not rows:
        return ""
    e = html.escape
    out = [
        "<h2 id='answer'>Published claims against sim</h2>",
        "<p>Each claim as published, what sim measures for it, and sim's number for every station; the last "
        "column links to the section with the details. Sources: <code>sim/data/reference_facts.md</code>.</p>",
        "<div class='wide'><table class='headline'><thead><tr><th class='l'>Published claim</th>"
        f"<th class='l'>In sim</th>{_station_header(names, colours)}<th class='l'>Details</th></tr></thead><tbody>",
    ]
    titles = {a.name: a.title for a in results.analyses}
    for r in rows:
        c = r["claim"]
        cells = []
        for n in names:
            if not r["lines"]:
                cells.append("<td class='l'>&ndash;</td>")
                continue
            parts = []
            for label, unit, values, digits, _ in r["lines"]:
                v = values.get(n)
                shown = "per " + unit[2:] if unit.startswith("1/") else unit
                text = _fmt(v, digits) + (f"&nbsp;{e(shown)}" if v is not None and unit not in ("", "ratio") else "")
                parts.append(f"<span class='meta'>{e(label)}</span> {text}" if label else text)
            cells.append(f"<td>{'<br>'.join(parts)}</td>")
        sec = r["section"]
        link = f"<a href='#a-{e(sec)}'>{e(titles.get(sec, sec))}</a>" if sec in titles else ""
        defin = e(c.definition) if r["lines"] or not c.absent else e(c.absent)
        tip = e("; ".join(d for *_, d in r["lines"])[:1000])
        out.append(
            f"<tr id='h-{e(c.key)}'><td class='l'>{e(c.claim)}<br><span class='meta'>{e(c.source)}</span></td>"
            f"<td class='l' title='{tip}'>{defin}</td>{''.join(cells)}<td class='l'>{link}</td></tr>"
        )
    out.append("</tbody></table></div>")
    cov = next((a for a in results.analyses if a.name == "coverage"), None)
    for note in cov.notes if cov is not None else []:
        if note.startswith("Regions: "):
            out.append(f"<p class='meta'>{e(note)}</p>")
    return "\n".join(out)


def _table_html(t) -> str:
    e = html.escape
    head = "".join(f"<th class='l'>{e(str(c))}</th>" for c in t.columns)
    rows = []
    for row in t.rows[: t.show_rows]:
        cells = "".join(
            f"<td class='l'>{_fmt(v)}</td>" if isinstance(v, str) or v is None else f"<td>{_fmt(v, 6)}</td>"
            for v in row
        )
        rows.append(f"<tr>{cells}</tr>")
    return f"<div class='wide'><table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
