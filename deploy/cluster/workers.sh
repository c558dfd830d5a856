#!/bin/sh
# Start the Dask scheduler on one machine and a worker per core on the others (systemd units or a
# container entry point would run these same commands). Every machine has the project installed
# (`pip install .`) and the variables of env.example in its environment.
#   on the scheduler machine:  deploy/cluster/workers.sh scheduler
#   on each worker machine:    deploy/cluster/workers.sh worker
# CLAIMS_DASK_HOST / CLAIMS_DASK_PORT: where the scheduler listens (default 0.0.0.0:8786).
set -eu
case "${1:-}" in
  scheduler) exec dask scheduler --host "${CLAIMS_DASK_HOST:-0.0.0.0}" --port "${CLAIMS_DASK_PORT:-8786}" --no-dashboard ;;
  worker)    exec dask worker "$CLAIMS_SCHEDULER" --nworkers "$(nproc)" --nthreads 1 --no-dashboard ;;
  *) echo "usage: $0 scheduler|worker" >&2; exit 2 ;;
esac
