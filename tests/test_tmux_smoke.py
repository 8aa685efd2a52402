"""The workspace in a real terminal: ``bench/tmux_smoke.sh`` codes a turn in tmux, kills the terminal, finds the coding.

The only test that runs ``mda-coder open`` on a real pseudo-terminal and ends it the way a
closed window does (SIGHUP, no clean quit). It needs tmux; CI installs it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "bench" / "tmux_smoke.sh"


@pytest.mark.slow  # a real terminal in tmux
def test_a_coding_made_in_a_real_terminal_survives_closing_it() -> None:
    bin_dir = Path(sys.executable).parent
    done = subprocess.run(
        ["bash", str(SCRIPT)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={
            "PATH": f"{bin_dir}:/usr/local/bin:/usr/bin:/bin",
            "MDA_CODER_BIN": str(bin_dir / "mda-coder"),
            "SMOKE_PYTHON": sys.executable,
            "SMOKE_TIMEOUT": "60",
            "HOME": str(Path.home()),
        },
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "tmux_smoke: ok" in done.stdout
