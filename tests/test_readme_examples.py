"""Every ``mda-coder`` line of the README's ```sh blocks runs, in order, on the sample transcripts and shipped codebooks.

The README is a walk through one project (``studie.mda``): made from ``codebooks/mda.yaml`` and
the files in ``transcripts_sample/``, coded, compared, reported and exported. This test copies
those two folders into an empty folder and runs each line there as the shell would (globs
expanded, ``# comments`` dropped), one after the other, so that a later example sees what the
earlier ones did. Each must exit with 0.
"""

from __future__ import annotations

import glob
import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from tests.conftest import ROOT
from tests.support.tables import PIPE

README = ROOT / "README.md"

SKIPPED = {
    "open": "it opens the coding workspace, which needs a terminal; the workspace tests drive it with Pilot",
    "postgresql://": "it needs a PostgreSQL server; tests/test_postgres.py runs against one when it is given",
}
"""Commands not run (a word of the command line → why). Lines that do not start with ``mda-coder``
(installing with pip at the top) are not commands of the tool and are not run either."""

OWN_FILES = {
    # Files the README names as the reader's own, written here: a transcript in a layout of its
    # own (for --speaker-pattern) and a corpus's speaker metadata. talare.csv and data.csv are
    # the README's own ```csv examples.
    "samtal.txt": "ANN> Hur var veckan?\nBO> Lugn. Vi hade två nya deltagare.\nANN> Och hur gick det?\n"
    "BO> Bra, tror jag. De kom tillbaka dagen efter.\n",
    "meta.tsv": "label\tSpeaker_ID\tkön\nR1\tP01\tk\nR2\tP02\tm\n",
    # a transcriber's corrected file of the first focus group (document replace)
    "FG1_Norrvik_rättad.txt": (ROOT / "transcripts_sample" / "FG1_Norrvik.txt")
    .read_text(encoding="utf-8")
    .replace("sätter vi igång", "sätter vi i gång"),
}


def commands() -> list[str]:
    text = README.read_text(encoding="utf-8")
    return [
        line.strip()
        for block in re.findall(r"```sh\n(.*?)```", text, re.S)
        for line in block.splitlines()
        if line.strip()
    ]


def csv_examples() -> dict[str, str]:
    """The README's example tables, by the file name its commands give them."""
    blocks = re.findall(r"```csv\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    named = {}
    for block in blocks:
        if block.startswith("etikett;"):
            named["talare.csv"] = block
        elif block.lower().startswith("unit,"):
            named["data.csv"] = block
    return named


def argv(line: str, folder: Path) -> list[str]:
    """The arguments after ``mda-coder``, as a shell would pass them (globs expanded in ``folder``)."""
    out = []
    for word in shlex.split(line, comments=True)[1:]:
        matches = sorted(glob.glob(word, root_dir=folder)) if any(c in word for c in "*?[") else []
        out.extend(matches or [word])
    return out


@pytest.mark.slow  # every README example, one after the other
def test_every_readme_example_runs_on_the_sample_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for folder in ("codebooks", "transcripts_sample"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    for name, content in {**OWN_FILES, **csv_examples()}.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    assert {"talare.csv", "data.csv"} <= {p.name for p in tmp_path.iterdir()}
    monkeypatch.chdir(tmp_path)
    ran, skipped = [], dict.fromkeys(SKIPPED, 0)
    for line in commands():
        if not line.startswith("mda-coder "):
            continue
        args = argv(line, tmp_path)
        skip = next((word for word in SKIPPED if word in args or ("://" in word and word in line)), None)
        if skip is not None:
            skipped[skip] += 1
            continue
        result = CliRunner().invoke(cli, args, env=PIPE)
        assert result.exit_code == 0, f"{line}\n{result.output}"
        ran.append(line)
    assert skipped["open"] >= 1  # the list of skips says what is really skipped
    assert len(ran) >= 60, ran
