"""Use cases: each public function is one transaction, called alike by the CLI and the TUI."""
