"""Golden files: an output compared byte for byte with the copy in ``tests/golden/``, a diff when they differ.

After an intended change, regenerate them with ``MDA_CODER_UPDATE_GOLDEN=1`` (the older name
``MDA_UPDATE_GOLDEN`` still works) and review the diff in git before committing it.

Outputs that hold the wall clock or per-project random identifiers go through :func:`normalise`
first, the one place that says what a golden file may not pin down. Everything else (coder names,
offsets, figures, ordering) is fixed by the fixture project that produced it.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

GOLDEN = Path(__file__).resolve().parents[1] / "golden"

UPDATE = "MDA_CODER_UPDATE_GOLDEN"

_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
_GUID = re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")


def normalise(text: str) -> str:
    """``text`` with what changes from run to run replaced by stable placeholders.

    - a date and time (``2026-12-03T12:51:47``, with fraction or zone) becomes ``<DATETIME>``: the
      project has no clock of its own, codings and exports are stamped with the wall clock;
    - a GUID becomes ``<GUID-n>``, numbered in order of first appearance, so that a reference
      (``targetGUID``) still visibly points at the element that declares it: REFI-QDA GUIDs are
      derived from the project's random identity.
    """
    text = _DATETIME.sub("<DATETIME>", text)
    numbers: dict[str, int] = {}

    def number(match: re.Match[str]) -> str:
        guid = match.group(0).lower()
        return f"<GUID-{numbers.setdefault(guid, len(numbers) + 1)}>"

    return _GUID.sub(number, text)


def updating() -> bool:
    return bool(os.environ.get(UPDATE) or os.environ.get("MDA_UPDATE_GOLDEN"))


def check(name: str, actual: bytes | str) -> None:
    """Assert that ``actual`` is byte for byte ``tests/golden/<name>``; on a mismatch show a unified diff."""
    __tracebackhide__ = True  # the report shows the diff, not this function's lines
    data = actual.encode("utf-8") if isinstance(actual, str) else actual
    path = GOLDEN / name
    if updating():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    if not path.exists():
        raise AssertionError(f"no golden file {name}: run the test with {UPDATE}=1 to write it, then review it")
    expected = path.read_bytes()
    if data == expected:
        return
    diff = "".join(
        difflib.unified_diff(
            expected.decode("utf-8", "backslashreplace").splitlines(keepends=True),
            data.decode("utf-8", "backslashreplace").splitlines(keepends=True),
            fromfile=f"tests/golden/{name}",
            tofile="actual",
        )
    )
    if not diff:  # the same lines: the difference is in line endings or a final newline
        diff = f"same lines, different bytes: expected {expected[-40:]!r}, got {data[-40:]!r} at the end"
    raise AssertionError(f"{name} differs from the golden file ({UPDATE}=1 regenerates it):\n{diff}")
