"""Use cases: each public function is one transaction, called alike by the CLI and the TUI.

One subpackage or module per capability (``agreement``, ``consensus``, ``coding``, ``codebook``, ``history``,
``importing``, ``exporting``, ``reports``, ``metadata``; ``project``, ``backups``, ``queries`` ...). A package's
``__init__`` is its public face: the use cases and the frozen values they take and return, lent on first use
(see ``_lazy``). Its modules with a leading underscore are the steps behind them, its own. The import contracts
in ``pyproject.toml`` hold both, and which capability builds on which. Importing this package imports nothing.
"""
