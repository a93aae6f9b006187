"""Run every benchmark in this folder at full size and print their ratios (``make bench``).

Each ``bench_*.py`` exposes ``main(argv=None) -> dict`` and accepts ``--smoke`` for a
few-second run (what the test suite does, ``tests/test_benchmarks_smoke.py``).
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    results = {}
    for path in sorted(HERE.glob("bench_*.py")):
        print(f"\n=== {path.name}")
        results[path.stem] = load(path).main(argv)
    print("\n" + json.dumps(results, indent=2, default=float))
    return 0


if __name__ == "__main__":
    sys.exit(main())
