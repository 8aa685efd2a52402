"""The workspace in Swedish (MDA_CODER_LANG=sv), in English by default, and its welcome and help in Danish."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from mda_coder.i18n import TUI
from mda_coder.tui.app import build_app
from mda_coder.tui.dialogs.choose import Choose
from mda_coder.tui.screens.help import HelpScreen, binding_rows, describe
from mda_coder.tui.screens.workspace import WorkspaceScreen
from mda_coder.tui.widgets.panels import CodebookTree
from mda_coder.tui.widgets.transcript import TranscriptView
from tests.support.tui import sample_copy, screen_text, text_of, wait_for, workspace_ready

SIZE = (120, 40)
LOCALE = ("MDA_CODER_LANG", "LC_ALL", "LC_MESSAGES", "LANG")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return sample_copy(tmp_path)


def _language(monkeypatch: pytest.MonkeyPatch, value: str | None) -> None:
    for name in LOCALE:
        monkeypatch.delenv(name, raising=False)
    if value is not None:
        monkeypatch.setenv("MDA_CODER_LANG", value)


def _dialog(screen: Choose) -> str:
    """A list dialog's title and items, as shown."""
    options = screen.query_one(OptionList)
    items = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
    return "\n".join([text_of(screen, "#choose-title"), *items])


async def _ready(pilot: Pilot[None]) -> None:
    await wait_for(pilot, lambda: workspace_ready(pilot.app))
    await wait_for(pilot, lambda: pilot.app.screen.query_one(CodebookTree).root.children != [])
    await pilot.pause()


async def test_the_workspace_its_help_and_a_dialog_in_swedish(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _language(monkeypatch, "sv")
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot)
        screen = app.screen
        status = text_of(screen, "#status")
        assert "tur 1/" in status and "kodare anna (blind)" in status and "kodade " in status and "okodade " in status
        assert "alla tangenter" in text_of(screen, "#keys") and " koda " in text_of(screen, "#keys")
        assert "Gå till en kod (K, sedan piltangenterna)" in text_of(screen, "#code-detail")

        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = screen_text(app)
        assert "Tangenter  (esc stänger · ctrl+p listar alla åtgärder)" in shown
        assert "Nästa tur" in shown and "Markera nästa mening" in shown
        for _where, _keys, binding in binding_rows(app.screen.workspace):
            said = describe(binding)
            assert said and (said != binding.description or said in ("Memo",)), binding.description
        await pilot.press("escape")

        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, Choose))
        await pilot.pause()
        shown = _dialog(app.screen)
        assert "Visa vilka turer?" in shown and "alla utom moderatorn" in shown and "turer du inte har kodat" in shown
        await pilot.press("down", "enter")  # all but the moderator
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
        assert "filter: alla utom moderatorn (" in text_of(app.screen, "#status")
        assert " turer)" in text_of(app.screen, "#status")

        await pilot.press("1")  # applies tilltro: the message line says so in Swedish
        await wait_for(pilot, lambda: "kodade med tilltro" in str(app.screen.query_one("#message").render()))


async def test_the_workspace_is_english_by_default(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _language(monkeypatch, None)
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot)
        status = text_of(app.screen, "#status")
        assert "turn 1/" in status and "coder anna (blind)" in status
        assert "all keys" in text_of(app.screen, "#keys")
        await pilot.press("question_mark")
        assert "Keys  (esc closes · ctrl+p lists every action)" in screen_text(app)
        await pilot.press("escape", "f")
        await wait_for(pilot, lambda: isinstance(app.screen, Choose))
        await pilot.pause()
        assert "Show which turns?" in _dialog(app.screen)


async def test_the_welcome_and_the_help_in_danish(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Danish: the first page, the status bar, the keys at the bottom and the whole help of the workspace."""
    _language(monkeypatch, "da")
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        first = screen_text(app)  # the opening screen, before the workspace takes over
        assert "alle taster" in first and "koder anna (blind)" in first
        await _ready(pilot)
        assert "Gå til en kode (K, derefter piletasterne)" in text_of(app.screen, "#code-detail")
        await pilot.press("question_mark")
        shown = screen_text(app)
        assert "Taster  (esc lukker · ctrl+p viser alle handlinger)" in shown and "Markér næste sætning" in shown
        for _where, _keys, binding in binding_rows(app.screen.workspace):
            said = describe(binding)
            assert said != binding.description or said == "Memo", f"no Danish for {binding.description!r}"
        await pilot.press("escape", "f")
        await wait_for(pilot, lambda: isinstance(app.screen, Choose))
        await pilot.pause()
        assert "Show which turns?" in _dialog(app.screen)  # beyond the welcome and the help: English


async def test_the_palette_lists_the_actions_in_swedish(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _language(monkeypatch, "sv")
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Avsluta" in titles and "Tema" in titles  # Textual's own
        assert "Ångra (u)" in titles and "Gå till kodboken (K)" in titles
        assert TUI.gettext("Search for commands…") == "Sök bland kommandona …"


def test_the_workspace_at_100_by_30_in_swedish(project: Path, snap_compare, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    _language(monkeypatch, "sv")

    async def before(pilot: Pilot[None]) -> None:
        await _ready(pilot)
        await wait_for(pilot, lambda: pilot.app.screen.query_one(TranscriptView).turns != ())

    assert snap_compare(build_app(project, "anna"), terminal_size=(100, 30), run_before=before, press=["j"])
