"""Names in transcripts: what looks like a name, the replacement by a key (forms kept), and reading a key."""

from __future__ import annotations

from pathlib import Path

import pytest

from mda_coder.core.errors import InputError
from mda_coder.ingest.name_key import read_key, read_names
from mda_coder.nlp.names import (
    ORGANISATION,
    OTHER,
    PERSON,
    PLACE,
    Replacer,
    capitalised,
    kind_of,
    looks_like_name,
    propose,
    role_label,
    sentence_starts,
)

KEY = [
    ("Anna", "Person 1"),
    ("Lars", "Person 2"),
    ("Anna-Lena Svensson", "Person 3"),
    ("Sjöstad", "Ort 1"),
    ("SVT", "Organisation 1"),
    ("Norrvik", "Ort 2"),
    ("Søren", "Person 4"),
]

REPLACED = [
    # (text, expected, replacements)
    ("Anna sa det.", "Person 1 sa det.", 1),
    ("Det var Annas idé.", "Det var Person 1s idé.", 1),
    ("Det var Anna's idé.", "Det var Person 1's idé.", 1),
    ("Det var Anna’s idé.", "Det var Person 1’s idé.", 1),
    ("Lars' bil", "Person 2' bil", 1),
    ("på SVT:s sajt", "på Organisation 1:s sajt", 1),
    ("ANNA ringde", "PERSON 1 ringde", 1),
    ("ANNAS mamma", "PERSON 1S mamma", 1),
    ("Anna-Lena Svensson och Anna", "Person 3 och Person 1", 2),  # the longest first
    ("Anna-Lena Svenssons mamma", "Person 3s mamma", 1),
    ("Hanna och Annalena och anna", "Hanna och Annalena och anna", 0),  # other words; lower case is not the name
    ("FG1_Norrvik", "FG1_Ort 2", 1),  # an underscore is an edge
    ("i Sjöstad, Norrvik.", "i Ort 1, Ort 2.", 2),
    ("Sjöstads kommun", "Ort 1s kommun", 1),
    ("Sørens cykel", "Person 4s cykel", 1),  # Danish genitive
    ("Anna2 och 3Anna", "Anna2 och 3Anna", 0),  # digits are part of a word
    ("«Anna»", "«Person 1»", 1),
    ("Anna 👍 Lars", "Person 1 👍 Person 2", 2),
    ("", "", 0),
]


@pytest.mark.parametrize(("text", "expected", "n"), REPLACED)
def test_replacement_keeps_forms_and_whole_words(text: str, expected: str, n: int) -> None:
    assert Replacer(KEY).sub(text) == (expected, n)


@pytest.mark.parametrize(("text", "expected", "n"), REPLACED)
def test_reverse_gives_the_text_back(text: str, expected: str, n: int) -> None:
    back = Replacer((p, o) for o, p in KEY)
    assert back.sub(expected) == (text, n)


def test_a_pseudonym_is_never_replaced_again() -> None:
    chain = Replacer([("Anna", "Berit"), ("Berit", "Cecilia")])
    assert chain("Anna och Berit") == "Berit och Cecilia"


def test_find_names_each_original_with_its_offset() -> None:
    assert Replacer(KEY).find("Hej Annas och SVT:s") == [("Anna", 4), ("SVT", 14)]


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("R1", True),
        ("I", True),
        ("IP2", True),
        ("Moderator", True),
        ("Deltagare 3", True),
        ("PARTICIPANT 2", True),
        ("Intervjuare", True),
        ("Lena Berglund", False),
        ("Anna", False),
        ("Søren", False),
        ("", True),
    ],
)
def test_role_labels_are_no_names(label: str, role: bool) -> None:
    assert role_label(label) is role


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Lena", PERSON),
        ("Anna-Lena", PERSON),
        ("Andersson", PERSON),
        ("Jensen", PERSON),
        ("Lindström", PERSON),
        ("Bergqvist", PERSON),
        ("Norrköping", PLACE),
        ("Kastrup", PLACE),
        ("Herløse", PLACE),
        ("Sjöstad", PLACE),
        ("Norrvik", PLACE),
        ("Frederikshavn", PLACE),
        ("Lund", PLACE),
        ("Berglund", PLACE),  # alone, a place …
        ("Lena Berglund", PERSON),  # … after a first name, a person
        ("SVT", ORGANISATION),
        ("Precis", None),
        ("Son", None),  # an ending alone is no name
    ],
)
def test_kind_of_a_name_by_its_form(name: str, kind: str | None) -> None:
    assert kind_of(name) == kind


TEXT = (
    "Jag pratade med Lena Berglund i går. Hon jobbar i Norrvik nu.\n"
    "R1: Precis, Lena har rätt. Men Försäkringskassan säger nej.\n"
    "Yusuf Demir: [skratt] Staplarna, ja. Det sa Person 2 också.\n"
    'Hon sa "Vilka jobb har du sökt" till Mikael och Sjöstad-folket.'
)


def test_capitalised_words_that_look_like_names() -> None:
    found = [(f.text, looks_like_name(f)) for f in capitalised(TEXT, sentence_starts(TEXT))]
    names = [(text, kind) for text, kind in found if kind is not None]
    assert names == [
        ("Lena Berglund", PERSON),
        ("Norrvik", PLACE),
        ("Lena", PERSON),
        ("Yusuf Demir", PERSON),  # a label at a line's start: a known first name and a surname
        ("Mikael", PERSON),
        ("Sjöstad-folket", OTHER),
    ]


def test_sentence_starts_come_from_stored_sentences_and_lines() -> None:
    assert sentence_starts("Hej du. Okej\n  Nej", [8]) == [0, 8, 15]


def test_proposed_pseudonyms_are_plain_and_numbered_per_kind() -> None:
    names = [("Lena", PERSON), ("Norrvik", PLACE), ("Person 2", PERSON), ("Yusuf", PERSON), ("SVT", ORGANISATION)]
    assert propose(names, "sv") == [
        ("Lena", "Person 1", PERSON),
        ("Norrvik", "Ort 1", PLACE),
        ("Person 2", "Person 3", PERSON),  # "Person 2" is someone's name: it is not given as a pseudonym
        ("Yusuf", "Person 4", PERSON),
        ("SVT", "Organisation 1", ORGANISATION),
    ]
    assert propose([("Herløse", PLACE)], "da") == [("Herløse", "By 1", PLACE)]
    assert propose([("Leeds", PLACE), ("Ann", OTHER)], "en") == [("Leeds", "Place 1", PLACE), ("Ann", "Name 1", OTHER)]


def test_a_part_of_a_full_name_takes_the_full_names_number() -> None:
    names = [("Lena Berglund", PERSON), ("Ulf Hedlund", PERSON), ("Lena", PERSON), ("Hedlund", PERSON), ("Ulf", PERSON)]
    assert propose(names, "sv") == [
        ("Lena Berglund", "Person 1", PERSON),
        ("Ulf Hedlund", "Person 2", PERSON),
        ("Lena", "Förnamn 1", PERSON),
        ("Hedlund", "Efternamn 2", PERSON),
        ("Ulf", "Förnamn 2", PERSON),
    ]
    # two people with one first name: the second full name keeps its own number, the first name the first's
    assert propose([("Anna Berg", PERSON), ("Anna Ek", PERSON), ("Anna", PERSON), ("Ek", PERSON)], "da") == [
        ("Anna Berg", "Person 1", PERSON),
        ("Anna Ek", "Person 2", PERSON),
        ("Anna", "Fornavn 1", PERSON),
        ("Ek", "Efternavn 2", PERSON),
    ]


def _key(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "nycklar.csv"
    path.write_text(body, encoding="utf-8")
    return path


def test_a_key_is_read_with_its_lines(tmp_path: Path) -> None:
    path = _key(tmp_path, "original,pseudonym,kind,where\nLena,Person 1,person,FG2 3\n\nNorrvik,Ort 1,place\n")
    rows = read_key(path)
    assert [(r.line, r.original, r.pseudonym, r.kind, r.where) for r in rows] == [
        (2, "Lena", "Person 1", "person", "FG2 3"),
        (4, "Norrvik", "Ort 1", "place", ""),
    ]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("namn,pseudonym\nLena,P1\n", "nycklar.csv:1: the first line must be the header original,pseudonym,kind,where"),
        (
            "original,pseudonym,kind\nLena,Person 1,person\nLena,Person 2,person\n",
            "nycklar.csv:3: 'Lena' is already on line 2",
        ),
        (
            "original,pseudonym,kind\nLena,Person 1,person\nYusuf,Person 1,person\n",
            "nycklar.csv:3: pseudonym 'Person 1' is already given on line 2",
        ),
        (
            "original,pseudonym,kind\nLena,Yusuf,person\nYusuf,Person 1,person\n",
            "nycklar.csv:2: pseudonym 'Yusuf' is also an original (line 3)",
        ),
        ("original,pseudonym,kind\nLena,,person\n", "nycklar.csv:2: an empty original or pseudonym"),
        ("original,pseudonym,kind\nLena,Person 1,human\n", "nycklar.csv:2: unknown kind 'human'"),
        ("original,pseudonym,kind\nLena\n", "nycklar.csv:2: a row needs original, pseudonym and kind"),
        (
            'original,pseudonym,kind\n"Lena,Person 1,person\n',
            "nycklar.csv:2: a quote opened in this row is never closed",
        ),
        ("", "nycklar.csv: is empty"),
    ],
)
def test_a_bad_key_is_refused_naming_the_row(tmp_path: Path, body: str, error: str) -> None:
    with pytest.raises(InputError) as caught:
        read_key(_key(tmp_path, body))
    assert error in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_users_list_of_names(tmp_path: Path) -> None:
    path = tmp_path / "namn.txt"
    path.write_text("# personal\nBerit\n\nKarl-Erik Ögren\nBerit\n", encoding="utf-8")
    assert read_names(path) == ("Berit", "Karl-Erik Ögren")
