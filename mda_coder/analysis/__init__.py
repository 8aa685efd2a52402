"""Numbers in, numbers out: frequencies, co-occurrence and agreement, with no I/O."""
