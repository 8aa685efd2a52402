"""Correcting a coded transcript: every coding, turn, sentence and memo follows its words; undo and redo are exact."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from mda_coder.core.errors import MdaError
from mda_coder.services import corrections, history, memos
from mda_coder.services.coding import Target, apply_code
from mda_coder.services.doctor import examine
from mda_coder.store import search_index
from mda_coder.store.engine import Database
from mda_coder.store.models import Document, Event
from tests.support.tui import sample_copy

FG1, FG3 = "FG1_Norrvik", "FG3_Älvdala_zoom"
TABLES = ("turns", "sentences", "speakers", "codings", "consensus_decisions", "suggestions", "anchor_flags")


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database.open(sample_copy(tmp_path))


def dump(db: Database) -> dict[str, Any]:
    """Every row of every table a correction touches, and the search index, sorted: what exactness compares."""
    with db.transaction() as s:
        conn = s.connection()
        out: dict[str, Any] = {
            name: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {name}")).all()), key=repr) for name in TABLES
        }
        out["memos"] = sorted(map(tuple, conn.execute(text("SELECT * FROM memos")).all()), key=repr)
        out["documents"] = sorted(map(tuple, conn.execute(text("SELECT * FROM documents")).all()), key=repr)
        out["index"] = search_index.entries(conn)
        return out


def coded(db: Database, document: str) -> list[tuple[str, str, str]]:
    """(coder, code, coded words) of every coding of the document."""
    with db.transaction() as s:
        rows = s.execute(
            text(
                "SELECT coders.name, codes.name, codings.start_offset, codings.end_offset, documents.text "
                "FROM codings JOIN coders ON coders.id = codings.coder_id JOIN codes ON codes.id = codings.code_id "
                "JOIN documents ON documents.id = codings.document_id WHERE documents.name = :d"
            ),
            {"d": document},
        ).all()
        return sorted((r[0], r[1], r[4][r[2] : r[3]]) for r in rows)


def doc_text(db: Database, document: str) -> str:
    with db.transaction() as s:
        return s.scalars(select(Document.text).where(Document.name == document)).one()


@pytest.mark.parametrize(
    ("old", "new", "status"),
    [
        ("faktiskt tror att personen", "faktiskt tror att personnen", "edited"),  # a typo in a coded turn
        ("Ja men jag kan börja.", "Ja men jag kan börja. 🙂 Å ä ö.", "edited"),  # å/ä/ö and emoji added
    ],
)
def test_a_small_fix_keeps_every_coding_on_its_words(db: Database, old: str, new: str, status: str) -> None:
    before = coded(db, FG1)
    report = corrections.correct_text(db, FG1, doc_text(db, FG1).replace(old, new, 1), actor="anna")
    assert report.regions >= 1 and report.counts["gone"] == 0 and report.counts["doubtful"] == 0
    assert {m.status for m in report.moved} == {status}
    assert all(m.new_text is not None and new in m.new_text for m in report.moved)
    after = coded(db, FG1)
    assert [(c, k) for c, k, _ in after] == [(c, k) for c, k, _ in before]
    assert sum(t != u for (_, _, t), (_, _, u) in zip(before, after, strict=True)) == len(report.moved)
    assert {m.coder for m in report.moved} == {"anna", "erik"}  # the other coder's codings follow too


def test_a_name_replaced_moves_the_codings_after_it(db: Database) -> None:
    before = coded(db, FG3)
    new = doc_text(db, FG3).replace("Tomas Öberg", "Person B")
    report = corrections.correct_text(db, FG3, new, actor="anna")
    assert report.counts["gone"] == 0
    assert coded(db, FG3) == [(c, k, t.replace("Tomas Öberg", "Person B")) for c, k, t in before]
    assert corrections.turn_text(db, FG3, 2) == ("Ja, vi hör dig.", "Tomas Öberg")  # the row's label is not the text


def test_a_deleted_coded_turn_is_flagged_not_dropped(db: Database) -> None:
    coded_turn, _ = corrections.turn_text(db, FG1, 2)
    text_now = doc_text(db, FG1)
    new = text_now.replace("\n\nR1: " + coded_turn, "", 1)
    report = corrections.correct_text(db, FG1, new, actor="anna")
    assert report.turns_after == report.turns_before - 1
    gone = [m for m in report.moved if m.status == "gone"]
    assert gone and all(m.old_text == coded_turn and m.new_text is None and m.flag_id for m in gone)
    listed = corrections.flags(db, FG1)
    assert {f.id for f in listed} >= {m.flag_id for m in gone}
    assert {(f.coder, f.old_text) for f in listed if f.status == "gone"} == {(m.coder, coded_turn) for m in gone}
    history.undo(db, "anna")
    assert doc_text(db, FG1) == text_now and corrections.flags(db, FG1) == []


def test_a_dry_run_changes_nothing(db: Database) -> None:
    before = dump(db)
    report = corrections.correct_text(
        db, FG1, doc_text(db, FG1).replace("börja", "starta", 1), actor="anna", dry_run=True
    )
    assert report.dry_run and report.regions == 1
    assert dump(db) == before


def test_split_merge_and_speaker_on_label_colon_and_vtt(db: Database) -> None:
    words, label = corrections.turn_text(db, FG1, 2)
    report = corrections.split_turn(db, FG1, 2, words.index("Alltså"), actor="anna")
    assert (report.turns_before + 1, label) == (report.turns_after, "R1")
    assert corrections.turn_text(db, FG1, 2) == ("Ja men jag kan börja.", "R1")
    assert corrections.turn_text(db, FG1, 3)[0].startswith("Alltså, för mig")
    assert "börja.\n\nR1: Alltså" in doc_text(db, FG1)  # a new line with the label
    corrections.merge_turns(db, FG1, 2, actor="anna")
    assert corrections.turn_text(db, FG1, 2)[0] == "Ja men jag kan börja. " + words[words.index("Alltså") :]
    corrections.set_speaker(db, FG3, 2, "Ulf Hedlund", actor="anna")
    assert corrections.turn_text(db, FG3, 2) == ("Ja, vi hör dig.", "Ulf Hedlund")
    assert "\n\nUlf Hedlund: Ja, vi hör dig." in doc_text(db, FG3)
    report = corrections.set_speaker(db, FG3, 2, "Ny Deltagare", actor="anna")
    assert report.notes == ("speaker Ny Deltagare added to FG3_Älvdala_zoom",)


def test_a_memo_on_a_merged_away_turn_moves_to_the_merged_turn(db: Database) -> None:
    memos.add_memo(db, "svaret fortsätter här", document=FG1, turn=3, coder="anna")
    report = corrections.merge_turns(db, FG1, 2, actor="anna")
    assert report.notes == ("the memo on turn 3 moved to turn 2",)
    assert [(m.kind, m.turn) for m in memos.list_memos(db) if m.text == "svaret fortsätter här"] == [("turn", 2)]


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda db: corrections.split_turn(db, FG1, 2, 0, actor="anna"), "a split must leave words on both sides"),
        (lambda db: corrections.edit_turn(db, FG1, 2, "  ", actor="anna"), "the new text is empty"),
        (lambda db: corrections.edit_turn(db, FG1, 999, "x", actor="anna"), "has no turn 999"),
        (lambda db: corrections.correct_text(db, FG1, doc_text(db, FG1), actor="anna"), "nothing changed"),
        (lambda db: corrections.merge_turns(db, FG1, 110, actor="anna"), "is the last turn"),
        (lambda db: corrections.correct_text(db, "FG9", "x", actor="anna"), "no document called 'FG9'"),
    ],
)
def test_mistakes_are_refused_in_one_line_and_change_nothing(db: Database, call: Any, error: str) -> None:
    before = dump(db)
    with pytest.raises(MdaError, match=error) as caught:
        call(db)
    assert "\n" not in str(caught.value)
    assert dump(db) == before


def test_replace_from_a_corrected_file(db: Database, tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[1] / "transcripts_sample" / "FG1_Norrvik.txt"
    corrected = tmp_path / "FG1_rättad.txt"
    corrected.write_text(source.read_text(encoding="utf-8").replace("kan börja", "kan börja nu"), encoding="utf-8")
    before = coded(db, FG1)
    report = corrections.replace_document(db, FG1, corrected, actor="anna", dry_run=True)
    assert report.dry_run and report.counts["edited"] == 2
    report = corrections.replace_document(db, FG1, corrected, actor="anna")
    assert [t.replace("kan börja nu", "kan börja") for *_, t in coded(db, FG1)] == [t for *_, t in before]
    with pytest.raises(MdaError, match="layout"):
        corrections.replace_document(db, FG3, corrected, actor="anna")
    with pytest.raises(MdaError, match="already in the project as FG1_Norrvik"):
        corrections.replace_document(db, "FG2_Sjöstad", corrected, actor="anna")


def test_replace_says_which_turns_went_to_another_speaker(db: Database, tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[1] / "transcripts_sample" / "FG1_Norrvik.txt"
    corrected = tmp_path / "FG1_rättad.txt"
    corrected.write_text(source.read_text(encoding="utf-8").replace("\nR2: Mm.\n", "\nR3: Mm.\n", 1), encoding="utf-8")
    assert corrections.turn_text(db, FG1, 3) == ("Mm.", "R2")
    report = corrections.replace_document(db, FG1, corrected, actor="anna")
    assert "turn 3: speaker R2 → R3" in report.notes
    assert corrections.turn_text(db, FG1, 3) == ("Mm.", "R3")


def test_undo_and_redo_are_exact_and_the_entry_is_small(db: Database) -> None:
    start = dump(db)
    corrections.correct_text(db, FG1, doc_text(db, FG1).replace("börja", "börjja", 1), actor="anna")
    words, _ = corrections.turn_text(db, FG1, 4)
    corrections.split_turn(db, FG1, 4, words.index(" ") + 1, actor="anna")
    corrections.merge_turns(db, FG1, 6, actor="erik")
    corrections.set_speaker(db, FG1, 7, "R9", actor="erik")
    corrected = dump(db)
    assert examine(db.location).problems == 0
    with db.transaction() as s:
        entry = s.scalars(select(Event.data).where(Event.action == "document.correct")).one()
    assert len(json.dumps(entry)) < 4000  # a one-word fix in a 110-turn, 120-coding document
    for coder in ("erik", "erik", "anna", "anna"):
        assert history.undo(db, coder) is not None
    assert dump(db) == start
    for coder in ("anna", "anna", "erik", "erik"):
        assert history.redo(db, coder) is not None
    assert dump(db) == corrected
    assert examine(db.location).problems == 0


def test_an_older_step_on_changed_text_is_refused(db: Database) -> None:
    apply_code(db, coder="erik", code="tilltro", document=FG1, target=Target(span=(600, 620)))
    corrections.correct_text(db, FG1, "Inledning.\n" + doc_text(db, FG1), actor="anna")
    before = dump(db)
    with pytest.raises(MdaError, match="was corrected since"):
        history.undo(db, "erik")
    assert dump(db) == before
    history.undo(db, "anna")  # the correction taken back: erik's step fits the text again
    assert history.undo(db, "erik") is not None


def test_a_step_taken_on_undone_text_is_refused_once_the_correction_is_redone(db: Database) -> None:
    corrections.correct_text(db, FG1, "Inledning.\n" + doc_text(db, FG1), actor="anna")
    history.undo(db, "anna")  # the original text again
    apply_code(db, coder="erik", code="tilltro", document=FG1, target=Target(span=(600, 620)))
    history.undo(db, "erik")  # the codings as anna's undo left them: her redo may go ahead
    history.redo(db, "anna")  # the correction again: erik's step was on the text without it
    before = dump(db)
    with pytest.raises(MdaError, match="was corrected since"):
        history.redo(db, "erik")
    assert dump(db) == before
    history.undo(db, "anna")
    assert history.redo(db, "erik") is not None
    assert ("erik", "tilltro", doc_text(db, FG1)[600:620]) in coded(db, FG1)


def test_a_step_taken_before_a_pseudonymisation_is_refused(db: Database, tmp_path: Path) -> None:
    from mda_coder.services import pseudonymise

    apply_code(db, coder="erik", code="tilltro", document=FG3, target=Target(turn=5))
    key = tmp_path / "nycklar.csv"
    pseudonymise.propose_key(db.location, key)
    pseudonymise.pseudonymise(db.location, key, actor="anna")
    before = dump(db)
    with pytest.raises(MdaError, match="was pseudonymised since"):
        history.undo(db, "erik")
    assert dump(db) == before


def test_undo_refuses_when_the_codings_changed_since(db: Database) -> None:
    corrections.correct_text(db, FG1, doc_text(db, FG1).replace("börja", "börjja", 1), actor="anna")
    apply_code(db, coder="erik", code="tilltro", document=FG1, target=Target(turn=5))
    with pytest.raises(MdaError, match="was changed since"):
        history.undo(db, "anna")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.integers(0, 13_000), st.integers(0, 40), st.sampled_from(["", "ö", "🙂 ", "ord ", "\n"])),
        min_size=1,
        max_size=4,
    )
)
def test_random_corrections_undo_exactly(
    tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[int, int, str]]
) -> None:
    db = Database.open(sample_copy(tmp_path_factory.mktemp("random")))
    start = dump(db)
    new = doc_text(db, FG1)
    for at, length, insert in edits:
        at = min(at, len(new))
        new = new[:at] + insert + new[at + length :]
    try:
        corrections.correct_text(db, FG1, new, actor="anna")
    except MdaError:
        assert dump(db) == start
        return
    assert history.undo(db, "anna") is not None
    assert dump(db) == start


@pytest.mark.slow  # a 300-turn import and 20,000 codings
def test_a_one_word_fix_among_20000_codings_writes_a_few_kb(tmp_path: Path) -> None:
    from tests.support.bench import load_bench

    project, _ = load_bench("bench_corrections").build(tmp_path, 300, 20_000, 1, 3)
    db = Database.open(project)
    try:
        old = doc_text(db, "FG_lång")
        at = old.index(" ", 5000) + 1
        word = old[at : old.index(" ", at)]
        report = corrections.correct_text(db, "FG_lång", old[:at] + word + "s" + old[at + len(word) :], actor="anna")
        assert report.regions == 1 and sum(report.counts.values()) >= 19_000
        with db.transaction() as s:
            entry = s.scalars(select(Event.data).where(Event.action == "document.correct")).one()
        size = len(json.dumps(entry, ensure_ascii=False))
        touched = report.counts["edited"] + report.counts["doubtful"] + report.counts["gone"]
        assert 0 < touched < 100
        assert size < 2_000 + 400 * touched  # the fix, the turn's sentences and the codings on the word: ~10 KB
        assert history.undo(db, "anna") is not None and doc_text(db, "FG_lång") == old
    finally:
        db.close()


def test_edits_given_by_the_caller_are_checked_against_both_texts(db: Database) -> None:
    from mda_coder.core.reanchor import Edit

    old = doc_text(db, FG1)
    at = old.index("börja")
    new = old[:at] + "starta" + old[at + len("börja") :]
    wrong = [Edit(at, at + 5, at, at + 5)]  # says five letters became five: the text says six
    with db.transaction() as s, pytest.raises(ValueError, match="edits"):
        corrections.apply_text(s, 1, new, actor="anna", edits=wrong)
    assert doc_text(db, FG1) == old
    with db.transaction() as s:
        report = corrections.apply_text(s, 1, new, actor="anna", edits=[Edit(at, at + 5, at, at + 6)])
    assert report.regions == 1 and doc_text(db, FG1) == new
