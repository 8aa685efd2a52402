"""Issue 16 end to end on the sample project: a typo fixed in a coded turn, a turn split, the whole project
pseudonymised; every coding is still on its words and no export names anyone."""

from __future__ import annotations

import csv
import re
import sqlite3
from pathlib import Path

import pytest

from mda_coder.services.sample import build_sample_project
from tests.support.cli import ok as run_ok

pytestmark = pytest.mark.slow


def _coded(path: Path) -> dict[tuple[str, str, str, str], list[str]]:
    """Every coding's text, keyed by (document, coder, code, uuid)."""
    with sqlite3.connect(path) as c:
        rows = c.execute(
            "SELECT d.name, k.name, co.name, c.uuid, substr(d.text, c.start_offset + 1, c.end_offset - c.start_offset)"
            " FROM codings c JOIN documents d ON d.id = c.document_id JOIN coders k ON k.id = c.coder_id"
            " JOIN codes co ON co.id = c.code_id"
        ).fetchall()
    return {(r[0], r[1], r[2], r[3]): r[4] for r in rows}


def _a_coded_word(path: Path) -> tuple[str, int, str, str]:
    """A turn of FG1 with a coding, and a word of six letters or more inside the coding: (document, turn, word, respelled)."""
    with sqlite3.connect(path) as c:
        for doc, turn, text in c.execute(
            "SELECT d.name, t.position, substr(d.text, c.start_offset + 1, c.end_offset - c.start_offset)"
            " FROM codings c JOIN documents d ON d.id = c.document_id"
            " JOIN turns t ON t.document_id = d.id AND t.start_offset <= c.start_offset AND c.end_offset <= t.end_offset"
            " WHERE d.name = 'FG1_Norrvik' ORDER BY t.position"
        ):
            for word in re.findall(r"\b[a-zåäö]{6,}\b", text):
                return doc, turn, word, word[:-1] + word[-1] * 2
    raise AssertionError("no coded word in FG1")


def test_a_typo_a_split_and_pseudonyms_keep_every_coding_on_its_words(tmp_path: Path) -> None:
    project = tmp_path / "sample.mda"
    build_sample_project(project).close()
    before = _coded(project)

    # A typo fixed in a coded turn (here made the other way round: the word respelled).
    doc, turn, word, respelled = _a_coded_word(project)
    with sqlite3.connect(project) as c:
        (turn_text,) = c.execute(
            "SELECT substr(d.text, t.start_offset + 1, t.end_offset - t.start_offset) FROM turns t"
            " JOIN documents d ON d.id = t.document_id WHERE d.name = ? AND t.position = ?",
            (doc, turn),
        ).fetchone()
        in_turn = {
            u
            for (u,) in c.execute(
                "SELECT c.uuid FROM codings c JOIN documents d ON d.id = c.document_id JOIN turns t"
                " ON t.document_id = d.id AND t.position = ? WHERE d.name = ?"
                " AND c.start_offset < t.end_offset AND t.start_offset < c.end_offset",
                (turn, doc),
            )
        }
    fixed = re.sub(rf"\b{word}\b", respelled, turn_text)
    run_ok("turn", "edit", str(project), doc, str(turn), "--text", fixed)
    respell = {k: re.sub(rf"\b{word}\b", respelled, v) if k[3] in in_turn else v for k, v in before.items()}
    assert _coded(project) == respell

    # A turn split between two sentences that no coding crosses: the codings keep their texts.
    with sqlite3.connect(project) as c:
        turns = c.execute(
            "SELECT t.id, t.position, t.start_offset, t.end_offset FROM turns t JOIN documents d ON d.id = t.document_id"
            " WHERE d.name = 'FG2_Sjöstad' ORDER BY t.position"
        ).fetchall()
        spans = c.execute(
            "SELECT c.start_offset, c.end_offset FROM codings c JOIN documents d ON d.id = c.document_id"
            " WHERE d.name = 'FG2_Sjöstad'"
        ).fetchall()
        text = c.execute("SELECT text FROM documents WHERE name = 'FG2_Sjöstad'").fetchone()[0]
        split = None
        for turn_id, position, start, end in turns:
            cuts = [
                s
                for (s,) in c.execute(
                    "SELECT start_offset FROM sentences WHERE turn_id = ? ORDER BY position", (turn_id,)
                )
            ][1:]
            coded = any(a < end and start < b for a, b in spans)
            for cut in cuts:
                if coded and not any(a < cut < b for a, b in spans):
                    split = (position, text[cut:end].split()[:4])
                    break
            if split:
                break
    assert split is not None
    turns_before = len(turns)
    run_ok("turn", "split", str(project), "FG2_Sjöstad", str(split[0]), "--at", " ".join(split[1]))
    with sqlite3.connect(project) as c:
        assert (
            c.execute(
                "SELECT count(*) FROM turns t JOIN documents d ON d.id = t.document_id WHERE d.name = 'FG2_Sjöstad'"
            ).fetchone()[0]
            == turns_before + 1
        )
    assert _coded(project) == respell

    # The whole project pseudonymised with the proposed key.
    key = tmp_path / "nycklar.csv"
    run_ok("pseudonymise", str(project), "--key", str(key), "--dry-run")
    with key.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    originals = [r["original"] for r in rows]
    assert originals, "the proposed key is empty"
    run_ok("pseudonymise", str(project), "--key", str(key))
    after = {k[3]: v for k, v in _coded(project).items()}
    assert sorted(after) == sorted(k[3] for k in respell)
    names = re.compile("|".join(rf"\b{re.escape(o)}\b" for o in sorted(originals, key=len, reverse=True)))
    for k, was in respell.items():
        if not names.search(was):
            assert after[k[3]] == was, k
        else:
            assert not names.search(after[k[3]]), (k, after[k[3]])
    out = tmp_path / "utdrag.md"
    run_ok("export", str(project), "markdown", str(out), "--context", "1", "--memos")
    exported = out.read_text(encoding="utf-8")
    assert not names.search(exported), names.search(exported)
