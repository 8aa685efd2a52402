"""Language processing behind a small adapter: spaCy is imported lazily, only when text is segmented."""
