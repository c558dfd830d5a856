-- The warehouse as a DuckLake catalog over Parquet on object storage, instead of one local file.
-- Readers anywhere attach the same catalog; every build commits a new snapshot atomically.
INSTALL ducklake; INSTALL httpfs;          -- from the duckdb-extension-* packages in an offline image
LOAD ducklake; LOAD httpfs;
CREATE SECRET store (TYPE s3, KEY_ID getenv('AWS_ACCESS_KEY_ID'), SECRET getenv('AWS_SECRET_ACCESS_KEY'),
                     REGION getenv('AWS_REGION'));
ATTACH 'ducklake:postgres:dbname=claims_catalog host=catalog' AS claims (DATA_PATH 's3://claims-warehouse/lake/');
USE claims;
-- one transaction per build, exactly like pipelines/store/warehouse.py does locally:
BEGIN TRANSACTION;
CREATE OR REPLACE TABLE claims AS SELECT * FROM read_parquet('s3://claims-warehouse/exports/claims.parquet');
-- ... one statement per table in pipelines/schemas.py ...
COMMIT;
