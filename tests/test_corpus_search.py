"""Searching every document at once: word forms, compounds, near spellings, phrases, filters and the KWIC lines.

The project is two invented focus groups; each test searches it through the service or the command line
and checks the words found, where, and how they matched.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from mda_coder.core.errors import MdaError
from mda_coder.services import importing
from mda_coder.services.coding import Target, apply_code
from mda_coder.services.corpus_search import CorpusSearch, SearchRequest, search_corpus
from mda_coder.services.project import create_project, open_project
from mda_coder.store.engine import Database

FG1 = """\
Fokusgrupp i Norrby (påhittat exempel)
Deltagare:
I: Intervjuare
R1: arbetskonsulent
R2: jobbcoach
R3: handläggare

I: Vad betyder tilltro för er i arbetet?

R1: Tilltron till deltagaren är allt. Utan tilltro händer ingenting.

R2: Jag pratar hellre om självtilltro. Den växer när de får praktik.

I: Och sociala rättigheter, hur ser ni på dem?

R1: De sociala rättigheterna glöms bort när jobbfokuset tar över.

R2: Min far jobbade här och sa att tilltrons gränser syns på arbetsmarknaden.

R3: Jag har tiltro till systemet, trots allt.
"""

FG2 = """\
Moderator: Hur pratar ni om rättigheter?

Anna: Rättigheter och krav hör ihop. Tilltro bygger man i mötet.

Moderator: Och du, Bo?

Bo: Sociala rättigheter är inget man förtjänar. Jobbfokus först, sa chefen.

Anna: Ja, så är det.
"""


@pytest.fixture
def studie(project: Database, tmp_path: Path) -> Database:
    for name, text, group in (("FG1", FG1, "Norr"), ("FG2", FG2, "Syd")):
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        importing.import_files(project, [path], group=group)
    assert run("speaker", project.location, "FG2", "Anna", "--name", "Anna Ek")
    apply_code(project, coder="anna", code="tilltro", document="FG1", target=Target(turn=2))
    apply_code(project, coder="erik", code="tilltro", document="FG1", target=Target(turn=6))
    apply_code(project, coder="anna", code="jobbfokus", document="FG1", target=Target(turn=5))
    return project


def found(result: CorpusSearch) -> list[tuple[str, int | None, str, str]]:
    return [(h.document, h.turn, h.text, h.match) for h in result.hits]


def search(db: Database, query: str, **options: object) -> CorpusSearch:
    return search_corpus(db, SearchRequest(query, **options))  # type: ignore[arg-type]  # the options are the request's


def run(*args: object, ok: bool = True) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert (result.exit_code == 0) == ok, result.output
    return result.output


# Word forms, compounds, near spellings, phrases --------------------------------------------------------


def test_a_word_finds_its_forms_in_every_document(studie: Database) -> None:
    assert found(search(studie, "tilltro")) == [
        ("FG1", 1, "tilltro", "exact"),
        ("FG1", 2, "Tilltron", "lemma"),
        ("FG1", 2, "tilltro", "exact"),
        ("FG1", 6, "tilltrons", "lemma"),
        ("FG2", 2, "Tilltro", "exact"),
    ]
    # any form finds the others: the same five words, each said to be exact where it is the form searched for
    assert [(h.turn, h.text, h.match) for h in search(studie, "tilltrons").hits] == [
        (1, "tilltro", "lemma"),
        (2, "Tilltron", "lemma"),
        (2, "tilltro", "lemma"),
        (6, "tilltrons", "exact"),
        (2, "Tilltro", "lemma"),
    ]


def test_exact_finds_the_word_as_written_case_aside(studie: Database) -> None:
    assert found(search(studie, "TILLTRO", mode="exact")) == [
        ("FG1", 1, "tilltro", "exact"),
        ("FG1", 2, "tilltro", "exact"),
        ("FG2", 2, "Tilltro", "exact"),
    ]


@pytest.mark.parametrize(
    ("query", "mode", "expected"),
    [
        # å, ä and ö are letters of their own: får is not far, nor fara
        ("får", "exact", ["får"]),
        ("får", "lemma", ["får"]),
        ("far", "exact", ["far"]),
        ("far", "lemma", ["far"]),
        ("mötet", "lemma", ["mötet"]),
        ("mot", "lemma", []),
    ],
)
def test_swedish_letters_are_not_folded(studie: Database, query: str, mode: str, expected: list[str]) -> None:
    assert [h.text for h in search(studie, query, mode=mode).hits] == expected


COMPOUNDS = [
    # (query, words the compounds option adds): the head is the query's lemma, the rest a word of its own
    ("tilltro", ["självtilltro"]),
    ("marknad", ["arbetsmarknaden"]),
    ("fokus", ["jobbfokuset", "Jobbfokus"]),
    ("rätt", []),  # 'rättigheter' starts with it; a head is at the end
    ("het", []),  # 'rättig' is no word: a suffix is not a head
]


@pytest.mark.parametrize(("query", "added"), COMPOUNDS, ids=[c[0] for c in COMPOUNDS])
def test_compounds_add_words_whose_head_is_the_query(studie: Database, query: str, added: list[str]) -> None:
    plain = {h.text for h in search(studie, query).hits}
    wider = search(studie, query, compounds=True)
    assert [h.text for h in wider.hits if h.text not in plain] == added
    assert all(h.match == "compound" for h in wider.hits if h.text not in plain)


def test_fuzzy_finds_near_spellings_with_their_likeness(studie: Database) -> None:
    result = search(studie, "tiltro", mode="fuzzy")
    by_word = {(h.document, h.turn, h.text): (h.match, h.score) for h in result.hits}
    assert by_word[("FG1", 7, "tiltro")] == ("exact", 100.0)
    assert by_word[("FG1", 1, "tilltro")] == ("fuzzy", 92.3)
    assert "tilltro" in result.terms
    assert search(studie, "tiltro", mode="lemma").total == 1  # without --fuzzy, only the word as written


@pytest.mark.parametrize("query", ["sociala rättigheter", '"sociala rättigheter"', "Sociala  rättigheterna"])
def test_a_phrase_is_found_in_its_other_forms(studie: Database, query: str) -> None:
    assert [(h.document, h.turn, h.text) for h in search(studie, query).hits] == [
        ("FG1", 4, "sociala rättigheter"),
        ("FG1", 5, "sociala rättigheterna"),
        ("FG2", 4, "Sociala rättigheter"),
    ]


def test_an_exact_phrase_is_those_words_only(studie: Database) -> None:
    assert [h.turn for h in search(studie, "sociala rättigheter", mode="exact").hits] == [4, 4]
    assert search(studie, "rättigheter sociala").total == 0


def test_text_outside_the_turns_is_searched_too(studie: Database) -> None:
    [title] = search(studie, "Norrby").hits
    assert (title.document, title.turn, title.speaker, title.text) == ("FG1", None, None, "Norrby")


# Filters --------------------------------------------------------------------------------------------------


def test_each_filter_narrows_the_hits(studie: Database) -> None:
    every = [(h.document, h.turn) for h in search(studie, "tilltro").hits]
    assert every == [("FG1", 1), ("FG1", 2), ("FG1", 2), ("FG1", 6), ("FG2", 2)]

    def turns(**options: object) -> list[tuple[str, int | None]]:
        return [(h.document, h.turn) for h in search(studie, "tilltro", **options).hits]

    assert turns(documents=("FG2",)) == [("FG2", 2)]
    assert turns(groups=("Norr",)) == every[:4]
    assert turns(speakers=("R1",)) == [("FG1", 2), ("FG1", 2)]
    assert turns(speakers=("Anna Ek",)) == [("FG2", 2)]
    assert turns(roles=("jobbcoach",)) == [("FG1", 6)]
    assert turns(no_moderator=True) == every[1:]
    assert turns(code="tilltro") == [("FG1", 2), ("FG1", 2), ("FG1", 6)]
    assert turns(code="tilltro", coder="anna") == [("FG1", 2), ("FG1", 2)]
    assert turns(code="tilltro", coder="erik") == [("FG1", 6)]
    assert turns(not_code="tilltro") == [("FG1", 1), ("FG2", 2)]
    assert turns(not_code="tilltro", coder="erik") == [*every[:3], ("FG2", 2)]
    assert turns(code="jobbfokus") == []


def test_the_speaker_of_each_hit_is_named(studie: Database) -> None:
    [moderator, first, *_] = search(studie, "tilltro").hits
    assert (moderator.speaker, moderator.role, moderator.group) == ("I", "moderator", "Norr")
    assert (first.speaker, first.role) == ("R1", "arbetskonsulent")


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"speakers": ("R9",)}, "no speaker called 'R9'"),
        ({"roles": ("chef",)}, "no speaker has the role 'chef'"),
        ({"groups": ("Öst",)}, "no group called 'Öst'"),
        ({"documents": ("FG7",)}, "no document called 'FG7'"),
        ({"code": "tillit"}, "unknown code 'tillit'"),
        ({"code": "tilltro", "coder": "bo"}, "unknown coder 'bo'"),
        ({"mode": "stem"}, "unknown search mode 'stem'"),
        ({"sort": "middle"}, "unknown sort 'middle'"),
    ],
)
def test_a_name_nobody_has_is_said_not_searched_for(studie: Database, options: dict[str, object], error: str) -> None:
    with pytest.raises(MdaError, match=error):
        search(studie, "tilltro", **options)


# Order and context -----------------------------------------------------------------------------------------


def test_hits_sort_by_their_left_or_right_context(studie: Database) -> None:
    left = search(studie, "tilltro", sort="left").hits
    # by the words just left of each hit, nearest first (case aside): nothing < 'att' < 'betyder' < 'ihop' < 'Utan'
    assert [h.left.split()[-1] if h.left else "" for h in left] == ["", "att", "betyder", "ihop.", "Utan"]
    right = search(studie, "tilltro", sort="right").hits
    # by the hit, then the words right of it
    assert [(h.text.lower(), h.right.split()[0]) for h in right] == [
        ("tilltro", "bygger"),
        ("tilltro", "för"),
        ("tilltro", "händer"),
        ("tilltron", "till"),
        ("tilltrons", "gränser"),
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sv", ["arbete", "zon", "åtgärd", "ärende", "öppet"]),  # å ä ö after z, in that order
        ("da", ["arbete", "zon", "ærlig", "øjeblik", "åben"]),  # æ ø å after z
        ("en", ["arbete", "élan", "zon"]),  # an accent does not make a letter of its own
    ],
)
def test_context_sorts_in_the_project_language_s_alphabet(
    tmp_path: Path, mini_codebook: Path, language: str, expected: list[str]
) -> None:
    words = {"sv": ["öppet", "ärende", "zon", "åtgärd", "arbete"], "da": ["åben", "øjeblik", "zon", "ærlig", "arbete"]}
    chosen = words.get(language, ["zon", "élan", "arbete"])
    text = "\n\n".join(f"R{n}: {word} kurs idag." for n, word in enumerate(chosen, 1)) + "\n"
    path = tmp_path / "alfabet.txt"
    path.write_text(text, encoding="utf-8")
    db = create_project(tmp_path / "a.mda", language, mini_codebook, actor="test")
    try:
        importing.import_files(db, [path])
        right = search(db, "kurs", sort="left", mode="exact").hits
        assert [h.left for h in right] == expected
    finally:
        db.close()


def test_context_is_cut_at_words_and_stays_in_the_turn(studie: Database) -> None:
    hit = search(studie, "rättigheterna", mode="exact", context=20).hits[0]
    assert (hit.left, hit.text, hit.right) == ("De sociala", "rättigheterna", "glöms bort när")
    assert FG1[hit.span.start : hit.span.end] == "rättigheterna"


def test_a_limit_shows_the_first_hits_and_counts_them_all(studie: Database) -> None:
    result = search(studie, "tilltro", limit=2)
    assert (len(result.hits), result.total) == (2, 5)


# The command line ------------------------------------------------------------------------------------------


def test_the_command_prints_kwic_lines_and_a_count(studie: Database) -> None:
    out = run("search", studie.location, "tilltro").splitlines()
    assert len(out) == 6 and out[-1] == "5 hits in 2 documents (lemma)"
    words = [h["text"] for h in json.loads(run("search", studie.location, "tilltro", "--json"))["hits"]]
    column = out[0].index(words[0], 40)
    assert [line[column : column + len(word)] for line, word in zip(out, words, strict=False)] == words  # lined up
    assert out[1].startswith("FG1") and "R1" in out[1] and "arbetskonsulent" in out[1] and "(lemma)" in out[1]


def test_json_and_csv_say_the_same(studie: Database) -> None:
    data = json.loads(run("search", studie.location, "tilltro", "--no-moderator", "--json"))
    assert (data["total"], data["shown"], data["mode"], data["word_forms"]) == (4, 4, "lemma", True)
    first = data["hits"][0]
    assert set(first) == {
        "document", "group", "turn", "speaker", "name", "role", "span", "text", "match", "score", "left", "right"
    }  # fmt: skip
    start = FG1.index("Tilltron")
    assert first["span"] == {"start": start, "end": start + 8} and first["text"] == "Tilltron"
    rows = list(csv.DictReader(io.StringIO(run("search", studie.location, "tilltro", "--no-moderator", "--csv"))))
    assert [(r["document"], int(r["turn"]), r["hit"], int(r["start"])) for r in rows] == [
        (h["document"], h["turn"], h["text"], h["span"]["start"]) for h in data["hits"]
    ]
    assert rows[0]["role"] == "arbetskonsulent" and rows[0]["match"] == "lemma"


def test_the_command_takes_every_option(studie: Database) -> None:
    out = run(
        "search", studie.location, "marknad", "--compounds", "--group", "Norr", "--speaker", "R2", "--sort", "right"
    )
    assert "arbetsmarknaden" in out and "(compound)" in out and "also searched for: arbetsmarknad" in out
    out = run("search", studie.location, "tiltro", "--fuzzy", "--limit", "1")
    assert out.splitlines()[-2:] == ["1 of 5 hits shown (fuzzy)", "also searched for: tilltro, tilltron"]
    assert run("search", studie.location, "ingenstans").strip() == "'ingenstans' is in no document"


def test_the_old_one_document_form_still_works(studie: Database) -> None:
    out = run("search", studie.location, "FG2", "rättigheter")
    assert out.splitlines()[0].split() == ["turn", "start", "end", "match", "text"]
    assert "exact" in out
    data = json.loads(run("search", studie.location, "FG2", "rättigheter", "--json"))
    assert data["document"] == "FG2" and [h["turn"] for h in data["hits"]] == [1, 2, 4]
    refused = run("search", studie.location, "FG2", "rättigheter", "--speaker", "R1", ok=False)
    assert refused.strip() == (
        "Error: --speaker: only when searching every document (give the query alone, without a DOCUMENT)"
    )
    unquoted = run("search", studie.location, "sociala", "rättigheter", ok=False).strip()
    assert unquoted.startswith("Error: no document called 'sociala'") and len(unquoted.splitlines()) == 1
    assert unquoted.endswith('to search every document for a phrase, quote it: "sociala rättigheter"')


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("tilltro", "--json", "--csv"), "Error: give --json or --csv, not both"),
        (("tilltro", "--coder", "anna"), "Error: --coder: give --code or --not-code too (whose codings to look at)"),
        (("a", "b", "c"), 'Error: give the query as one argument: quote a phrase ("sociala rättigheter")'),
        (("tilltro", "--limit", "0"), "Error: Invalid value for '--limit'"),
    ],
)
def test_mistakes_are_one_line(studie: Database, args: tuple[str, ...], error: str) -> None:
    out = run("search", studie.location, *args, ok=False)
    assert out.strip().splitlines()[-1].startswith(error)


def test_a_language_without_word_forms_says_so(tmp_path: Path) -> None:
    path = tmp_path / "fo.mda"
    transcript = tmp_path / "FO.txt"
    transcript.write_text("I: Hvat merkir álit?\nR1: Álit er nógv.\n", encoding="utf-8")
    db = create_project(path, "fo")
    try:
        importing.import_files(db, [transcript])
    finally:
        db.close()
    out = run("search", path, "álit")
    assert out.splitlines()[-2:] == ["2 hits in 1 document (exact)", "other word forms: not available for fo"]
    db = open_project(path)
    try:
        result = search(db, "álit")
        assert result.total == 2 and not result.word_forms and result.notes
        for refused in ({"mode": "lemma"}, {"compounds": True}):  # asked for by name: refused, not half done
            with pytest.raises(MdaError, match="other word forms: not available for fo"):
                search(db, "álit", **refused)
    finally:
        db.close()
