"""The extraction core: pure, deterministic functions over normalised article text.

Nothing in this package imports Dagster or touches the file system beyond reading its own
lexicons. Every span it returns is a pair of character offsets into the normalised text.
"""
