"""The thin Dagster layer: assets, checks, resources, schedule and sensor. No text processing here."""
