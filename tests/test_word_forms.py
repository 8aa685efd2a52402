"""Other forms of a word in search (rättigheterna finds rättighet) in the base install, and a clear word where there are none."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from mda_coder.core.errors import MdaError
from mda_coder.nlp.search import find_lemma, lemma_lookup, word_forms_available
from mda_coder.services import importing
from mda_coder.services.project import create_project, open_project
from mda_coder.services.search import find_in_document, word_forms_note
from mda_coder.tui.app import build_app
from mda_coder.tui.dialogs.choose import Choose
from tests.support.tui import said, wait_for

FORMS = [
    # (language, query, text, the words found): compounds no dictionary lists are taken apart.
    (
        "sv",
        "rättigheterna",
        "Sociala rättigheter, en rättighet, rätten och rättigheterna.",
        ["rättigheter", "rättighet", "rättigheterna"],
    ),
    ("sv", "tilltro", "Tilltron växer, tilltro är allt, men tillträde är något annat.", ["Tilltron", "tilltro"]),
    ("sv", "tilltron", "Hennes tilltro till sig själv.", ["tilltro"]),
    ("sv", "jobbfokuset", "Jobbfokus först, jobbfokuset sen, jobbet sist.", ["Jobbfokus", "jobbfokuset"]),
    (
        "sv",
        "arbetsmarknadsenhet",
        "På arbetsmarknadsenheten och arbetsmarknadsenheterna, inte arbetsmarknaden.",
        ["arbetsmarknadsenheten", "arbetsmarknadsenheterna"],
    ),
    ("sv", "försörjningsstödet", "Försörjningsstöd ges, stödet räcker inte.", ["Försörjningsstöd"]),
    ("sv", "handläggare", "Handläggaren och handläggarna, inte handlingen.", ["Handläggaren", "handläggarna"]),
    ("sv", "möte", "Mötet, mötena och möten, men mot oss.", ["Mötet", "mötena", "möten"]),
    (
        "sv",
        "handlingsplan",
        "Handlingsplanen och handlingsplaner, inte planen.",
        ["Handlingsplanen", "handlingsplaner"],
    ),
    ("sv", "söker", "Hon sökte, han söker, de har sökt.", ["sökte", "söker", "sökt"]),
    ("sv", "sociala rättigheterna", "Om sociala rättigheter och sociala skäl.", ["sociala rättigheter"]),
    ("da", "rettighed", "Sociale rettigheder, rettighederne og retten.", ["rettigheder", "rettighederne"]),
    ("da", "borger", "Borgeren, borgerne og borgere.", ["Borgeren", "borgerne", "borgere"]),
    (
        "da",
        "sagsbehandler",
        "Sagsbehandleren og sagsbehandlerne, ikke behandlingen.",
        ["Sagsbehandleren", "sagsbehandlerne"],
    ),
    ("da", "kontanthjælp", "Kontanthjælpen og hjælpen.", ["Kontanthjælpen"]),
    ("da", "ydelse", "Ydelsen, ydelserne og ydelser.", ["Ydelsen", "ydelserne", "ydelser"]),
    (
        "da",
        "virksomhed",
        "Virksomheden, virksomhederne og virksomheder.",
        ["Virksomheden", "virksomhederne", "virksomheder"],
    ),
    ("da", "tillid", "Tilliden er væk, til ingen nytte.", ["Tilliden"]),
    ("da", "beskæftigelsesindsats", "Beskæftigelsesindsatsen virker, indsatsen også.", ["Beskæftigelsesindsatsen"]),
    ("da", "møde", "Mødet, møderne, men mod alle.", ["Mødet", "møderne"]),
]


@pytest.mark.parametrize(("language", "query", "text", "expected"), FORMS, ids=[f"{f[0]}-{f[1]}" for f in FORMS])
def test_other_forms_of_swedish_and_danish_words(language: str, query: str, text: str, expected: list[str]) -> None:
    lemmatize = lemma_lookup(language)
    assert lemmatize is not None
    assert [span.of(text) for span in find_lemma(text, query, lemmatize)] == expected


def test_word_forms_cover_the_nordic_languages_and_say_where_not() -> None:
    assert all(word_forms_available(lang) for lang in ("sv", "da", "nb", "en", "de"))
    assert not word_forms_available("fo") and lemma_lookup("fo") is None


def test_searching_imports_no_lemmatiser_before_a_search_needs_it() -> None:
    # Opening the workspace and importing the search modules must stay fast: simplemma and spaCy load on demand.
    script = (
        "import sys, click; from mda_coder.cli import cli; cli.get_command(click.Context(cli), 'open'); "
        "import mda_coder.tui.app, mda_coder.nlp.search, mda_coder.services.search; "
        "print('simplemma' in sys.modules, 'spacy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


# Through the service, the command line and the workspace ------------------------------------------------

SV_TEXT = "I: Vad betyder sociala rättigheter för er?\nR1: Att varje rättighet gäller alla.\nR2: Och tilltro.\n"
FO_TEXT = "I: Hvat merkir hetta fyri tykkum?\nR1: Tað merkir nógv.\nR2: Ja, nógv.\n"


def _project(folder: Path, language: str, text: str) -> Path:
    path = folder / "studie.mda"
    transcript = folder / "FG1.txt"
    transcript.write_text(text, encoding="utf-8")
    db = create_project(path, language)
    try:
        importing.import_files(db, [transcript])
    finally:
        db.close()
    return path


@pytest.fixture
def swedish(tmp_path: Path) -> Path:
    return _project(tmp_path, "sv", SV_TEXT)


@pytest.fixture
def faroese(tmp_path: Path) -> Path:
    return _project(tmp_path, "fo", FO_TEXT)


def run(*args: object, ok: bool = True) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert (result.exit_code == 0) == ok, result.output
    return result.output


def test_the_service_finds_other_forms_when_the_text_has_no_exact_hit(swedish: Path) -> None:
    db = open_project(swedish)
    try:
        hits = find_in_document(db, "FG1", "rättigheterna")
        assert [(h.turn, h.text, h.match) for h in hits] == [(1, "rättigheter", "lemma"), (2, "rättighet", "lemma")]
        assert [h.text for h in find_in_document(db, "FG1", "tilltron", mode="lemma")] == ["tilltro"]
        assert word_forms_note(db) is None
    finally:
        db.close()


def test_the_search_command_lists_other_forms(swedish: Path) -> None:
    out = run("search", swedish, "FG1", "rättigheterna")
    assert "rättighet" in out and "lemma" in out and "not available" not in out
    data = json.loads(run("search", swedish, "FG1", "rättigheterna", "--json"))
    assert data["word_forms"] is True
    first, second = SV_TEXT.index("rättigheter"), SV_TEXT.index("rättighet gäller")
    assert [(h["turn"], h["text"], h["match"], h["span"]) for h in data["hits"]] == [
        (1, "rättigheter", "lemma", {"start": first, "end": first + 11}),
        (2, "rättighet", "lemma", {"start": second, "end": second + 9}),
    ]
    assert "'fotboll' is not in FG1" in run("search", swedish, "FG1", "fotboll", "--mode", "exact")


def test_without_a_word_list_the_command_says_so(faroese: Path) -> None:
    out = run("search", faroese, "FG1", "merkir")
    assert "merkir" in out and "exact" in out
    assert out.rstrip().endswith("other word forms: not available for fo")
    assert "other word forms: not available for fo" in run("search", faroese, "FG1", "qqqq")
    assert json.loads(run("search", faroese, "FG1", "merkir", "--json"))["word_forms"] is False
    failed = run("search", faroese, "FG1", "merkir", "--mode", "lemma", ok=False)
    assert failed.strip() == "Error: other word forms: not available for fo"


def test_without_a_word_list_lemma_mode_refuses_in_the_service(faroese: Path) -> None:
    db = open_project(faroese)
    try:
        assert word_forms_note(db) == "other word forms: not available for fo"
        with pytest.raises(MdaError, match=r"^other word forms: not available for fo$"):
            find_in_document(db, "FG1", "merkir", mode="lemma")
    finally:
        db.close()


async def test_the_workspace_search_says_when_other_forms_are_not_searched(faroese: Path) -> None:
    app = build_app(faroese, "anna")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(
            pilot,
            lambda: (
                "FG1" in str(app.screen.query("#status").first().render()) if app.screen.query("#status") else False
            ),
        )
        await pilot.press("slash", *"merkir", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, Choose))
        title = str(app.screen.query_one("#choose-title").render())
        assert "places with 'merkir' (other word forms: not available for fo)" in title
        await pilot.press("escape")
        await pilot.press("slash", *"qqqq", "enter")
        await wait_for(pilot, lambda: "not in FG1" in said(app.screen))
        assert said(app.screen) == (
            "'qqqq' is not in FG1, not even as a near spelling · other word forms: not available for fo"
        )


async def test_the_workspace_search_finds_other_forms_without_a_note(swedish: Path) -> None:
    app = build_app(swedish, "anna")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(
            pilot,
            lambda: (
                "FG1" in str(app.screen.query("#status").first().render()) if app.screen.query("#status") else False
            ),
        )
        await pilot.press("slash", *"rättigheterna", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, Choose))
        title = str(app.screen.query_one("#choose-title").render())
        assert title.startswith("2 places with 'rättigheterna'") and "not available" not in title
