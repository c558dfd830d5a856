"""Running the warehouse beyond one machine: a distributed engine, a shared catalog, object storage.

What belongs here: choosing where work runs (`engine`), reaching a DuckLake whose catalog may be
PostgreSQL and whose data may be on S3 (`lakehouse`), the unit of work for one partition
(`partition`), the coordinator that spreads partitions over the engine (`build`) and the local
stand-ins for the services, started on 127.0.0.1 for tests and the benchmark (`services`).
Text analysis stays in `pipelines.text`; table definitions stay in `pipelines.schemas`.
"""
