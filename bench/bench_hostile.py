"""Hostile files against a normal import: the peak memory and time of each, in a child process of its own.

Each file is built in a temporary folder, then imported by ``python -m mda_coder`` into a copy of
one empty project, ``--repeat`` times; the child's peak resident memory comes from ``wait4``
(``ru_maxrss`` of that child alone) and its time from the wall clock. The floor is the import of
the sample transcript ``FG1_Norrvik.txt`` in the same run: a hostile file should cost about what
it costs to start the program and import a transcript, whatever its size unpacked. Every
refusal is checked to be one line, exit status 1, and the project unchanged (a dump compared).

    .venv/bin/python bench/bench_hostile.py           # full size: a 4 GiB zip bomb, a 200 MB transcript … (~2 min)
    .venv/bin/python bench/bench_hostile.py --quick   # smaller files, one run each (~20 s)
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "transcripts_sample" / "FG1_Norrvik.txt"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MB = 1024 * 1024


@dataclass(frozen=True)
class Case:
    name: str
    build: Callable[[Path, bool], list[str]]
    """Writes the file(s) into the folder; returns the arguments after ``mda-coder`` (``{p}``: the project)."""
    refused: bool = True


def _docx_bomb(path: Path, megabytes: int) -> Path:
    """A .docx whose document part is ``megabytes`` of spaces, streamed into the zip: some 1000:1."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>R1: '.encode())
            spaces = b" " * MB
            for _ in range(megabytes):
                part.write(spaces)
            part.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return path


def zip_bomb(folder: Path, quick: bool) -> list[str]:
    """Under the size limit of a part: the compression ratio stops it."""
    return ["import", "{p}", str(_docx_bomb(folder / "bomb.docx", 64 if quick else 190))]


def giant_bomb(folder: Path, quick: bool) -> list[str]:
    """Past the size limit, as the archive's directory says: refused before anything is inflated."""
    return ["import", "{p}", str(_docx_bomb(folder / "jättebomb.docx", 256 if quick else 4096))]


def nested_bomb(folder: Path, quick: bool) -> list[str]:
    inner = _docx_bomb(folder / "inner.docx", 64 if quick else 190)
    qde = (
        '<?xml version="1.0" encoding="utf-8"?><Project xmlns="urn:QDA-XML:project:1.0" name="P" origin="x">'
        "<Users/><CodeBook><Codes/></CodeBook><Sources>"
        '<TextSource guid="d1" name="D" richTextPath="internal://d1.docx"/></Sources></Project>'
    )
    path = folder / "bomb.qdpx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", qde)
        archive.write(inner, "sources/d1.docx")
    return ["import-qdpx", "{p}", str(path)]


def tag_flood(folder: Path, quick: bool) -> list[str]:
    """Empty paragraphs with a little noise, so that the part stays under the ratio limit: the tag count stops it."""
    rng = random.Random(1)
    path = folder / "stycken.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(f'<w:document xmlns:w="{W}"><w:body>'.encode())
            block = b"<w:p/>" * (MB // 6)
            for _ in range(40 if quick else 150):
                noise = rng.randbytes(4 * 1024).hex().encode()
                part.write(block + b"<w:p><w:r><w:t>" + noise + b"</w:t></w:r></w:p>")
            part.write(b"</w:body></w:document>")
    return ["import", "{p}", str(path)]


def billion_laughs(folder: Path, quick: bool) -> list[str]:
    """A valid code tree of 10^9 codes in 1 KB: each level's ten codes all have the level below as children."""
    names = ", ".join(f"{{name: k{i}}}" for i in range(10))
    lines = ["name: skratt", "codes:", f"  - {{name: n0, children: &a0 [{names}]}}"]
    for level in range(1, 10):
        children = ", ".join(f"{{name: k{i}, children: *a{level - 1}}}" for i in range(10))
        anchor = f"&a{level} " if level < 9 else ""
        lines.append(f"  - {{name: n{level}, children: {anchor}[{children}]}}")
    path = folder / "skratt.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ["codebook", "import", "{p}", str(path)]


def deep_yaml(folder: Path, quick: bool) -> list[str]:
    path = folder / "djup.yaml"
    depth = 100_000
    path.write_text("name: djup\ncodes: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    return ["codebook", "import", "{p}", str(path)]


def big_transcript(folder: Path, quick: bool) -> list[str]:
    path = folder / "stor.txt"
    row = ("R1: " + "Vi måste tro på dem och det är viktigt. " * 20 + "\n").encode()
    with path.open("wb") as f:
        for _ in range(200 * MB // len(row) + 1):
            f.write(row)
    return ["import", "{p}", str(path)]


def long_line(folder: Path, quick: bool) -> list[str]:
    path = folder / "rad.txt"
    chunk = ("ja nej " * (MB // 7)).encode()
    with path.open("wb") as f:
        f.write(b"R1: ")
        for _ in range(50):
            f.write(chunk)
        f.write(b"\n")
    return ["import", "{p}", str(path)]


def huge_turn(folder: Path, quick: bool) -> list[str]:
    path = folder / "tal.txt"
    sentence = "Tilliten är grunden för allt vi gör här. "
    path.write_text(
        "R1: " + sentence * ((1 if quick else 3) * 1_000_000 // len(sentence)) + "\nR2: Tack.\n", encoding="utf-8"
    )
    return ["import", "{p}", str(path)]


CASES = [
    Case("zip bomb .docx, 190 MiB of spaces (quick: 64)", zip_bomb),
    Case("zip bomb .docx, 4 GiB of spaces (quick: 256 MiB)", giant_bomb),
    Case("zip bomb .docx inside a .qdpx (190 MiB; quick: 64)", nested_bomb),
    Case(".docx of empty paragraphs under 200:1 (150 MB; quick: 40)", tag_flood),
    Case("YAML billion laughs (a valid tree of 10^9 codes)", billion_laughs),
    Case("YAML nested 100,000 deep", deep_yaml),
    Case("transcript of 200 MB", big_transcript),
    Case("a line of 50 MB", long_line),
    Case("one turn of 3 M characters (quick: 1 M), imported", huge_turn, refused=False),
]


def dump(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return list(con.iterdump())
    finally:
        con.close()


def run(args: list[str], project: Path, timeout: float = 120.0) -> tuple[float, int, int, str]:
    """Seconds, peak RSS in bytes, exit status and stderr of ``mda-coder ARGS`` in a child process.

    A child still running after ``timeout`` seconds is killed: its status is then -9 and what it
    said ends with a line saying so (what an unbounded import of a hostile file looks like).
    """
    command = [sys.executable, "-m", "mda_coder", *(a.replace("{p}", str(project)) for a in args)]
    env = {**os.environ, "MDA_CODER_LANG": "en", "COLUMNS": "200"}
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=ROOT)
        killed = False
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout and not killed:
                child.kill()
                killed = True
            time.sleep(0.02)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        said = err.read().decode("utf-8", "replace")
    if killed:
        said += f"\nkilled after {timeout:.0f} s"
    rss = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return seconds, rss, child.returncode, said


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="smaller files, one run each")
    parser.add_argument("--repeat", type=int, help="runs of each case (default 3, quick 1)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a child is killed (default 120)")
    args = parser.parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 3)
    print(f"python {platform.python_version()} · {platform.machine()} · {os.cpu_count()} cores · {repeat} run(s) each")
    failures = 0
    with tempfile.TemporaryDirectory(prefix="mda-hostile-") as tmp:
        folder = Path(tmp)
        empty = folder / "tom.mda"
        seconds, _, status, said = run(["init", str(empty)], empty)
        if status != 0:
            raise SystemExit(f"init failed: {said}")
        pristine = dump(empty)

        def measure(case_args: list[str]) -> tuple[list[float], list[int], int, str, bool]:
            times, peaks, unchanged = [], [], True
            status, said = 0, ""
            for _ in range(repeat):
                project = folder / "p.mda"
                shutil.copyfile(empty, project)
                for suffix in ("-wal", "-shm"):
                    Path(f"{project}{suffix}").unlink(missing_ok=True)
                seconds, rss, status, said = run(case_args, project, args.timeout)
                times.append(seconds)
                peaks.append(rss)
                unchanged = unchanged and dump(project) == pristine
            return times, peaks, status, said, unchanged

        floor_times, floor_peaks, status, said, _ = measure(["import", "{p}", str(SAMPLE)])
        if status != 0:
            raise SystemExit(f"the floor import failed: {said}")
        floor_time, floor_rss = statistics.median(floor_times), max(floor_peaks)
        rows = [("floor: import FG1_Norrvik.txt", SAMPLE.stat().st_size, floor_time, floor_rss, "imported")]
        for case in CASES:
            built = case.build(folder, args.quick)
            size = sum(Path(a).stat().st_size for a in built if Path(a).is_file())
            times, peaks, status, said, unchanged = measure(built)
            lines = [line for line in said.splitlines() if line.strip()]
            if case.refused:
                ok = status == 1 and len(lines) == 1 and lines[0].startswith("Error: ") and unchanged
                outcome = (
                    (lines[0] if lines else f"exit {status}, nothing said")
                    if ok
                    else f"NOT REFUSED CLEANLY (exit {status}): {lines[-1] if lines else ''}"
                )
            else:
                ok = status == 0
                outcome = "imported" if ok else f"FAILED (exit {status}): {lines[-1] if lines else ''}"
            failures += not ok
            rows.append((case.name, size, statistics.median(times), max(peaks), outcome))
            for path in folder.iterdir():
                if path.name not in (empty.name,) and path.is_file() and not path.name.startswith("p.mda"):
                    path.unlink()
    print(f"{'case':<58} {'file':>10} {'time s':>7} {'×floor':>6} {'peak RSS':>9} {'×floor':>6}  outcome")
    for name, size, seconds, rss, outcome in rows:
        shown = outcome if len(outcome) <= 110 else outcome[:109] + "…"
        print(
            f"{name:<58} {size / MB:>8.1f}MB {seconds:>7.2f} {seconds / floor_time:>6.2f} "
            f"{rss / MB:>7.0f}MB {rss / floor_rss:>6.2f}  {shown}"
        )
    worst = max(rows[1:], key=lambda r: r[3])
    print(
        f"worst peak: {worst[3] / MB:.0f} MB ({worst[0]}); every refusal one line, exit 1, project unchanged: "
        f"{'yes' if not failures else f'NO, {failures} case(s) failed'}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
