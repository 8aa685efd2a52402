"""Report use cases: frequencies, co-occurrence, code matrices and code sequences, each as one table.

Each reads its scope once (`_data.load`), counts with numpy in `analysis`, and returns a
plain `ReportTable` that the CLI prints and `export.report_tables` writes as CSV, JSON or Markdown.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from mda_coder.analysis import cooccurrence as co
from mda_coder.analysis.cooccurrence import MEASURES, SKEW, Measure, Value
from mda_coder.analysis.frequencies import counts, families, word_spans
from mda_coder.analysis.matrices import VALUES, Values, code_matrix
from mda_coder.analysis.sequences import transitions
from mda_coder.analysis.units import INT, Spans, hits, passages
from mda_coder.core.errors import MdaError
from mda_coder.core.progress import SILENT, Progress
from mda_coder.export.report_tables import Cell, Marked, ReportTable, Undefined
from mda_coder.i18n import Message, Phrase
from mda_coder.services.reports._data import ReportData, Scope, load
from mda_coder.store.engine import Database

__all__ = ["MEASURES", "UNITS", "VALUES", "Scope", "cooccurrence", "frequencies", "matrix", "sequences"]

Unit = Literal["overlap", "sentence", "turn", "document"]
UNITS: tuple[Unit, ...] = ("overlap", "sentence", "turn", "document")
# Titles, facts, notes and worded column names are Phrases: the English text the files keep, which a
# picture or a screen can also say in the interface's language (mda_coder/i18n.py, domain "reports").
SKEW_NOTE = Phrase(
    "* one code of the pair is more than {skew}× as frequent as the other: Jaccard (the c-coefficient) "
    "and Dice read low there even when the rarer code nearly always occurs with the other; see P(B|A)",
    skew=SKEW,
)
FREQUENCY_NOTE = Phrase(
    "Columns ending in + count the code together with its sub-codes. Units, documents, speakers and words are "
    "counted once however many codings cover them; words and characters are those of the text the codings cover, "
    "overlapping codings once."
)
PAIRS_NOTE = Phrase(
    "n_a, n_b: units with each code; n_ab: units with both (distinct units, not pairs of codings). jaccard is the "
    "c-coefficient n_ab/(n_a+n_b−n_ab); dice 2·n_ab/(n_a+n_b); lift n_ab·N/(n_a·n_b); "
    "skewed: one code is more than {skew}× as frequent as the other.",
    skew=SKEW,
)
SEQUENCE_NOTE = Phrase(
    "transitions: pairs of consecutive turns with the first code on the first turn and the second on the next; "
    "speaker_changes and same_speaker split them where both turns have a speaker; from_followed: turns with the "
    "first code that another turn follows; share = transitions / from_followed."
)
UNIT_NAMES = {
    "turn": Phrase("turn"),
    "sentence": Phrase("sentence"),
    "overlap": Phrase("overlap"),
    "document": Phrase("document"),
}
UNITS_NAMES = {
    "turn": Phrase("turns"),
    "sentence": Phrase("sentences"),
    "overlap": Phrase("overlaps"),
    "document": Phrase("documents"),
}
"""A unit's name, and its plural as a column heading (``turns``)."""
SUBCODES_FACT = Phrase("sub-codes count as their parent codes too")
CODE, CODER, TOTAL = Phrase("code"), Phrase("coder"), Phrase("total")


def _cell(value: Value) -> Cell:
    return Undefined(value.undefined or "undefined") if value.value is None else value.value


def _count(value: Value) -> Cell:
    """A count as a whole number."""
    return int(value.value) if value.value is not None else _cell(value)


def _expand(data: ReportData, include_subcodes: bool) -> tuple[np.ndarray, Spans]:
    """(code, piece) per coded piece; with sub-codes included, a piece also counts for every code above its own."""
    if not include_subcodes:
        return data.code, data.codings
    rows, code = families(data.code, data.parents)
    return code, data.codings.take(rows)


def _unit_presence(data: ReportData, unit: Literal["turn", "sentence"], code: np.ndarray, pieces: Spans) -> np.ndarray:
    units = data.turns if unit == "turn" else data.sentences
    assert units is not None
    piece, hit = hits(units, pieces)
    return co.presence(len(units), len(data.codes), hit, code[piece])


def frequencies(
    db: Database,
    scope: Scope,
    unit: Literal["turn", "sentence"] = "turn",
    per_coder: bool = False,
    progress: Progress = SILENT,
) -> ReportTable:
    """Per code (and per coder): codings, distinct units, documents, speakers, words and characters coded,
    for the code alone and with its sub-codes."""
    progress.stage(Message("reading the codings"))
    data = load(db, scope, sentences=unit == "sentence", texts=True)
    progress.stage(Message("counting {n} codings per code", n=format(len(data.codings), ",")))
    units = data.turns if unit == "turn" else data.sentences
    assert units is not None and data.texts is not None
    unit_speaker = data.turn_speaker if unit == "turn" else _sentence_speakers(data)
    starts: list[int] = []
    ends: list[int] = []
    docs: list[int] = []
    for i, text in enumerate(data.texts):
        s, e = word_spans(text)
        starts += s
        ends += e
        docs += [i] * len(s)
    words = Spans.of(docs, starts, ends)
    n_codes, n_coders = len(data.codes), max(1, len(data.coders))
    rows_family, family = families(data.code, data.parents)
    if per_coder:
        own_group, fam_group, n_groups = (
            data.code * n_coders + data.coder,
            family * n_coders + data.coder[rows_family],
            n_codes * n_coders,
        )
    else:
        own_group, fam_group, n_groups = data.code, family, n_codes
    own = counts(own_group, data.coding, data.codings, n_groups, units, unit_speaker, words)
    fam = counts(
        fam_group, data.coding[rows_family], data.codings.take(rows_family), n_groups, units, unit_speaker, words
    )
    names = (
        Phrase("codings"),
        UNITS_NAMES[unit],
        Phrase("documents"),
        Phrase("speakers"),
        Phrase("words"),
        Phrase("characters"),
    )
    columns = (CODE, *((CODER,) if per_coder else ()), *names, *(Phrase("{column}+", column=n) for n in names))
    rows = []
    for g in range(n_groups):
        if per_coder and fam.codings[g] == 0:
            continue
        head = (data.codes[g // n_coders], data.coders[g % n_coders]) if per_coder else (data.codes[g],)
        values = [
            int(getattr(c, f)[g])
            for c in (own, fam)
            for f in ("codings", "units", "documents", "speakers", "words", "characters")
        ]
        rows.append((*head, *values))
    return ReportTable(
        title=Phrase("Code frequencies"),
        kind="frequencies",
        columns=columns,
        rows=tuple(rows),
        facts=(Phrase("unit: {unit}", unit=UNIT_NAMES[unit]), *data.facts),
        notes=(FREQUENCY_NOTE,),
    )


def _sentence_speakers(data: ReportData) -> np.ndarray:
    assert data.sentences is not None
    sentence, turn = hits(data.turns, data.sentences)
    out = np.full(len(data.sentences), -1, dtype=INT)
    out[sentence] = data.turn_speaker[turn]
    return out


def cooccurrence(
    db: Database,
    scope: Scope,
    unit: Unit = "turn",
    within: int | None = None,
    measure: Measure | None = None,
    include_subcodes: bool = False,
    progress: Progress = SILENT,
) -> ReportTable:
    """Which codes occur on the same units. ``within`` k: on windows of a turn and the k turns after it.

    Without ``measure``: one row per pair that co-occurs, with every measure side by side. With it:
    a code × code table of that measure (the diagonal of ``count`` holds each code's own count).
    """
    if unit not in UNITS:
        raise MdaError(f"unknown unit '{unit}': use {', '.join(UNITS)}")
    if within is not None and (within < 0 or unit != "turn"):
        raise MdaError("--within K counts turns: give a K of 0 or more, with --unit turn")
    if measure is not None and measure not in MEASURES:
        raise MdaError(f"unknown measure '{measure}': use {', '.join(MEASURES)}")
    progress.stage(Message("reading the codings"))
    data = load(db, scope, sentences=unit == "sentence")
    progress.stage(Message("counting co-occurrences of {n} codings", n=format(len(data.codings), ",")))
    code, pieces = _expand(data, include_subcodes)
    result = _cooccurrence(data, unit, within, code, pieces)
    used = [i for i in range(len(data.codes)) if result.counts[i]]
    if within:
        label = (
            Phrase("within {k} turns (a turn and the {k} after it)", k=within)
            if within > 1
            else Phrase("within {k} turn (a turn and the {k} after it)", k=within)
        )
    else:
        label = UNIT_NAMES[unit]
    n_units = (
        Phrase("units: passages of overlapping codings")
        if result.n_units is None
        else Phrase("units: {n}", n=result.n_units)
    )
    unused = len(data.codes) - len(used)
    facts = (
        Phrase("unit: {unit}", unit=label),
        n_units,
        *data.facts,
        *(
            (
                Phrase("{n} codes not used here are left out", n=unused)
                if unused > 1
                else Phrase("{n} code not used here is left out", n=unused),
            )
            if unused
            else ()
        ),
        *((SUBCODES_FACT,) if include_subcodes else ()),
    )
    if measure is not None:
        return _matrix_table(data, result, used, measure, facts)
    pairs = [p for a_i, a in enumerate(used) for b in used[a_i + 1 :] if (p := result.pair(a, b)).n_ab]
    pairs.sort(key=lambda p: (-p.n_ab, data.codes[p.a], data.codes[p.b]))
    rows = tuple(
        (
            data.codes[p.a],
            data.codes[p.b],
            p.n_a,
            p.n_b,
            p.n_ab,
            _cell(p.jaccard),
            _cell(p.dice),
            _cell(p.b_given_a),
            _cell(p.a_given_b),
            _cell(p.lift),
            _cell(p.phi),
            p.skewed,
        )
        for p in pairs
    )
    never = len(used) * (len(used) - 1) // 2 - len(pairs)
    return ReportTable(
        title=Phrase("Code co-occurrence"),
        kind="cooccurrence",
        columns=(
            "code_a",
            "code_b",
            "n_a",
            "n_b",
            "n_ab",
            "jaccard",
            "dice",
            "p_b_given_a",
            "p_a_given_b",
            "lift",
            "phi",
            "skewed",
        ),
        rows=rows,
        facts=facts,
        notes=(
            PAIRS_NOTE,
            *(
                (
                    Phrase("{n} pairs of used codes never co-occur and are not listed.", n=never)
                    if never > 1
                    else Phrase("{n} pair of used codes never co-occurs and is not listed.", n=never),
                )
                if never
                else ()
            ),
        ),
    )


def _cooccurrence(data: ReportData, unit: Unit, within: int | None, code: np.ndarray, pieces: Spans) -> co.CoOccurrence:
    n_codes = len(data.codes)
    if unit == "overlap":
        return co.overlap_counts(passages(code, pieces), n_codes)
    if unit == "document":
        return co.unit_counts(co.presence(len(data.documents), n_codes, pieces.doc, code))
    present = _unit_presence(data, unit, code, pieces)
    if within:
        present = co.windows(present, data.turns.doc, within)
    return co.unit_counts(present)


def _matrix_table(
    data: ReportData, result: co.CoOccurrence, used: list[int], measure: Measure, facts: tuple[str, ...]
) -> ReportTable:
    rows = []
    marked = False
    for a in used:
        cells: list[Cell] = [data.codes[a]]
        for b in used:
            if a == b:
                cells.append(int(result.counts[a]) if measure == "count" else None)
                continue
            value = _cell(result.cell(measure, a, b))
            if result.pair(a, b).skewed and isinstance(value, float):
                value, marked = Marked(value, "*"), True
            cells.append(int(value) if measure == "count" and isinstance(value, float) else value)
        rows.append(tuple(cells))
    what = {
        "count": Phrase("units with both codes (the diagonal: units with the code)"),
        "jaccard": Phrase("Jaccard, the c-coefficient n12/(n1+n2−n12)"),
        "dice": "Dice 2·n12/(n1+n2)",
        "conditional": Phrase("P(column | row): of the units with the row's code, the share with the column's"),
        "lift": "lift n12·N/(n1·n2)",
        "phi": Phrase("φ, the correlation of the two codes' presence"),
    }[measure]
    return ReportTable(
        title=Phrase("Code co-occurrence: {measure}", measure=measure),
        kind="cooccurrence",
        columns=(CODE, *(data.codes[b] for b in used)),
        rows=tuple(rows),
        facts=(Phrase("measure: {what}", what=what), *facts),
        notes=(SKEW_NOTE,) if marked else (),
    )


Columns = str
"""document, group, speaker, speaker-role (or role), or attr:KEY for a speaker attribute."""


def matrix(
    db: Database,
    scope: Scope,
    columns: Columns = "document",
    values: Values = "count",
    unit: Literal["turn", "sentence"] = "turn",
    include_subcodes: bool = False,
    transpose: bool = False,
    progress: Progress = SILENT,
) -> ReportTable:
    """Codes × documents, groups, speakers, speaker roles or a speaker attribute's values: coded units."""
    if values not in VALUES:
        raise MdaError(f"unknown values '{values}': use {', '.join(VALUES)}")
    kind = "role" if columns == "speaker-role" else columns
    if kind not in ("document", "group", "speaker", "role") and not (kind.startswith("attr:") and kind[5:]):
        raise MdaError(f"cannot make columns of '{columns}': use document, group, speaker, speaker-role or attr:KEY")
    progress.stage(Message("reading the codings"))
    data = load(db, scope, sentences=unit == "sentence")
    progress.stage(Message("counting {n} codings by {kind}", n=format(len(data.codings), ","), kind=kind))
    code, pieces = _expand(data, include_subcodes)
    present = _unit_presence(data, unit, code, pieces)
    units = data.turns if unit == "turn" else data.sentences
    assert units is not None
    speaker = data.turn_speaker if unit == "turn" else _sentence_speakers(data)
    labels, category = _categories(data, kind, units.doc, speaker)
    result = code_matrix(present, category, len(labels))
    if kind != "document":  # speakers, roles or groups the filters left without units are no columns
        keep = np.flatnonzero(result.category_units > 0)
        labels = [labels[k] for k in keep.tolist()]
        result = code_matrix(present, np.searchsorted(keep, category), len(labels))
    used = [i for i in range(len(data.codes)) if result.code_units[i]]
    shown = _count if values == "count" else _cell
    rows: list[tuple[Cell, ...]] = [
        (data.codes[c], *(shown(result.cell(values, c, k)) for k in range(len(labels))), shown(result.total(values, c)))
        for c in used
    ]
    rows.append(
        (
            Phrase("({units})", units=UNITS_NAMES[unit]),
            *(int(n) for n in result.category_units),
            int(result.category_units.sum()),
        )
    )
    header = (CODE, *labels, TOTAL)
    shares = frozenset(labels) | {"total"} if values != "count" else frozenset()
    words = {"units": UNITS_NAMES[unit], "unit": UNIT_NAMES[unit]}
    notes = {
        "count": Phrase("Each cell: the {units} in that column the code is on, each {unit} once.", **words),
        "row-share": Phrase("Each cell: of the {units} the code is on, the share in that column.", **words),
        "unit-share": Phrase("Each cell: of that column's {units}, the share the code is on.", **words),
    }[values]
    column_kind = {
        "document": Phrase("document"),
        "group": Phrase("group"),
        "speaker": Phrase("speaker"),
        "role": Phrase("role"),
    }.get(kind, kind)
    value_names = {"count": Phrase("count"), "row-share": "row-share", "unit-share": "unit-share"}
    table = ReportTable(
        title=Phrase("Codes × {columns}", columns=column_kind),
        kind="matrix",
        columns=header,
        rows=tuple(rows),
        shares=shares,
        facts=(
            Phrase("unit: {unit}", unit=UNIT_NAMES[unit]),
            Phrase("values: {values}", values=value_names[values]),
            *data.facts,
            *((SUBCODES_FACT,) if include_subcodes else ()),
        ),
        notes=(notes, Phrase("The last row counts every {unit} in each column, coded or not.", unit=UNIT_NAMES[unit])),
    )
    return _transposed(table) if transpose else table


def _categories(data: ReportData, kind: str, doc: np.ndarray, speaker: np.ndarray) -> tuple[list[str], np.ndarray]:
    """Column labels, and each unit's column index."""
    if kind == "document":
        return list(data.documents), doc
    per_doc = [g or Phrase("(no group)") for g in data.groups] if kind == "group" else None
    if per_doc is not None:
        labels = sorted(set(per_doc))
        lookup = np.array([labels.index(g) for g in per_doc], dtype=INT)
        return labels, lookup[doc] if len(doc) else doc
    several = len(data.documents) > 1
    names = []
    for s in data.speakers:
        if kind == "speaker":
            names.append(s.person or (f"{s.label} ({data.documents[s.document]})" if several else s.label))
        elif kind == "role":
            names.append(s.role.strip() if s.role and s.role.strip() else Phrase("(no role)"))
        else:
            value = s.attributes.get(kind[5:])
            names.append(Phrase("({key} not set)", key=kind[5:]) if value in (None, "") else str(value))
    none = {"speaker": Phrase("(no speaker)"), "role": Phrase("(no role)")}.get(kind) or Phrase(
        "({key} not set)", key=kind[5:]
    )
    labels = sorted(set(names) - {none}) + ([none] if none in names or (speaker < 0).any() else [])
    lookup = np.array([labels.index(n) for n in names] + [labels.index(none) if none in labels else 0], dtype=INT)
    return labels, lookup[speaker]  # speaker −1 picks the last entry: the "no speaker" column


def _transposed(table: ReportTable) -> ReportTable:
    first = table.columns[0]
    columns = (
        table.columns[0] if first != "code" else Phrase("column"),
        *(r[0] if isinstance(r[0], str) else str(r[0]) for r in table.rows),
    )
    rows = tuple((table.columns[j], *(r[j] for r in table.rows)) for j in range(1, len(table.columns)))
    shares = frozenset(columns[1:]) if table.shares else frozenset()
    return ReportTable(table.title, table.facts, columns, rows, table.notes, table.kind, shares)


def sequences(db: Database, scope: Scope, include_subcodes: bool = False, progress: Progress = SILENT) -> ReportTable:
    """Which code follows which from one turn to the next in scope, with and without a change of speaker."""
    progress.stage(Message("reading the codings"))
    data = load(db, scope)
    progress.stage(Message("following {n} codings from turn to turn", n=format(len(data.codings), ",")))
    code, pieces = _expand(data, include_subcodes)
    present = _unit_presence(data, "turn", code, pieces)
    result = transitions(present, data.turns.doc, data.turn_speaker)
    pairs = [(a, b) for a in range(len(data.codes)) for b in range(len(data.codes)) if result.total[a, b]]
    pairs.sort(key=lambda ab: (-int(result.total[ab]), data.codes[ab[0]], data.codes[ab[1]]))
    rows = tuple(
        (
            data.codes[a],
            data.codes[b],
            int(result.total[a, b]),
            int(result.changed[a, b]),
            int(result.same[a, b]),
            int(result.followed[a]),
            _cell(result.share(a, b)),
        )
        for a, b in pairs
    )
    linked = int((data.turns.doc[1:] == data.turns.doc[:-1]).sum()) if len(data.turns) > 1 else 0
    return ReportTable(
        title=Phrase("Code sequences across turns"),
        kind="sequences",
        columns=(
            Phrase("from"),
            Phrase("to"),
            Phrase("transitions"),
            Phrase("speaker_changes"),
            Phrase("same_speaker"),
            Phrase("from_followed"),
            Phrase("share"),
        ),
        rows=rows,
        shares=frozenset({"share"}),
        facts=(
            Phrase("pairs of consecutive turns: {n}", n=linked),
            *data.facts,
            *((SUBCODES_FACT,) if include_subcodes else ()),
        ),
        notes=(
            SEQUENCE_NOTE,
            *(
                (Phrase("Turns left out by the filters are skipped: the next turn is the next one kept."),)
                if scope.by_turn
                else ()
            ),
        ),
    )
