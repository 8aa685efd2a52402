"""Fuzzy code search, search in a document (exact, lemma, fuzzy) with exact offsets, and a code's excerpts."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from mda_coder.core.coding import CodeInfo
from mda_coder.core.errors import MdaError, NotFoundError
from mda_coder.core.spans import Span
from mda_coder.ingest.codebook_yaml import read_codebook
from mda_coder.nlp import search as text_search
from mda_coder.nlp.search import code_matches, find_exact, find_fuzzy, find_lemma, fold, snippet
from mda_coder.services import importing
from mda_coder.services.coding import Target, apply_code
from mda_coder.services.search import code_excerpts, find_in_document
from mda_coder.store.engine import Database
from tests.conftest import CODEBOOK, TRANSCRIPT


@pytest.fixture(scope="module")
def mda_codes() -> list[CodeInfo]:
    book = read_codebook(CODEBOOK)
    return [
        CodeInfo(
            id=i,
            path=path,
            name=code.name,
            parent_id=None,
            color=code.color,
            key=code.key,
            definition=code.definition.best("sv"),
        )
        for i, (path, code) in enumerate(book.walk())
    ]


@pytest.fixture
def coded(project: Database, transcript: Path) -> Database:
    importing.import_files(project, [transcript], group="FG9")
    return project


def top(query: str, codes: list[CodeInfo], n: int = 1) -> list[str]:
    return [code.path for code, _ in code_matches(query, codes)[:n]]


# Code search -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tilltro", "tilltro"),  # exact name
        ("TILLTRO", "tilltro"),  # case
        ("tiltro", "tilltro"),  # a typo
        ("rattigheter", "sociala rättigheter"),  # without diacritics, inside the name
        ("Sociala Rättigheter", "sociala rättigheter"),
        ("jobbfokus/kandidat", "jobbfokus/kandidatspråk"),  # by path
        ("arbetslinjen", "arbetslinjen"),
    ],
)
def test_code_search_finds_by_name_and_path(mda_codes: list[CodeInfo], query: str, expected: str) -> None:
    assert top(query, mda_codes) == [expected]


def test_code_search_finds_by_definition_but_ranks_names_first() -> None:
    codes = [
        CodeInfo(1, "jobbfokus", "jobbfokus", None, None, None, "Arbete som överordnat mål i varje möte."),
        CodeInfo(2, "arbete", "arbete", None, None, None, "Samtal om sysselsättning."),
        CodeInfo(3, "tilltro", "tilltro", None, None, None, "Tro på deltagarens förmåga."),
    ]
    assert [c.path for c, _ in code_matches("arbete", codes)] == ["arbete", "jobbfokus"]
    assert [c.path for c, _ in code_matches("overordnat mal", codes)] == ["jobbfokus"]  # definition, no diacritics
    assert [c.path for c, _ in code_matches("formaga", codes)] == ["tilltro"]
    assert code_matches("zzzz", codes) == []


def test_empty_query_lists_codes_in_codebook_order(mda_codes: list[CodeInfo]) -> None:
    assert [c.path for c, _ in code_matches("  ", mda_codes, limit=None)] == [c.path for c in mda_codes]
    assert len(code_matches("", mda_codes, limit=5)) == 5
    assert len(code_matches("tilltro", mda_codes, limit=3)) == 3


def test_code_search_is_fast_enough_for_every_key_press(mda_codes: list[CodeInfo]) -> None:
    codes = [
        CodeInfo(i, f"{c.path}{i}", f"{c.name}{i}", None, None, None, c.definition)
        for i, c in enumerate((mda_codes * 6)[:200])
    ]
    code_matches("rattigheter", codes)
    started = time.perf_counter()
    for _ in range(20):
        code_matches("rattigheter", codes)
    assert (time.perf_counter() - started) / 20 < 0.025  # about 2 ms here; generous for slow CI


# Text search, pure -----------------------------------------------------------------------------------


def test_fold_keeps_every_offset() -> None:
    text = "Sociala RÄTTIGHETER, Åsa, ﬁka, İstanbul"
    assert len(fold(text)) == len(text)
    assert fold("Sociala RÄTTIGHETER") == "sociala rattigheter"


TEXT = "Tilltron är viktig.\nÄven tiltro och TILLTRO, tilltro!\nSociala rättigheter först."
TURNS = [Span(0, 19), Span(20, 53), Span(54, 80)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tilltro", [(0, 7, "Tilltro"), (36, 43, "TILLTRO"), (45, 52, "tilltro")]),
        ("är viktig", [(9, 18, "är viktig")]),
        ("viktig. Även", []),  # a phrase across two turns is not in either
        ("rättigheter", [(62, 73, "rättigheter")]),
        ("rattigheter", []),  # exact means exact, apart from case
        ("", []),
    ],
)
def test_exact_search_gives_exact_offsets(query: str, expected: list[tuple[int, int, str]]) -> None:
    spans = find_exact(TEXT, query, TURNS)
    assert [(s.start, s.end, s.of(TEXT)) for s in spans] == expected


def test_exact_search_matches_a_phrase_across_a_line_break() -> None:
    assert [s.of(TEXT) for s in find_exact(TEXT, "viktig. även")] == ["viktig.\nÄven"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tiltro", ["Tilltron", "tiltro", "TILLTRO", "tilltro"]),
        ("rattigheter", ["rättigheter"]),
        ("sociala rattigheter", ["Sociala rättigheter"]),
        ("socala rättigheter", ["Sociala rättigheter"]),
        ("xyzzy", []),
    ],
)
def test_fuzzy_search_forgives_typos_case_and_diacritics(query: str, expected: list[str]) -> None:
    hits = find_fuzzy(TEXT, query, TURNS)
    assert [span.of(TEXT) for span, _ in hits] == expected
    assert all(85 <= score <= 100 for _, score in hits)


def test_lemma_search_matches_other_forms_of_the_word() -> None:
    lemmas = {"tilltron": "tilltro", "rättigheter": "rättighet", "rättigheterna": "rättighet"}
    lemmatize = lambda word: lemmas.get(word, word)  # noqa: E731
    assert [s.of(TEXT) for s in find_lemma(TEXT, "tilltro", lemmatize, TURNS)] == ["Tilltron", "TILLTRO", "tilltro"]
    assert [s.of(TEXT) for s in find_lemma(TEXT, "Sociala rättigheterna", lemmatize, TURNS)] == ["Sociala rättigheter"]


def test_a_language_without_a_word_list_has_no_lemma_lookup() -> None:
    assert text_search.lemma_lookup("fo") is None and text_search.lemma_lookup("sv") is not None


def test_snippet_is_one_line_cut_at_words() -> None:
    text = "Vi pratar om arbete i varje möte,\noch om praktik när det passar."
    assert snippet(text, Span(13, 19), context=12) == "…pratar om arbete i varje…"
    assert snippet(text, Span(0, 2), context=100) == "Vi pratar om arbete i varje möte, och om praktik när det passar."


# Text search in a project ----------------------------------------------------------------------------


def test_find_in_document_exact_with_turns_and_offsets(coded: Database) -> None:
    hits = find_in_document(coded, "FG9", "tilltro")
    assert [(h.turn, h.span, h.text, h.match) for h in hits] == [(1, Span(51, 58), "tilltro", "exact")]
    assert TRANSCRIPT[51:58] == "tilltro"
    assert hits[0].snippet == "Välkomna. Vad betyder tilltro för er?"
    hits = find_in_document(coded, "FG9", "DET")
    assert [(h.turn, h.text) for h in hits] == [(2, "det"), (4, "det")]
    assert [TRANSCRIPT[h.span.start : h.span.end] for h in hits] == ["det", "det"]


def test_find_in_document_falls_back_to_fuzzy(coded: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_search, "lemma_lookup", lambda language: None)
    [hit] = find_in_document(coded, "FG9", "tiltro")
    assert (hit.turn, hit.text, hit.match, hit.span) == (1, "tilltro", "fuzzy", Span(51, 58))
    assert find_in_document(coded, "FG9", "tiltro", mode="exact") == []
    assert [h.text for h in find_in_document(coded, "FG9", "fokuserar pa", mode="fuzzy")] == ["fokuserar på"]


def test_find_in_document_uses_the_real_swedish_lemma_table(coded: Database) -> None:
    # simplemma is a base dependency, so this runs the real loading path and word list.
    lemmatize = text_search.lemma_lookup("sv")
    assert lemmatize is not None
    assert (lemmatize("tilltron"), lemmatize("Rättigheterna"), lemmatize("möten")) == ("tilltro", "rättighet", "möte")
    [hit] = find_in_document(coded, "FG9", "möten")
    assert (hit.turn, hit.text, hit.match) == (5, "möte", "lemma")


def test_lemma_mode_without_a_lookup_says_so(coded: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(text_search, "lemma_lookup", lambda language: None)
    with pytest.raises(MdaError, match="other word forms: not available for sv"):
        find_in_document(coded, "FG9", "möten", mode="lemma")
    with pytest.raises(MdaError, match="unknown search mode 'regex'"):
        find_in_document(coded, "FG9", "möten", mode="regex")
    with pytest.raises(NotFoundError, match="no document called 'FG1'"):
        find_in_document(coded, "FG1", "möte")


# Excerpts of a code -----------------------------------------------------------------------------------


def test_code_excerpts_across_documents_coders_and_sub_codes(coded: Database, tmp_path: Path) -> None:
    other = tmp_path / "FG10.txt"
    other.write_text("I: Och tilltro?\nR3: Ja, tilltro är allt.\n", encoding="utf-8")
    importing.import_files(coded, [other], group="FG10")
    apply_code(coded, coder="anna", code="tilltro", document="FG9", target=Target(turn=2), memo="stark")
    apply_code(coded, coder="erik", code="tilltro/tvivel", document="FG9", target=Target(span=(79, 98)))
    apply_code(coded, coder="anna", code="tilltro", document="FG10", target=Target(turn=2))
    excerpts = code_excerpts(coded, "tilltro")
    assert [(e.document, e.group, e.turn, e.speaker, e.coder, e.text, e.memo) for e in excerpts] == [
        ("FG9", "FG9", 2, "R1", "anna", "Att jag tror på deltagaren. Även när det går trögt.", "stark"),
        ("FG10", "FG10", 2, "R3", "anna", "Ja, tilltro är allt.", None),
    ]
    with_children = code_excerpts(coded, "tilltro", include_children=True)
    assert [(e.document, e.code_path, e.span, e.text) for e in with_children][1] == (
        "FG9",
        "tilltro/tvivel",
        Span(79, 98),
        "tror på deltagaren.",
    )
    assert len(with_children) == 3
    assert [e.coder for e in code_excerpts(coded, "tilltro", coder="erik", include_children=True)] == ["erik"]
