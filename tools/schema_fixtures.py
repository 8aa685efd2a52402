"""Build the stored fixture projects, one per released schema version: ``tests/fixtures/schemas/vN.mda``.

A project made by an older mda-coder must open in this one with nothing lost. The tests open
each stored file the normal way (which migrates it) and check that its documents, codings on the
same words, coders and memos came through, and that ``doctor`` finds it sound. The files are
committed: regenerating them after a migration changes would hide the very mistake they guard
against, so only run this to add the fixture of a new schema version.

Each fixture starts as version 1 made it: the tables exactly as the first release created them
(``V1_SCHEMA``, read from that release's database, because migration 1 builds today's models),
filled by raw SQL in the shapes that release wrote (its journal data too: a coding without
its creation time, which schema 2's release began to keep). Versions 2 to N are
then applied by the migrations as they ship, each in its own transaction, as opening the project
in each release in turn would have done, and each adds the data only it can hold (an undone
step, a consensus decision, an importer's doubts, where a coder left off).

    .venv/bin/python tools/schema_fixtures.py                  # every version, into tests/fixtures/schemas
    .venv/bin/python tools/schema_fixtures.py --out DIR --version 3
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sqlite3
import sys
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, event, text  # noqa: E402

from mda_coder.store.migrations import MIGRATIONS  # noqa: E402
from mda_coder.store.models import IDENTIFIED  # noqa: E402

V6_MEMO_UUID = "3f1c2b9e-7a44-4d51-9c1e-5b0d8e6a2f17"
"""The GUID erik's memo of schema 6's fixture brought from the project it came from; the tests look for it."""
OUT = ROOT / "tests" / "fixtures" / "schemas"

V1_SCHEMA = """
CREATE TABLE schema_migrations (
	version INTEGER NOT NULL, 
	description VARCHAR(200) NOT NULL, 
	applied_at DATETIME NOT NULL, 
	CONSTRAINT pk_schema_migrations PRIMARY KEY (version)
);
CREATE TABLE settings (
	"key" VARCHAR(100) NOT NULL, 
	value TEXT NOT NULL, 
	CONSTRAINT pk_settings PRIMARY KEY ("key")
);
CREATE TABLE documents (
	id INTEGER NOT NULL, 
	name VARCHAR(300) NOT NULL, 
	text TEXT NOT NULL, 
	content_hash VARCHAR(64) NOT NULL, 
	source_file VARCHAR(1000) NOT NULL, 
	format VARCHAR(20) NOT NULL, 
	layout VARCHAR(50) NOT NULL, 
	encoding VARCHAR(30) NOT NULL, 
	group_name VARCHAR(200), 
	attributes JSON NOT NULL, 
	imported_at DATETIME NOT NULL, 
	CONSTRAINT pk_documents PRIMARY KEY (id), 
	CONSTRAINT uq_documents_name UNIQUE (name), 
	CONSTRAINT uq_documents_content_hash UNIQUE (content_hash)
);
CREATE INDEX ix_documents_group_name ON documents (group_name);
CREATE TABLE persons (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	role VARCHAR(200), 
	attributes JSON NOT NULL, 
	CONSTRAINT pk_persons PRIMARY KEY (id), 
	CONSTRAINT uq_persons_name UNIQUE (name)
);
CREATE TABLE exclusive_groups (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	description TEXT NOT NULL, 
	CONSTRAINT pk_exclusive_groups PRIMARY KEY (id), 
	CONSTRAINT uq_exclusive_groups_name UNIQUE (name)
);
CREATE TABLE coders (
	id INTEGER NOT NULL, 
	name VARCHAR(100) NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_coders PRIMARY KEY (id), 
	CONSTRAINT uq_coders_name UNIQUE (name)
);
CREATE TABLE events (
	id INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	actor VARCHAR(100) NOT NULL, 
	action VARCHAR(50) NOT NULL, 
	entity VARCHAR(30) NOT NULL, 
	entity_id INTEGER, 
	data JSON NOT NULL, 
	CONSTRAINT pk_events PRIMARY KEY (id)
);
CREATE INDEX ix_events_action ON events (action);
CREATE TABLE speakers (
	id INTEGER NOT NULL, 
	document_id INTEGER NOT NULL, 
	label VARCHAR(200) NOT NULL, 
	display_name VARCHAR(200), 
	role VARCHAR(200), 
	attributes JSON NOT NULL, 
	person_id INTEGER, 
	CONSTRAINT pk_speakers PRIMARY KEY (id), 
	CONSTRAINT uq_speakers_document_id_label UNIQUE (document_id, label), 
	CONSTRAINT fk_speakers_document_id_documents FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE, 
	CONSTRAINT fk_speakers_person_id_persons FOREIGN KEY(person_id) REFERENCES persons (id) ON DELETE SET NULL
);
CREATE INDEX ix_speakers_person_id ON speakers (person_id);
CREATE TABLE codes (
	id INTEGER NOT NULL, 
	parent_id INTEGER, 
	name VARCHAR(200) NOT NULL, 
	position INTEGER NOT NULL, 
	color VARCHAR(7), 
	shortcut VARCHAR(1), 
	definition JSON NOT NULL, 
	use_when JSON NOT NULL, 
	dont_use_when JSON NOT NULL, 
	example JSON NOT NULL, 
	exclusive_group_id INTEGER, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_codes PRIMARY KEY (id), 
	CONSTRAINT uq_codes_parent_id_name UNIQUE (parent_id, name), 
	CONSTRAINT ck_codes_name_nonempty CHECK (name <> ''), 
	CONSTRAINT fk_codes_parent_id_codes FOREIGN KEY(parent_id) REFERENCES codes (id) ON DELETE RESTRICT, 
	CONSTRAINT fk_codes_exclusive_group_id_exclusive_groups FOREIGN KEY(exclusive_group_id) REFERENCES exclusive_groups (id) ON DELETE SET NULL
);
CREATE INDEX ix_codes_parent_id ON codes (parent_id);
CREATE UNIQUE INDEX uq_codes_root_name ON codes (name) WHERE parent_id IS NULL;
CREATE INDEX ix_codes_exclusive_group_id ON codes (exclusive_group_id);
CREATE TABLE memos (
	id INTEGER NOT NULL, 
	target_kind VARCHAR(20) NOT NULL, 
	target_id INTEGER, 
	coder_id INTEGER, 
	title VARCHAR(300) NOT NULL, 
	text TEXT NOT NULL, 
	created_at DATETIME NOT NULL, 
	modified_at DATETIME NOT NULL, 
	CONSTRAINT pk_memos PRIMARY KEY (id), 
	CONSTRAINT ck_memos_target_kind CHECK (target_kind IN ('project', 'document', 'turn', 'code')), 
	CONSTRAINT fk_memos_coder_id_coders FOREIGN KEY(coder_id) REFERENCES coders (id) ON DELETE SET NULL
);
CREATE INDEX ix_memos_target ON memos (target_kind, target_id);
CREATE TABLE turns (
	id INTEGER NOT NULL, 
	document_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	speaker_id INTEGER, 
	start_offset INTEGER NOT NULL, 
	end_offset INTEGER NOT NULL, 
	time_start FLOAT, 
	time_end FLOAT, 
	CONSTRAINT pk_turns PRIMARY KEY (id), 
	CONSTRAINT uq_turns_document_id_position UNIQUE (document_id, position), 
	CONSTRAINT ck_turns_span CHECK (start_offset < end_offset), 
	CONSTRAINT ck_turns_start_nonneg CHECK (start_offset >= 0), 
	CONSTRAINT fk_turns_document_id_documents FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE, 
	CONSTRAINT fk_turns_speaker_id_speakers FOREIGN KEY(speaker_id) REFERENCES speakers (id) ON DELETE SET NULL
);
CREATE INDEX ix_turns_speaker_id ON turns (speaker_id);
CREATE TABLE codings (
	id INTEGER NOT NULL, 
	coder_id INTEGER NOT NULL, 
	code_id INTEGER NOT NULL, 
	document_id INTEGER NOT NULL, 
	start_offset INTEGER NOT NULL, 
	end_offset INTEGER NOT NULL, 
	memo TEXT, 
	created_at DATETIME NOT NULL, 
	modified_at DATETIME NOT NULL, 
	CONSTRAINT pk_codings PRIMARY KEY (id), 
	CONSTRAINT uq_codings_one_per_span UNIQUE (coder_id, code_id, document_id, start_offset, end_offset), 
	CONSTRAINT ck_codings_span CHECK (start_offset < end_offset), 
	CONSTRAINT ck_codings_start_nonneg CHECK (start_offset >= 0), 
	CONSTRAINT fk_codings_coder_id_coders FOREIGN KEY(coder_id) REFERENCES coders (id) ON DELETE RESTRICT, 
	CONSTRAINT fk_codings_code_id_codes FOREIGN KEY(code_id) REFERENCES codes (id) ON DELETE RESTRICT, 
	CONSTRAINT fk_codings_document_id_documents FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE
);
CREATE INDEX ix_codings_coder_id ON codings (coder_id);
CREATE INDEX ix_codings_document_span ON codings (document_id, start_offset, end_offset);
CREATE INDEX ix_codings_code_document ON codings (code_id, document_id);
CREATE TABLE sentences (
	id INTEGER NOT NULL, 
	document_id INTEGER NOT NULL, 
	turn_id INTEGER NOT NULL, 
	position INTEGER NOT NULL, 
	start_offset INTEGER NOT NULL, 
	end_offset INTEGER NOT NULL, 
	CONSTRAINT pk_sentences PRIMARY KEY (id), 
	CONSTRAINT uq_sentences_document_id_position UNIQUE (document_id, position), 
	CONSTRAINT ck_sentences_span CHECK (start_offset < end_offset), 
	CONSTRAINT ck_sentences_start_nonneg CHECK (start_offset >= 0), 
	CONSTRAINT fk_sentences_document_id_documents FOREIGN KEY(document_id) REFERENCES documents (id) ON DELETE CASCADE, 
	CONSTRAINT fk_sentences_turn_id_turns FOREIGN KEY(turn_id) REFERENCES turns (id) ON DELETE CASCADE
);
CREATE INDEX ix_sentences_turn_id ON sentences (turn_id);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'the event journal is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'the event journal is append-only'); END;
"""
"""The database the first release (schema 1) created, as its ``sqlite_master`` held it."""

DOCUMENTS: dict[str, list[tuple[str, str]]] = {
    "FG1_Norrvik": [
        ("I", "Välkomna. Vad betyder tilltro för er?"),
        ("Åsa", "Att jag tror på deltagaren. Även när det går trögt."),
        ("Örjan", "Mm. Och att vi fokuserar på jobb, hela tiden."),
        ("I", "Hur märks det i vardagen?"),
        ("Åsa", "Vi pratar om arbete i varje möte."),
    ],
    "Intervju_Älvdala": [
        ("I", "Berätta om ert samarbete med arbetsförmedlingen."),
        ("Änglund", "Det är trögt ibland. Vi väntar på besked i veckor."),
        ("I", "Och tilltron till deltagarna?"),
        ("Änglund", "Den är stark. Jag ser att de växer."),
    ],
}
"""Two transcripts, ``LABEL: words`` a line; a turn is the words, a sentence ends at ``. ? !``."""

CODES = [  # (id, parent, name, position, key, exclusive group)
    (1, None, "tilltro", 0, "1", None),
    (2, 1, "uttryckt", 0, None, None),
    (3, 1, "tvivel", 1, None, None),
    (4, None, "jobbfokus", 1, "2", None),
    (5, None, "hållning", 2, None, None),
    (6, 5, "positiv", 0, None, 1),
    (7, 5, "negativ", 1, None, 1),
]
CODINGS = [  # (coder, code id, document, the coded words, memo): both coders on the same words, twice
    ("anna", 1, "FG1_Norrvik", "Att jag tror på deltagaren.", None),
    ("erik", 1, "FG1_Norrvik", "Att jag tror på deltagaren.", "Tydlig tilltro – även när det är trögt."),
    ("anna", 4, "FG1_Norrvik", "Mm. Och att vi fokuserar på jobb, hela tiden.", None),
    ("erik", 4, "FG1_Norrvik", "vi fokuserar på jobb", None),
    ("anna", 3, "Intervju_Älvdala", "Det är trögt ibland.", "Tvivel på samverkan, återkommer i Älvdala."),
    ("anna", 6, "Intervju_Älvdala", "Den är stark.", None),
    ("erik", 6, "Intervju_Älvdala", "Den är stark.", None),
]
MEMOS = [  # (kind, target: None / document / (document, turn) / code id, coder, title, text)
    ("project", None, None, "Om studien", "Fokusgrupper med handläggare; kodas av två kodare."),
    ("document", "Intervju_Älvdala", "anna", "", "Intervjun i Älvdala spelades in på distans."),
    ("turn", ("FG1_Norrvik", 2), "erik", "", "Åsa säger det två gånger."),
    ("code", 1, "anna", "", "Tilltro: både uttryckt och ifrågasatt."),
]


def _time(minute: int) -> str:
    """A fixed time (as SQLAlchemy writes a DateTime in SQLite), so every run writes the same rows."""
    return f"2026-11-23 09:{minute:02d}:00.000000"


def _iso(minute: int) -> str:
    return f"2026-11-23T09:{minute:02d}:00+00:00"


def _layout(turns: list[tuple[str, str]]) -> tuple[str, list[tuple[str, int, int]], list[list[tuple[int, int]]]]:
    """The text, each turn's (label, start, end), and each turn's sentences as absolute spans."""
    text, spans, sentences = "", [], []
    for label, said in turns:
        start = len(text) + len(label) + 2
        text += f"{label}: {said}\n"
        spans.append((label, start, start + len(said)))
        sentences.append([(start + m.start(), start + m.end()) for m in re.finditer(r"[^ .?!][^.?!]*[.?!]", said)])
    return text, spans, sentences


def _json(value: Any) -> str:
    return json.dumps(value)  # as SQLAlchemy's JSON type writes it


class Fixture:
    """The rows of one fixture project, written with the connection's own SQL."""

    def __init__(self, con: sqlite3.Connection) -> None:
        self.con = con
        self.minute = 0
        self.person: int | None = None
        self.doc_ids: dict[str, int] = {}
        self.texts: dict[str, str] = {}
        self.turn_ids: dict[tuple[str, int], int] = {}
        self.turn_spans: dict[tuple[str, int], tuple[int, int]] = {}
        self.coder_ids: dict[str, int] = {}
        self.coding_ids: list[int] = []
        self.version = 1
        """The release writing now: the journal's data took a new shape or two along the way."""

    def tick(self) -> int:
        self.minute += 1
        return self.minute

    def insert(self, table: str, **row: Any) -> int:
        if self.version >= 6 and table in IDENTIFIED and "uuid" not in row:  # schema 6's release gives each its uuid
            row["uuid"] = str(uuid.uuid4())
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        return int(self.con.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", tuple(row.values())).lastrowid)

    def journal(self, actor: str, action: str, entity: str, entity_id: int | None, data: dict[str, Any]) -> int:
        return self.insert(
            "events",
            at=_time(self.tick()),
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            data=_json(data),
        )

    def coder(self, name: str) -> int:
        if name not in self.coder_ids:
            self.coder_ids[name] = self.insert("coders", name=name, created_at=_time(self.tick()))
        return self.coder_ids[name]

    def span(self, document: str, words: str) -> tuple[int, int]:
        start = self.texts[document].index(words)
        return start, start + len(words)

    def coding(self, coder: str, code: int, document: str, words: str, memo: str | None) -> int:
        start, end = self.span(document, words)
        minute = self.tick()
        data: dict[str, Any] = {
            "coder_id": self.coder(coder),
            "code_id": code,
            "document_id": self.doc_ids[document],
            "start": start,
            "end": end,
            "memo": memo,
        }
        if self.version >= 2:  # schema 2's release began to keep the creation time, for undo to restore it
            data["created"] = _iso(minute)
        ident = self.insert(
            "codings",
            coder_id=data["coder_id"],
            code_id=code,
            document_id=data["document_id"],
            start_offset=start,
            end_offset=end,
            memo=memo,
            created_at=_time(minute),
            modified_at=_time(minute),
        )
        self.journal(coder, "coding.apply", "coding", ident, data)
        return ident

    def document(self, name: str, turns: list[tuple[str, str]], group: str, **columns: Any) -> None:
        """One transcript with its speakers, turns and sentences, as an import stores it (``columns``: later ones)."""
        text, spans, sentences = _layout(turns)
        doc = self.insert(
            "documents",
            name=name,
            text=text,
            content_hash=hashlib.sha256(text.encode()).hexdigest(),
            source_file=f"{name}.txt",
            format="txt",
            layout="label-colon",
            encoding="utf-8",
            group_name=group,
            attributes=_json({}),
            imported_at=_time(self.tick()),
            **columns,
        )
        self.doc_ids[name], self.texts[name] = doc, text
        speakers = {}
        for label in dict.fromkeys(label for label, _ in turns):
            speakers[label] = self.insert(
                "speakers",
                document_id=doc,
                label=label,
                display_name=None,
                role="moderator" if label == "I" else "deltagare",
                attributes=_json({}),
                person_id=self.person if label == "Åsa" else None,
            )
        number = 0
        for position, ((label, start, end), spans_in) in enumerate(zip(spans, sentences, strict=True), start=1):
            turn = self.insert(
                "turns",
                document_id=doc,
                position=position,
                speaker_id=speakers[label],
                start_offset=start,
                end_offset=end,
                time_start=None,
                time_end=None,
            )
            self.turn_ids[(name, position)] = turn
            self.turn_spans[(name, position)] = (start, end)
            for s_start, s_end in spans_in:
                number += 1
                self.insert(
                    "sentences", document_id=doc, turn_id=turn, position=number, start_offset=s_start, end_offset=s_end
                )
        self.journal(
            "forskare",
            "document.import",
            "document",
            doc,
            {"name": name, "source": f"{name}.txt", "hash": hashlib.sha256(text.encode()).hexdigest(), "group": group},
        )

    def version_1(self) -> None:
        """What schema 1 held: settings, a codebook, two documents, two coders' codings, memos, the journal."""
        self.insert("settings", key="language", value="sv")
        self.insert("settings", key="name", value="studie")
        self.journal("forskare", "project.create", "project", None, {"language": "sv"})
        self.insert("exclusive_groups", id=1, name="hållning", description="En hållning per tur.")
        for ident, parent, name, position, key, group in CODES:
            self.insert(
                "codes",
                id=ident,
                parent_id=parent,
                name=name,
                position=position,
                color=None,
                shortcut=key,
                definition=_json({"sv": f"Koden {name}."}),
                use_when=_json({}),
                dont_use_when=_json({}),
                example=_json({}),
                exclusive_group_id=group,
                created_at=_time(self.tick()),
            )
        self.journal(
            "forskare",
            "codebook.import",
            "codebook",
            None,
            {"name": "Mini", "source": "mini.yaml", "created": [name for _, _, name, *_ in CODES]},
        )
        self.person = self.insert("persons", name="Åsa Öberg", role="handläggare", attributes=_json({}))
        for name, turns in DOCUMENTS.items():
            self.document(name, turns, "Norrvik" if name.startswith("FG1") else "Älvdala")
        for coder, code, document, words, memo in CODINGS:
            self.coding_ids.append(self.coding(coder, code, document, words, memo))
        for kind, target, coder, title, said in MEMOS:
            target_id = (
                self.doc_ids[target] if kind == "document" else self.turn_ids[target] if kind == "turn" else target
            )
            minute = self.tick()
            memo = self.insert(
                "memos",
                target_kind=kind,
                target_id=target_id,
                coder_id=self.coder(coder) if coder else None,
                title=title,
                text=said,
                created_at=_time(minute),
                modified_at=_time(minute),
            )
            self.journal(
                coder or "forskare", "memo.add", "memo", memo, {"kind": kind, "target_id": target_id, "text": said}
            )

    def version_2(self) -> None:
        """Undo arrived: erik applies a code and takes it back (the journal keeps both, the coding is gone)."""
        start, end = self.turn_spans[("FG1_Norrvik", 5)]
        applied = self.coding("erik", 2, "FG1_Norrvik", self.texts["FG1_Norrvik"][start:end], None)
        event, data = self.con.execute("SELECT id, data FROM events WHERE id = (SELECT max(id) FROM events)").fetchone()
        below = self.con.execute(
            "SELECT max(id) FROM events WHERE actor = 'erik' AND action = 'coding.apply' AND id < ?", (event,)
        ).fetchone()[0]
        modified = self.con.execute("SELECT modified_at FROM codings WHERE id = ?", (applied,)).fetchone()[0]
        self.con.execute("DELETE FROM codings WHERE id = ?", (applied,))
        # As undo writes it: the coding as it was (to redo it), and the stack tops it leaves (-1: this entry).
        self.journal(
            "erik",
            "history.undo",
            "event",
            event,
            {
                "event": event,
                "action": "coding.apply",
                "data": {**json.loads(data), "id": applied, "modified": modified.replace(" ", "T")[:19]},
                "state": {"undo": [below, None], "redo": [event, -1]},
            },
        )

    def version_3(self) -> None:
        """Consensus: a consensus coding of tilltro on the words both coders coded, and the decision that made it."""
        start, end = self.span("FG1_Norrvik", "Att jag tror på deltagaren.")
        minute = self.tick()
        made = self.insert(
            "codings",
            coder_id=self.coder("consensus"),
            code_id=1,
            document_id=self.doc_ids["FG1_Norrvik"],
            start_offset=start,
            end_offset=end,
            memo=None,
            created_at=_time(minute),
            modified_at=_time(minute),
        )
        turn_start, turn_end = self.turn_spans[("FG1_Norrvik", 2)]
        sources = [
            {"coder": coder, "coding_id": ident, "start": start, "end": end}
            for coder, ident in (("anna", self.coding_ids[0]), ("erik", self.coding_ids[1]))
        ]
        self.insert(
            "consensus_decisions",
            code_id=1,
            document_id=self.doc_ids["FG1_Norrvik"],
            unit="turn",
            position=2,
            start_offset=turn_start,
            end_offset=turn_end,
            decision="agreed",
            coders=_json({"compared": ["anna", "erik"], "taken": ["anna", "erik"]}),
            codings=_json({"made": [{"start": start, "end": end, "sources": sources, "coding_id": made}]}),
            reviewer="anna",
            created_at=_time(minute),
        )

    def version_4(self) -> None:
        """Importers' doubts: a third transcript whose layout was a guess at one line (the two before keep none)."""
        doubts = [{"kind": "label", "line": 2, "text": "Öje: Vi har inte hunnit börja.", "reading": "speaker Öje"}]
        self.document(
            "FG3_Öje",
            [("I", "Hur har det gått?"), ("Öje", "Vi har inte hunnit börja. Men snart.")],
            "Öje",
            guessed=1,
            doubts=_json(doubts),
        )

    def version_5(self) -> None:
        """The workspace remembers that anna left off at turn 3 of FG1."""
        self.insert("coder_places", coder="anna", document="FG1_Norrvik", turn=3, saved_at=_time(self.tick()))

    def version_6(self) -> None:
        """Stable identity: erik's memo on jobbfokus came from a REFI-QDA project and kept that project's GUID."""
        minute = self.tick()
        said = "Jobbfokus: ofta i samma tur som tilltro."
        memo = self.insert(
            "memos",
            uuid=V6_MEMO_UUID,
            target_kind="code",
            target_id=4,
            coder_id=self.coder("erik"),
            title="",
            text=said,
            created_at=_time(minute),
            modified_at=_time(minute),
        )
        self.journal("erik", "memo.add", "memo", memo, {"kind": "code", "target_id": 4, "text": said})

    def version_7(self) -> None:
        """Merge provenance: anna's coding of tvivel came in from her copy, merged by the lead."""
        minute = self.tick()
        merge = self.insert(
            "merges",
            uuid=str(uuid.uuid4()),
            copy_uuid=str(uuid.uuid4()),
            copy_path="anna.mda",
            copy_coder="anna",
            copy_made_at=_iso(minute - 1),
            merged_at=_time(minute),
            merged_by="lead",
            counts=json.dumps({"documents": 0, "codes": 0, "codings": 1, "removed": 0, "memos": 0, "conflicts": 0}),
        )
        start, end = self.span("Intervju_Älvdala", "Det är trögt ibland.")
        self.con.execute(
            "UPDATE codings SET merge_id = ? WHERE coder_id = ? AND start_offset = ? AND end_offset = ?",
            (merge, self.coder("anna"), start, end),
        )

    def version_8(self) -> None:
        """The change feed is the server's alone: a project file gains nothing but the version."""

    def version_9(self) -> None:
        """Proposed codings: a model proposes tilltro for anna on two turns of Älvdala; one is open, one she rejected."""
        model = {
            "kind": "logistic regression",
            "trained_on": "anna",
            "positives": 5,
            "negatives": 12,
            "rejected": 0,
            "at": _iso(self.tick()),
            "features": "words, word pairs, lemmas, 4-letter pieces",
            "unit": "turn",
        }
        for position, score, status in ((3, 0.81, "open"), (4, 0.55, "rejected")):
            start, end = self.turn_spans[("Intervju_Älvdala", position)]
            minute = self.tick()
            self.insert(
                "suggestions",
                code_id=1,
                coder_id=self.coder("anna"),
                document_id=self.doc_ids["Intervju_Älvdala"],
                unit="turn",
                position=position,
                start_offset=start,
                end_offset=end,
                score=score,
                reasons=_json({"words": [{"word": "tilltron", "lemma": "tilltro", "weight": 0.4}]}),
                source="model",
                model=_json(model),
                status=status,
                created_at=_time(minute),
                decided_at=_time(minute + 1) if status != "open" else None,
                decided_by="anna" if status != "open" else None,
                coding_id=None,
            )

    def version_10(self) -> None:
        """The search index: the migration builds it from the documents; a word the fixture's turns hold is found."""
        found = self.con.execute("SELECT count(*) FROM search_index WHERE search_index MATCH 'trögt'").fetchone()[0]
        assert found, "the migration indexed every turn"

    def version_11(self) -> None:
        """Flags of corrected text: a coding of anna's whose words a correction took away, kept for review."""
        start, end = self.turn_spans[("Intervju_Älvdala", 2)]
        minute = self.tick()
        self.insert(
            "anchor_flags",
            document_id=self.doc_ids["Intervju_Älvdala"],
            event_id=None,
            kind="coding",
            coding_id=None,
            coder_id=self.coder("anna"),
            code_id=1,
            status="gone",
            kept=0.0,
            old_start=start,
            old_end=end,
            old_text="det gick trögt i början",
            new_start=None,
            new_end=None,
            new_text=None,
            memo="a memo kept with the flag",
            created_at=_time(minute),
            resolved_by=None,
            resolved_at=None,
        )


def _seeded_uuids(seed: int) -> None:
    """Make ``uuid.uuid4`` (the migrations' and the fixture's) draw from a seeded generator: the same file every run."""
    draw = random.Random(seed)
    uuid.uuid4 = lambda: uuid.UUID(int=draw.getrandbits(128), version=4)


def build(path: Path, version: int) -> None:
    """A project at schema ``version``: made by schema 1, then brought up one release at a time."""
    _seeded_uuids(version)
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA page_size=1024")  # a small file in the repository: the project is a few rows
    con.execute("PRAGMA foreign_keys=ON")
    con.executescript(V1_SCHEMA)
    fixture = Fixture(con)
    with con:
        con.execute("BEGIN")
        con.execute("INSERT INTO schema_migrations VALUES (1, ?, ?)", (MIGRATIONS[0].description, _time(0)))
        fixture.version_1()
    for migration in MIGRATIONS[1:version]:
        con.close()  # each migration on its own connection, as the release that brought it ran it
        engine = create_engine(f"sqlite:///{path}")
        event.listen(engine, "connect", lambda c, _r: c.execute("PRAGMA foreign_keys=ON"))
        with engine.begin() as conn:
            migration.apply(conn)
            conn.execute(
                text("INSERT INTO schema_migrations VALUES (:v, :d, :t)"),
                {"v": migration.version, "d": migration.description, "t": _time(migration.version)},
            )
        engine.dispose()
        con = sqlite3.connect(path, isolation_level=None)
        con.execute("PRAGMA foreign_keys=ON")
        fixture.con, fixture.version = con, migration.version
        with con:
            con.execute("BEGIN")
            getattr(fixture, f"version_{migration.version}")()
    con.execute("VACUUM")
    con.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder for vN.mda (default: tests/fixtures/schemas)")
    parser.add_argument("--version", type=int, action="append", help="only this version (repeatable)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for version in args.version or [m.version for m in MIGRATIONS]:
        build(args.out / f"v{version}.mda", version)
        print(args.out / f"v{version}.mda")
    return 0


if __name__ == "__main__":
    sys.exit(main())
