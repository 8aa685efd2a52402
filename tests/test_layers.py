"""Dependencies point inward: the headless layers never pull in Textual or the CLI framework."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import json
import pkgutil
import subprocess
import sys
import typing
from pathlib import Path

import mda_coder

ROOT = Path(__file__).resolve().parents[1]
HEADLESS = ("core", "ingest", "nlp", "store", "analysis", "export", "services")


def _modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(mda_coder.__path__, "mda_coder."):
        if info.name.split(".")[1] in HEADLESS:
            names.append(info.name)
    return names


def test_every_headless_module_imports_without_ui_frameworks() -> None:
    modules = _modules()
    assert any(m.startswith("mda_coder.services.") for m in modules)
    script = (
        "import importlib, json, sys\n"
        f"bad = {{}}\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "    leaked = [m for m in ('textual', 'click', 'mda_coder.cli', 'mda_coder.tui') if m in sys.modules]\n"
        "    if leaked: bad[name] = leaked; break\n"
        "print(json.dumps({'bad': bad, 'spacy': 'spacy' in sys.modules}))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    result = json.loads(out.stdout)
    assert result["bad"] == {}
    # spaCy costs ~0.7 s to import: importing the whole headless core must not load it.
    assert result["spacy"] is False


def test_import_linter_contracts_hold() -> None:
    out = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"], capture_output=True, text=True, cwd=ROOT
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_cli_start_up_does_not_import_spacy_or_textual() -> None:
    script = "import sys; import mda_coder.cli; print('spacy' in sys.modules, 'textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["False", "False"]


def _private_services_imports(path: Path) -> list[tuple[int, str]]:
    """The lines of ``path`` that import a private module of a capability (``mda_coder.services.<cap>._x``)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mda_coder.services"):
            names = node.module.split(".")[2:] + [a.name for a in node.names if node.module.count(".") == 2]
            if any(n.startswith("_") and not n.startswith("__") for n in names):
                found.append((node.lineno, node.module))
    return found


def test_benches_and_tools_import_only_the_public_face_of_services() -> None:
    bad = [
        f"{path.relative_to(ROOT)}:{line} {module}"
        for folder in ("bench", "tools")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for line, module in _private_services_imports(path)
    ]
    assert bad == []


def test_a_test_importing_a_private_services_module_says_why() -> None:
    # A test may reach into a capability's private module to test an internal step on purpose; a
    # comment on the line above says which and why.
    bad = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for line, module in _private_services_imports(path):
            if not lines[line - 2].strip().startswith("#"):
                bad.append(f"{path.relative_to(ROOT)}:{line} {module}")
    assert bad == []


def test_each_capability_face_names_what_its_private_modules_define() -> None:
    # A package's __init__ imports its use cases under TYPE_CHECKING (for the type checker and the
    # import contracts) and lends them at run time on first use; both must name the same things.
    packages = sorted(p.parent for p in (ROOT / "mda_coder" / "services").glob("*/__init__.py"))
    assert packages
    for folder in packages:
        name = f"mda_coder.services.{folder.name}"
        tree = ast.parse((folder / "__init__.py").read_text(encoding="utf-8"))
        static = {
            alias.name: node.module
            for block in tree.body
            if isinstance(block, ast.If)
            for node in block.body
            if isinstance(node, ast.ImportFrom) and node.module
            for alias in node.names
        }
        package = importlib.import_module(name)
        assert sorted(package.__all__) == sorted(static), name
        for attr, module in static.items():
            assert getattr(package, attr) is getattr(importlib.import_module(module), attr), f"{name}.{attr}"


def test_naming_a_capability_imports_none_of_its_steps() -> None:
    # Undo imports consensus's journal steps; that must not load the review and, through agreement, numpy.
    script = (
        "import sys\n"
        "import mda_coder.services.history, mda_coder.services.memos, mda_coder.services.codebook\n"
        "print('numpy' in sys.modules, 'mda_coder.services.consensus._review' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["False", "False"]


def _faces() -> list[tuple[str, object]]:
    """Each capability's public use cases and values: a package's ``__all__``, a module's own public names."""
    import mda_coder.services

    found = []
    for info in pkgutil.iter_modules(mda_coder.services.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"mda_coder.services.{info.name}")
        names = getattr(module, "__all__", None) or [
            n
            for n, v in vars(module).items()
            if not n.startswith("_") and getattr(v, "__module__", "") == module.__name__
        ]
        found += [(f"{info.name}.{n}", getattr(module, n)) for n in names]
    return found


def _orm_classes_in(hint: object, seen: set[type]) -> set[str]:
    from mda_coder.store.models import Base

    if typing.get_origin(hint) is not None:
        return set().union(*(_orm_classes_in(a, seen) for a in typing.get_args(hint)))
    if not isinstance(hint, type) or hint in seen:
        return set()
    seen.add(hint)
    if issubclass(hint, Base):
        return {hint.__name__}
    if dataclasses.is_dataclass(hint):
        return set().union(*(_orm_classes_in(h, seen) for h in typing.get_type_hints(hint).values()))
    return set()


def test_no_use_case_takes_or_returns_an_orm_row() -> None:
    # Services hand the CLI and the TUI core values and frozen dataclasses; ORM rows pass only between a
    # capability's private steps inside one session (and to the undo steps the import contracts list).
    bad = {}
    for name, obj in _faces():
        hints = typing.get_type_hints(obj) if inspect.isfunction(obj) else {"fields": obj}
        found = set().union(*(_orm_classes_in(h, set()) for h in hints.values())) if hints else set()
        if found:
            bad[name] = sorted(found)
    assert bad == {}
