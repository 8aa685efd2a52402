"""Sentences keep transcription marks ([skratt], (paus 3 sek.), […]) inside them, in fresh turns and the sample project."""

from __future__ import annotations

import re

import pytest

from mda_coder.core.spans import Span
from mda_coder.nlp.marks import MARK, respect_marks
from mda_coder.nlp.sentences import CHUNK_CHARS, split_sentences
from mda_coder.services import queries
from mda_coder.services.coding import export_rows
from mda_coder.services.sample import build_sample_project
from mda_coder.store.engine import Database

CASES = [
    # Swedish
    ("sv", "Det gick bra. [skratt] Sen kom nästa.", ["Det gick bra. [skratt]", "Sen kom nästa."]),
    ("sv", "Vi försökte. [skratt] [paus] Det gick inte.", ["Vi försökte. [skratt] [paus]", "Det gick inte."]),
    (
        "sv",
        "Hon sa (skrattar) att det var lugnt. Sen (paus 3 sek.) ringde chefen.",
        ["Hon sa (skrattar) att det var lugnt.", "Sen (paus 3 sek.) ringde chefen."],
    ),
    ("sv", "Öh (.) var ska jag börja.", ["Öh (.) var ska jag börja."]),
    ("sv", "Okej. [ohörbart] Vi tar nästa fråga.", ["Okej. [ohörbart]", "Vi tar nästa fråga."]),
    ("sv", "(paus 3 sek.) Vi stängde kontoret. (paus 3 sek.)", ["(paus 3 sek.) Vi stängde kontoret. (paus 3 sek.)"]),
    ("sv", "Nej. (paus 3 sek.) Aldrig.", ["Nej. (paus 3 sek.)", "Aldrig."]),
    ("sv", "Jag ringde. [De] svarade inte.", ["Jag ringde.", "[De] svarade inte."]),
    ("sv", 'Bra. "Vad menar du?" Hon tittade upp.', ["Bra.", '"Vad menar du?"', "Hon tittade upp."]),
    ("sv", "Hon sa nej. »Varför då?» Det visste hon inte.", ["Hon sa nej.", "»Varför då?»", "Det visste hon inte."]),
    ("sv", "Vi ses. [skratt Hej då.", ["Vi ses.", "[skratt Hej då."]),
    ("sv", "Okej. ((skrattar)) Visst.", ["Okej. ((skrattar))", "Visst."]),
    ("sv", "[skratt]", ["[skratt]"]),
    ("sv", "Ja. [skratt] [paus]", ["Ja. [skratt] [paus]"]),
    # Danish
    ("da", "Det er (utydeligt, 0.58) svært. (griner)", ["Det er (utydeligt, 0.58) svært. (griner)"]),
    (
        "da",
        "Vi tog hjem. [Alle griner] Og så videre. […] Godt. (…) Nej.",
        ["Vi tog hjem. [Alle griner]", "Og så videre. […]", "Godt. (…)", "Nej."],
    ),
    ("da", "Jeg ved ikke (…) det er svært.", ["Jeg ved ikke (…) det er svært."]),
    ("da", "Nej. (griner) Det gør vi ikke.", ["Nej. (griner)", "Det gør vi ikke."]),
    ("da", "Hun sagde: »Nej.« Og så gik hun.", ["Hun sagde: »Nej.«", "Og så gik hun."]),
    ("da", "Vi venter. (paus 3 sek.) Så ringer han.", ["Vi venter. (paus 3 sek.)", "Så ringer han."]),
    ("da", "Det ved jeg ikke. (griner). Men vi prøver.", ["Det ved jeg ikke. (griner).", "Men vi prøver."]),
    ("da", "Det var sjovt (griner). Men nu er det slut.", ["Det var sjovt (griner).", "Men nu er det slut."]),
    ("da", "(griner). Vi starter bare.", ["(griner). Vi starter bare."]),
    ("da", "… til halv fem, tror jeg. Så lukker vi.", ["… til halv fem, tror jeg.", "Så lukker vi."]),
    ("da", "Vi mødes klokken ni [uklart]. Det er fast.", ["Vi mødes klokken ni [uklart].", "Det er fast."]),
    # English
    ("en", "Yes. [laughs] No.", ["Yes. [laughs]", "No."]),
    ("en", "We asked. [They] said no.", ["We asked.", "[They] said no."]),
    ("en", "Well (pause 2 sec.) I don't know.", ["Well (pause 2 sec.) I don't know."]),
    ("en", 'I said "no." (laughter) Then we left.', ['I said "no." (laughter)', "Then we left."]),
    ("en", "So. (inaudible 00:12:03) Right.", ["So. (inaudible 00:12:03)", "Right."]),
    ("en", "Fine. ( Next one.", ["Fine.", "( Next one."]),
]


@pytest.mark.parametrize(("language", "turn", "expected"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_marks_stay_inside_sentences(language: str, turn: str, expected: list[str]) -> None:
    [spans] = list(split_sentences([turn], language))
    assert [s.of(turn) for s in spans] == expected


def test_sentences_without_marks_are_as_the_pipeline_cut_them() -> None:
    turn = "Vi pratade länge. Sen gick vi hem! Varför? Det vet jag inte…"
    [spans] = list(split_sentences([turn], "sv"))
    assert [s.of(turn) for s in spans] == ["Vi pratade länge.", "Sen gick vi hem!", "Varför?", "Det vet jag inte…"]


def test_a_repair_only_moves_or_drops_boundaries() -> None:
    text = "Ja. [skratt] Nej. (paus 3 sek.) Kanske."
    pieces = ["Ja. [", "skratt] Nej.", "(paus", "3 sek.) Kanske."]  # cut as a careless pipeline might
    cut = [Span(text.index(p), text.index(p) + len(p)) for p in pieces]
    repaired = respect_marks(text, cut)
    assert [s.of(text) for s in repaired] == ["Ja. [skratt]", "Nej. (paus 3 sek.)", "Kanske."]
    assert respect_marks("Ja. Nej.", [Span(0, 3), Span(4, 8)]) == [Span(0, 3), Span(4, 8)]


def test_a_mark_across_a_cut_of_a_long_turn_is_kept_whole() -> None:
    head = "Vi pratar om arbete. " * (CHUNK_CHARS // 21)
    turn = head[: CHUNK_CHARS - 6] + " Ja (paus 3 sek.) nej. Sen slutade vi."
    [spans] = list(split_sentences([turn], "sv"))
    texts = [s.of(turn) for s in spans]
    assert texts[-2:] == ["Ja (paus 3 sek.) nej.", "Sen slutade vi."]


# The bundled sample project ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Database:
    db = build_sample_project(tmp_path_factory.mktemp("sample") / "sample.mda")
    yield db
    db.close()


def _only_marks(text: str) -> bool:
    return re.fullmatch(r"[\s.!?…,]*", MARK.sub("", text)) is not None


def test_sample_sentences_never_begin_or_end_inside_a_mark(sample: Database) -> None:
    checked = marked = 0
    for doc in queries.documents(sample):
        turns = {t.index: t.text for t in queries.turns(sample, doc.name)}
        for sentence in queries.sentences(sample, doc.name):
            text = sentence.text
            checked += 1
            marked += "[" in text or "(" in text
            assert text[:1] not in "])", (doc.name, text)
            assert text[-1:] not in "[(", (doc.name, text)
            if _only_marks(text):
                assert text == turns[sentence.turn].strip(), (doc.name, text)  # only a turn that is nothing else
    assert checked > 700 and marked > 30  # the sample really has marks ([skratt], [paus], (.))


def test_sample_mark_sentences_read_as_the_rule_says(sample: Database) -> None:
    texts = [s.text for s in queries.sentences(sample, "FG1_Norrvik")]
    assert not [t for t in texts if t.endswith("(.)") or t == "(.)"]
    assert any(t.startswith("Eh (.) ") for t in texts)  # a pause after a hesitation is not a sentence end
    assert any(t.endswith(". [skratt]") for t in texts) and any(t.startswith("[skratt] ") for t in texts)


def test_sample_codings_by_sentence_land_on_the_intended_sentences(sample: Database) -> None:
    # codings_sample.csv names sentences by number: its numbers follow the sentences as marks now cut them.
    texts = {(r.coder, r.document, r.code, r.text) for r in export_rows(sample)}

    def coded(coder: str, document: str, code: str, start: str) -> bool:
        return any(t[:3] == (coder, document, code) and t[3].startswith(start) for t in texts)

    assert coded("erik", "FG1_Norrvik", "tilltro/deltagarens självtilltro", "Det var hennes ord,")
    assert coded("anna", "FG1_Norrvik", "strukturella faktorer/diskriminering", "Vi har inga jobb att dela ut")
    assert coded("anna", "FG2_Sjöstad", "jobbfokus/jobbsamtal", "Men sen måste jag ändå skriva")
    assert coded("erik", "FG3_Älvdala_zoom", "jobbfokus/kandidatspråk", "Nu pratar vi om anställningsbarhet")
    assert coded(
        "anna", "FG3_Älvdala_zoom", "individualisering av ansvar/kritik av individualisering", "Det är inte motivation."
    )
    assert coded("erik", "FG3_Älvdala_zoom", "tilltro/tilltro uttryckt", "Så vi sitter med personer")
