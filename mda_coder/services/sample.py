"""Build the bundled sample project from ``transcripts_sample/`` and ``codebooks/``."""

from __future__ import annotations

import re
from pathlib import Path

from mda_coder.core.errors import ProjectError
from mda_coder.services import importing
from mda_coder.services.codebook import import_codebook
from mda_coder.services.coding import import_codings
from mda_coder.services.project import creating_project
from mda_coder.store.engine import Database

SAMPLE_CODINGS = "codings_sample.csv"
"""Codings of the sample transcripts by two coders, if the sample data ships them."""


def sample_root() -> Path:
    """The folder holding ``transcripts_sample/`` and ``codebooks/``: the source checkout or the current folder."""
    candidates = [Path(__file__).resolve().parents[2], Path.cwd()]
    for root in candidates:
        if (root / "transcripts_sample").is_dir() and (root / "codebooks" / "mda.yaml").is_file():
            return root
    raise ProjectError(
        "the sample data (transcripts_sample/ and codebooks/) was not found: run this from an mda-coder checkout"
    )


def sample_files(root: Path) -> list[Path]:
    suffixes = {".txt", ".docx", ".vtt", ".srt", ".md"}
    return sorted(
        p
        for p in (root / "transcripts_sample").iterdir()
        if p.suffix.lower() in suffixes and p.name.lower() != "readme.md"
    )


def build_sample_project(target: Path, root: Path | None = None) -> Database:
    """A new project at ``target`` with the sample transcripts (grouped FG1, FG2 …), codebooks and codings."""
    root = root or sample_root()
    # built under a temporary name and named at the end: an interrupted build leaves no half a sample
    with creating_project(target, "sv", root / "codebooks" / "mda.yaml") as db:
        for extra in sorted((root / "codebooks").glob("*.yaml")):
            if extra.name != "mda.yaml":
                import_codebook(db, extra)
        for path in sample_files(root):
            match = re.match(r"([A-Za-z]+\d+)", path.stem)
            importing.import_files(db, [path], group=match.group(1) if match else None)
        codings_csv = root / "transcripts_sample" / SAMPLE_CODINGS
        if codings_csv.is_file():
            import_codings(db, codings_csv)
    return Database.open(target)
