"""Load a script from bench/ as a module: the benchmarks are scripts, not a package."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parents[2] / "bench"


def load_bench(script: str, name: str | None = None) -> ModuleType:
    """``bench/<script>.py`` as a module named ``name`` (default ``bench_<script>``), imported once per test session."""
    name = name or (script if script.startswith("bench_") else f"bench_{script}")
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{script}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module
