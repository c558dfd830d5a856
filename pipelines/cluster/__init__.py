"""Running the warehouse beyond one machine: a distributed engine and the local stand-ins for a
cluster's services.

What belongs here: choosing where the analysis of chunks runs (`engine`: a local process pool, or a
Dask cluster when CLAIMS_SCHEDULER is set) and the services started on 127.0.0.1 for tests and the
benchmark (`services`: PostgreSQL, an S3-compatible endpoint, a Dask scheduler and workers). The
lake itself (catalog, partitions, commits) is `pipelines.store.lake` for every build, local or
not; reaching a PostgreSQL catalog or S3 data is `pipelines.store.remote`.
"""
