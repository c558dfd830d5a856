"""Command line for the cluster path: `python -m pipelines.cluster build [--partitions N] [--only KEY ...]`.

Reads CLAIMS_SEEDS, CLAIMS_CATALOG, CLAIMS_DATA_PATH and CLAIMS_SCHEDULER (unset: local processes).
"""

from __future__ import annotations

import argparse
import sys

from pipelines.cluster import build, engine
from pipelines.cluster.lakehouse import LakeConfig
from pipelines.settings import paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipelines.cluster", description=__doc__)
    ap.add_argument("command", choices=["build"])
    ap.add_argument("--partitions", type=int, default=build.DEFAULT_PARTITIONS)
    ap.add_argument("--only", nargs="*", help="partition keys to redo (default: all)")
    args = ap.parse_args(argv)
    try:
        config = LakeConfig.from_env()
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    where = engine.scheduler_address() or "local processes"
    results = build.build(paths().seeds, config, partitions=args.partitions, only=set(args.only) if args.only else None,
                          progress=lambda r: print(f"{r['partition']}: {r['articles']} articles, "
                                                   f"snapshot {r['snapshot']} ({where})", flush=True))
    run = results.pop("_run")
    print(f"{run['articles']} articles in {run['partitions']} partitions, {run['seconds_partitions']:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
