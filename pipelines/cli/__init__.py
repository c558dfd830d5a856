"""Helpers of the command line (`python -m pipelines`, `claims`): finding articles, printing results,
the progress bar and the exact command to suggest. The argument parsing itself is in `pipelines/__main__.py`."""
