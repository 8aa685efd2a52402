"""The interface's language, chosen by ``--ui-language``, ``MDA_CODER_LANG`` or the locale, and its catalogues.

The catalogues are compiled ``.mo`` files under ``mda_coder/locale/<lang>/LC_MESSAGES/<domain>.mo``,
one domain per part of the interface (``tui``, ``reports``, ``cli``, ``messages`` for what the
project's checks, the importers and the journal say, and ``click`` for click's own words), so that each part is extracted, translated
and checked on its own (``tools/catalogues.py``). Only the
standard library is used at run time, and a catalogue is read the first time one of its messages
is asked for in a language other than English; English reads nothing, the messages are the code's
own text. The interface language is not the project's transcript language (``init --language``):
a Swedish researcher may code English interviews.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from gettext import NullTranslations

LANGUAGES = ("en", "sv", "da")
"""English (the messages as written in the code), Swedish, and Danish for the welcome and the help."""
ENVIRONMENT = ("MDA_CODER_LANG", "LC_ALL", "LC_MESSAGES", "LANG")
"""Where the language is looked for after ``--ui-language``, in this order: the first one set decides."""
LOCALE_DIR = Path(__file__).with_name("locale")

_chosen: str | None = None
_loaded: dict[tuple[str, str], NullTranslations] = {}


def parse(value: str | None) -> str | None:
    """``sv``, ``sv_SE.UTF-8``, ``da-DK`` → that language; ``C``, ``POSIX`` → ``en``; None when it names none we have."""
    if not value:
        return None
    code = value.split(".", 1)[0].split("@", 1)[0].replace("-", "_").split("_", 1)[0].lower()
    if code in ("c", "posix"):
        return "en"
    return code if code in LANGUAGES else None


def set_language(value: str | None) -> None:
    """Use ``value`` whatever the environment says (``--ui-language``); None goes back to the environment."""
    global _chosen
    if value is not None and parse(value) is None:
        raise ValueError(f"no interface language '{value}': use {', '.join(LANGUAGES)}")
    _chosen = parse(value)


def language() -> str:
    """The interface language now: ``--ui-language``, else the first of ``ENVIRONMENT`` that is set, else English.

    A variable naming a language mda-coder has no catalogue for (``LANG=de_DE.UTF-8``) gives
    English, as the locale's own rule would: the first one set decides, the others are not asked.
    """
    if _chosen is not None:
        return _chosen
    for name in ENVIRONMENT:
        value = os.environ.get(name)
        if value:
            return parse(value) or "en"
    return "en"


def _translations(domain: str, lang: str) -> NullTranslations:
    key = (domain, lang)
    found = _loaded.get(key)
    if found is None:
        import gettext

        found = _loaded[key] = gettext.translation(domain, LOCALE_DIR, languages=[lang], fallback=True)
    return found


class Phrase(str):
    """English text that keeps its template and values, so that it can also be said in another language.

    It *is* the English string, so tables, CSV, JSON and Markdown use it unchanged (the bytes are
    the contract); a picture or a screen says it in the interface's language with ``Domain.text``.
    A value that is itself a Phrase is a word of ours (``turn``, ``jaccard``) and is translated
    too; a plain string is a name from the project (a code, a document, a coder) and never is.
    """

    template: str
    values: dict[str, Any]
    catalogue: ClassVar[str | None] = None
    """The domain that says it; None: whichever shows it (a report's Phrase in a picture, on a screen)."""

    def __new__(cls, template: str, **values: Any) -> Phrase:
        made = super().__new__(cls, template.format(**values) if values else template)
        made.template, made.values = template, values
        return made

    def kept(self) -> dict[str, Any]:
        """The template and values as JSON, to store next to the English (a doubt's reading) and say later."""
        return {
            "template": self.template,
            "values": {
                key: {"phrase": type(v).__name__, **v.kept()} if isinstance(v, Phrase) else v
                for key, v in self.values.items()
            },
        }

    @classmethod
    def joined(cls, parts: Sequence[str], separator: str) -> str:
        """``parts`` one after the other (``role handläggare, datum removed``), each said on its own where shown."""
        template = separator.join(f"{{p{i}}}" for i in range(len(parts)))
        return cls(template, **dict(zip((f"p{i}" for i in range(len(parts))), parts))) if parts else ""

    @classmethod
    def restored(cls, english: str, kept: object) -> str:
        """What ``kept`` stored, said again; ``english`` as it is when it is missing or no longer gives those words."""
        if not isinstance(kept, dict):
            return english
        try:
            values = {
                key: _PHRASES.get(v.get("phrase"), Phrase).restored("", v) if isinstance(v, dict) else v
                for key, v in kept["values"].items()
            }
            made = cls(kept["template"], **values)
        except (KeyError, IndexError, TypeError, ValueError, AttributeError):
            return english
        return made if not english or made == english else english


class Message(Phrase):
    """A Phrase of the project's checks, the importers and the journal: an error, a doubt's reading, what undo undid.

    It is written where the check is made (``core``, ``ingest``, ``store``, ``services``), in
    English, which is what a file, ``--json`` and the journal keep; ``MESSAGES.text`` or ``said``
    says it in the interface's language where it is shown, in the command line and the workspace.
    """

    catalogue = "messages"


_PHRASES: dict[str | None, type[Phrase]] = {"Phrase": Phrase, "Message": Message}


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is defined (a constant); it is translated where it is shown."""
    return message


class Domain:
    """One catalogue: ``gettext``, ``ngettext`` and ``text`` (a Phrase) in the interface language now.

    The language is looked up on every call (a few dictionary reads), so a test, or a workspace
    started after ``--ui-language``, never sees a language fixed when a module was imported.
    """

    def __init__(self, name: str) -> None:
        self.name = name

    def gettext(self, message: str) -> str:
        lang = language()
        if lang == "en" or not message:
            return message
        return _translations(self.name, lang).gettext(message)

    def pgettext(self, context: str, message: str) -> str:
        """``message`` where the same English word means two things (``code`` the verb, ``code`` the noun)."""
        lang = language()
        if lang == "en":
            return message
        return _translations(self.name, lang).pgettext(context, message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        lang = language()
        if lang == "en":
            return singular if n == 1 else plural
        return _translations(self.name, lang).ngettext(singular, plural, n)

    def message(self, value: str) -> str:
        """One of our own messages, marked where it was defined: a Phrase, or a plain ``N_`` string (a msgid)."""
        return self.text(value) if isinstance(value, Phrase) else self.gettext(value)

    def text(self, value: object) -> str:
        """``value`` said in the interface language if it is a Phrase; any other value as it is (a name stays a name)."""
        if not isinstance(value, Phrase):
            return "" if value is None else str(value)
        if language() == "en":
            return str(value)
        owner = _DOMAINS.get(value.catalogue or self.name, self)
        if owner is not self:
            return owner.text(value)
        template = self.gettext(value.template)
        if not value.values:
            return template
        values = {key: self.text(v) if isinstance(v, Phrase) else v for key, v in value.values.items()}
        return template.format(**values)


TUI = Domain("tui")
"""The coding workspace and every screen and dialog over it."""
REPORTS = Domain("reports")
"""What reports say about themselves (titles, facts, notes, scales), in pictures and on screen."""
CLI = Domain("cli")
"""The command line: its messages, table headings, summaries and the help of every command and option."""
MESSAGES = Domain("messages")
"""What the project's checks, the importers and the journal say (``Message``), wherever it is shown."""
CLICK = Domain("click")
"""click's own words on the command line (``Usage:``, ``No such option``), read from the installed click."""
_DOMAINS = {domain.name: domain for domain in (TUI, REPORTS, CLI, MESSAGES, CLICK)}


def message_of(error: BaseException) -> str:
    """The message ``error`` was raised with: a Message keeps its words, to be said or put in a longer message."""
    return error.args[0] if len(error.args) == 1 and isinstance(error.args[0], str) else str(error)


def said(error: BaseException) -> str:
    """An error's message in the interface's language: a Message or a report's Phrase said, any other text as it is."""
    message = message_of(error)
    return MESSAGES.text(message) if isinstance(message, Message) else REPORTS.text(message)
