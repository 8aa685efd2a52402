"""The interface's language: how it is chosen, that every message has its Swedish, and the pictures in Swedish."""

from __future__ import annotations

import importlib.util
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder import i18n
from mda_coder.cli import cli
from mda_coder.export.agreement_statistics import COHEN, PAIRWISE, STATISTICS
from mda_coder.i18n import REPORTS, TUI, Phrase
from tests.support.report_project import build

ROOT = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"


def _catalogues():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("catalogues", ROOT / "tools" / "catalogues.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


LOCALE = ("MDA_CODER_LANG", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "en"),
        ({"LANG": "sv_SE.UTF-8"}, "sv"),
        ({"LANG": "da_DK.UTF-8"}, "da"),
        ({"LANG": "sv_FI.UTF-8"}, "sv"),
        ({"LANG": "de_DE.UTF-8"}, "en"),  # no German: English, as the locale's own fallback would
        ({"LANG": "sv_SE.UTF-8", "LC_MESSAGES": "C"}, "en"),  # the first one set decides
        ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "sv_SE.UTF-8"}, "sv"),
        ({"LC_MESSAGES": "en_US.UTF-8", "LC_ALL": "sv_SE.UTF-8"}, "sv"),
        ({"LC_ALL": "C.UTF-8", "MDA_CODER_LANG": "sv"}, "sv"),
        ({"LANG": "sv_SE.UTF-8", "MDA_CODER_LANG": "en"}, "en"),
        ({"MDA_CODER_LANG": "da-DK"}, "da"),
    ],
)
def test_the_language_comes_from_mda_coder_lang_then_the_locale(
    monkeypatch: pytest.MonkeyPatch, environment: dict[str, str], expected: str
) -> None:
    for name in LOCALE:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert i18n.language() == expected


def test_ui_language_beats_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MDA_CODER_LANG", "da")
    i18n.set_language("sv")
    assert i18n.language() == "sv"
    assert TUI.gettext("Help") == "Hjälp"
    i18n.set_language(None)
    assert i18n.language() == "da" and TUI.gettext("Help") == "Hjælp"
    with pytest.raises(ValueError, match="no interface language 'fi'"):
        i18n.set_language("fi")


def test_english_is_the_message_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in LOCALE:
        monkeypatch.delenv(name, raising=False)
    assert TUI.gettext("Help") == "Help"
    assert TUI.ngettext("{n} turn", "{n} turns", 2) == "{n} turns"
    assert TUI.pgettext("verb", "code") == "code"


def test_swedish_plural_and_context_and_a_phrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MDA_CODER_LANG", "sv")
    assert TUI.ngettext("{n} turn", "{n} turns", 1).format(n=1) == "1 tur"
    assert TUI.ngettext("{n} turn", "{n} turns", 3).format(n=3) == "3 turer"
    assert TUI.pgettext("verb", "code") == "koda" and TUI.gettext("code") == "kod"
    # A Phrase is the English text (what files keep) and says its words of ours in Swedish, never a name.
    title = Phrase("Codes × {columns}", columns=Phrase("document"))
    assert title == "Codes × document" and json.dumps(title, ensure_ascii=False) == '"Codes × document"'
    assert REPORTS.text(title) == "Koder × dokument"
    assert REPORTS.text(Phrase("turns with {codes}", codes="turn")) == "turer med turn"  # a code named "turn" stays
    assert REPORTS.text("Code frequencies") == "Code frequencies"  # a plain string is a name: never translated


def test_danish_says_the_welcome_and_the_help_and_english_for_the_rest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MDA_CODER_LANG", "da")
    assert TUI.gettext("opening …") == "åbner …"
    assert TUI.gettext("Keys  (esc closes · ctrl+p lists every action)").startswith("Taster")
    assert TUI.gettext("Computing the report …") == "Computing the report …"  # not translated: English, not Swedish
    assert REPORTS.text(Phrase("Code frequencies")) == "Code frequencies"


def test_every_message_has_its_swedish_and_every_catalogue_is_compiled() -> None:
    """A message added to the TUI, the reports, the command line or the checks without a Swedish translation (or a .mo not compiled
    after the .po changed) fails here, naming it. Fix: ``.venv/bin/python tools/catalogues.py``, translate, run again."""
    catalogues = _catalogues()
    assert catalogues.problems() == []
    # The check reads what the code marks: it found the workspace's keys, a Phrase and a plural.
    ids = {m.id for domain in catalogues.LANGUAGES for m in catalogues.template(domain)}
    assert {"Undo", "Code frequencies", ("{n} turn", "{n} turns")} <= ids  # the workspace, a report, a plural
    assert {
        "Error: {message}",
        "reliable",
        "apply {code} to {doc} {where}",
    } <= ids  # the command line, a Word, a Message
    assert "Show the version and exit." in ids  # a command's help, read from click
    assert "No such option {name!r}." in ids  # click's own words


def test_the_agreement_names_are_all_said_in_swedish(monkeypatch: pytest.MonkeyPatch) -> None:
    """The coefficients' names in every table and report: a wordy name is a Phrase (translated), a symbol is not."""
    monkeypatch.setenv("MDA_CODER_LANG", "sv")
    for statistic in STATISTICS:
        for name in (statistic.column, statistic.short, statistic.name):
            assert isinstance(name, Phrase) or not any(w in name for w in ("'s", "agree", "segment", "pair")), name
    assert REPORTS.text(COHEN.name) == "Cohens κ"
    assert REPORTS.text(PAIRWISE.short) == "% par"


def test_a_missing_catalogue_gives_english_not_an_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(i18n, "_loaded", {})
    monkeypatch.setenv("MDA_CODER_LANG", "sv")
    assert TUI.gettext("Help") == "Help"


@pytest.fixture
def proj(tmp_path: Path, mini_codebook: Path, transcript: Path) -> Path:
    path = tmp_path / "studie.mda"
    build(path, mini_codebook, transcript).close()
    return path


def _texts(path: Path) -> list[str]:
    return ["".join(t.itertext()) for t in ET.parse(path).getroot().iter(f"{SVG}text")]


def test_the_picture_speaks_the_interface_language(proj: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MDA_CODER_LANG", "da")  # --ui-language beats it
    picture = tmp_path / "matris.svg"
    result = CliRunner().invoke(
        cli,
        ["--ui-language", "sv", "report", str(proj), "matrix", "--cols", "speaker-role", "--plot", str(picture)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    texts = _texts(picture)
    assert "Koder × roll" in texts  # the title
    assert "kodade turer" in texts  # the colour bar
    assert any(t.startswith("enhet: tur · värden: antal · dokument: 1 (FG9)") for t in texts)  # the facts
    assert "tilltro" in texts and "jobbfokus" in texts  # the codes as they are named
    # The table the same command prints is Swedish too: its title, and the file it wrote.
    assert "Koder × roll" in result.output and "Codes × role" not in result.output
    assert result.output.startswith("skrev bilden till ")


def test_the_picture_is_english_by_default_and_the_same_bytes(
    proj: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in LOCALE:
        monkeypatch.delenv(name, raising=False)
    english, again = tmp_path / "a.svg", tmp_path / "b.svg"
    for picture in (english, again):
        result = CliRunner().invoke(cli, ["report", str(proj), "frequencies", "--per-coder", "--plot", str(picture)])
        assert result.exit_code == 0, result.output
    assert "Code frequencies per coder" in _texts(english)
    assert english.read_bytes() == again.read_bytes()
    swedish = tmp_path / "sv.svg"
    CliRunner().invoke(
        cli, ["--ui-language", "sv", "report", str(proj), "frequencies", "--per-coder", "--plot", str(swedish)]
    )
    assert "Kodfrekvenser per kodare" in _texts(swedish)


def test_every_translation_keeps_the_placeholders_of_its_message() -> None:
    """A translation that drops or misspells ``{code}`` would raise KeyError where the message is shown."""
    import re

    from babel.messages.pofile import read_po

    names = re.compile(r"\{(\w*)[^{}]*\}")
    for po in sorted((ROOT / "mda_coder" / "locale").glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as stream:
            catalog = read_po(stream)
        for message in catalog:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            wanted = set().union(*(names.findall(i) for i in ids))
            shared = set.intersection(*(set(names.findall(i)) for i in ids))
            for string in strings:
                if string:
                    said = set(names.findall(string))
                    # A plural's forms may differ ("1 was given", "{len} were given"), as the English ones do.
                    assert said == wanted if len(ids) == 1 else shared <= said <= wanted, (po.name, message.id, string)
