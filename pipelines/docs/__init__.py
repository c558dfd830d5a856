"""Documentation generated from the code: the data dictionary and the README's SQL cookbook."""
