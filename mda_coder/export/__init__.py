"""Writers that render core values to streams: codebooks, codings, (later) Markdown and REFI-QDA."""
