"""Keep the interface's translations in step with the code: extract, merge into each .po, compile each .mo.

    .venv/bin/python tools/catalogues.py           # after changing a message: update the .po files, compile the .mo files
    .venv/bin/python tools/catalogues.py --check   # what tests/test_i18n.py checks: exit 1 and say what is missing or stale

Babel (a development dependency) reads the messages out of the code; the program itself only reads
the compiled ``.mo`` files with the standard library's ``gettext``. The ``.mo`` files are committed,
so that ``pip install -e .`` on a fresh clone has them without a build step; the check fails when
one is older than its ``.po``. A new message gets an empty translation in every ``.po``: write it
there (Poedit or any editor), then run this again to compile.
"""

from __future__ import annotations

import argparse
import sys
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "mda_coder" / "locale"
KEYWORDS = {**DEFAULT_KEYWORDS, "Phrase": None, "Word": None}
"""``_``, ``N_``, ``ngettext``, ``pgettext`` … and ``Phrase("…", **values)`` (``Word`` in the command line), whose first argument is the English template."""
MESSAGE_KEYWORDS = {"Message": None}
"""Only ``Message("…", **values)``: the same files hold the reports' Phrases, which their own catalogue reads."""
HEADLESS = ("core", "ingest", "nlp", "store", "analysis", "export", "services")
DOMAINS: dict[str, tuple[str, ...]] = {
    "tui": ("mda_coder/tui/**/*.py",),
    "reports": ("mda_coder/export/**/*.py", "mda_coder/services/**/*.py", "mda_coder/analysis/**/*.py"),
    "cli": ("mda_coder/cli/**/*.py",),
    "messages": tuple(f"mda_coder/{part}/**/*.py" for part in HEADLESS),
}
"""Each catalogue and the code it is read from; the ``cli`` domain also holds every command's and option's help."""
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui", "utils")
"""The modules of the installed click whose words a user can meet: usage errors, ``Usage:``, ``Options``."""
LANGUAGES: dict[str, tuple[str, ...]] = {
    "tui": ("sv", "da"),
    "reports": ("sv",),
    "cli": ("sv",),
    "messages": ("sv",),
    "click": ("sv",),
}
DRIFTING = ("click",)
"""Catalogues read from another project's code: a message a newer click adds is said in English until
it is translated, and one it drops may stay; neither fails the check (a fresh install may bring either)."""
COMPLETE = "sv"
"""The language in which every message must be translated; Danish translates the welcome and the help."""


def files(domain: str) -> list[Path]:
    if domain == "click":
        import click

        return [Path(click.__file__).with_name(f"{name}.py") for name in CLICK_MODULES]
    return sorted({path for pattern in DOMAINS[domain] for path in ROOT.glob(pattern)})


def template(domain: str) -> Catalog:
    """Every message the domain's code marks, with where it is and any ``# Translators:`` comment."""
    catalog = Catalog(domain=domain, project="mda-coder", charset="utf-8")
    keywords = MESSAGE_KEYWORDS if domain == "messages" else KEYWORDS
    for path in files(domain):
        where = str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else f"click/{path.name}"
        for line, message, comments, context in extract_from_file(
            "python", path, keywords=keywords, comment_tags=("Translators:",), strip_comment_tags=True
        ):
            catalog.add(message, None, [(where, line)], auto_comments=comments, context=context)
    if domain == "cli":
        for message, (where, line) in help_texts():
            if message not in catalog:
                catalog.add(message, None, [(where, line)], auto_comments=["click help"])
    return catalog


def help_texts() -> list[tuple[str, tuple[str, int]]]:
    """Every command's and option's help as click holds it, the English msgid ``mda_coder.cli.app`` translates.

    Babel reads calls, not ``help=`` arguments or docstrings; the commands themselves are read instead.
    """
    import inspect

    import click

    from mda_coder.cli import cli, load_all
    from mda_coder.cli.app import help_message

    load_all()
    found: list[tuple[str, tuple[str, int]]] = []

    def where(command: click.Command) -> tuple[str, int]:
        function = inspect.unwrap(command.callback) if command.callback else None
        if function is None:
            return "mda_coder/cli/app.py", 0
        path = Path(inspect.getsourcefile(function) or "").resolve()
        return str(path.relative_to(ROOT)), function.__code__.co_firstlineno

    def walk(command: click.Command, ctx: click.Context) -> None:
        place = where(command)
        for text in (command.help, command.short_help):
            if text:
                found.append((help_message(text), place))
        for param in command.get_params(ctx):
            if isinstance(param, click.Option) and param.help and not param.hidden:
                found.append((param.help, place))
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None and not sub.hidden:
                    walk(sub, click.Context(sub, parent=ctx, info_name=name))

    walk(cli, click.Context(cli, info_name="mda-coder"))
    return found


def po_path(domain: str, lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"


def read(path: Path, lang: str, domain: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=lang, domain=domain, project="mda-coder", charset="utf-8")
    with path.open("rb") as stream:
        return read_po(stream, locale=lang, domain=domain)


def mo_bytes(catalog: Catalog) -> bytes:
    out = BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def translations(catalog: Catalog) -> dict[tuple[str | None, object], object]:
    """What a compiled catalogue holds: each translated, non-fuzzy message (the header left out)."""

    def key(value: object) -> object:
        return tuple(value) if isinstance(value, (list, tuple)) else value

    return {
        (m.context, key(m.id)): key(m.string)
        for m in catalog
        if m.id and not m.fuzzy and all(m.string if isinstance(m.string, (list, tuple)) else (m.string,))
    }


def compiled(mo: Path, lang: str, domain: str) -> dict[tuple[str | None, object], object] | None:
    if not mo.exists():
        return None
    with mo.open("rb") as stream:
        return translations(read_mo(stream))


def update() -> None:
    for domain, languages in LANGUAGES.items():
        pot = template(domain)
        for lang in languages:
            path = po_path(domain, lang)
            catalog = read(path, lang, domain)
            if path.exists():  # the header's date changes only when the messages do
                pot.creation_date = catalog.creation_date
            catalog.update(pot, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            catalog.fuzzy = False
            catalog.version = "0.1.0"
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as stream:
                write_po(stream, catalog, width=100, omit_header=False, sort_output=False, include_previous=False)
            with path.with_suffix(".mo").open("wb") as stream:
                stream.write(mo_bytes(read(path, lang, domain)))
            messages = [m for m in catalog if m.id]
            missing = len(messages) - len(translations(catalog))
            print(f"{path.relative_to(ROOT)}: {len(messages)} messages, {missing} without a translation")


def problems() -> list[str]:
    """What is missing or stale: an untranslated Swedish message, one the .po lacks or no longer needs, a stale .mo."""
    found: list[str] = []
    for domain, languages in LANGUAGES.items():
        wanted = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in template(domain) if m.id}
        for lang in languages:
            path = po_path(domain, lang)
            catalog = read(path, lang, domain)
            have = {(m.context, m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog if m.id}
            drifting = domain in DRIFTING
            for key in sorted(wanted - have.keys(), key=str):
                found += [] if drifting else [f"{path.relative_to(ROOT)}: no entry for {key[1]!r}"]
            for key in sorted(have.keys() - wanted, key=str):
                found += [] if drifting else [f"{path.relative_to(ROOT)}: {key[1]!r} is no longer in the code"]
            if lang == COMPLETE:
                for key, message in have.items():
                    strings = message.string if isinstance(message.string, tuple) else (message.string,)
                    if (key in wanted or drifting) and (message.fuzzy or not all(strings)):
                        state = "fuzzy" if message.fuzzy else "untranslated"
                        found.append(f"{path.relative_to(ROOT)}: {key[1]!r} is {state}")
            mo = path.with_suffix(".mo")
            # The messages, not the bytes: the header a .mo carries names the Babel version that wrote it.
            if compiled(mo, lang, domain) != translations(read_mo(BytesIO(mo_bytes(catalog)))):
                found.append(f"{mo.relative_to(ROOT)}: not compiled from its .po (run tools/catalogues.py)")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 and list what is missing or stale")
    args = parser.parse_args(argv)
    if args.check:
        found = problems()
        print("\n".join(found) or "every catalogue is complete and compiled")
        return 1 if found else 0
    update()
    return 0


if __name__ == "__main__":
    sys.exit(main())
