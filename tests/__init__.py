"""The test suite: real SQLite files, the real command line, real Textual apps (see CONTRIBUTING.md)."""
