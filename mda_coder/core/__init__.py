"""Framework-free domain values: spans, transcripts, codebooks, codings (stdlib only)."""
