"""Reading input files into normalised documents; unreadable inputs become ingest errors."""
