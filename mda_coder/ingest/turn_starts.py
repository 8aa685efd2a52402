"""Which lines open a turn, and for whom: decided line by line, with every guess written down.

A label becomes *known* in a file when the legend names it, when it is one transcribers use
(``I``, ``R2``, ``Moderator``), when it opens a turn at least twice, or when it joins known
labels (``X og Y``). Once known, it opens a turn on every line that starts with it in any
shape (``X:``, ``*1:00 = X:``, ``5.00<TAB>X<TAB>``, ``40:20 X``) and in the slips transcribers
make (``X.``, ``X;``, ``X Nej``). Spellings of one label (``Y``, ``Y:``, ``y``) are merged.
Every decision that could be wrong becomes a :class:`~mda_coder.core.transcript.Doubt`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from mda_coder.core.display import one_line
from mda_coder.core.transcript import (
    LABEL_AS_TEXT,
    LABEL_NOTE,
    MERGED_LABEL,
    NEW_SPEAKER,
    NOT_IN_LEGEND,
    SIMILAR_LABEL,
    SLIP,
    UNLABELLED,
    Doubt,
)
from mda_coder.i18n import Message
from mda_coder.ingest import layouts
from mda_coder.ingest.labels import (
    MAX_SLIP_LABEL_CHARS,
    NOT_LABELS,
    is_annotation,
    is_known_label,
    joint_parts,
    label_key,
)
from mda_coder.ingest.layouts import Candidate, LineScan
from mda_coder.ingest.legend import Legend

STYLE_SLIPS = 3
"""A label written ``X.`` this often, and more often than ``X:``, is the file's own style."""
ESTABLISHED = 3
"""Turns a file must already have before a label seen once is believed to be a new speaker."""
RARE_TURNS = 2
RARE_AMONG = 20
"""Without a legend, a label with at most ``RARE_TURNS`` turns among ``RARE_AMONG`` or more is listed."""
UTTERANCE_SHARE = 0.8
"""Share of a file's text lines that must be ``id<TAB>text`` rows to read it one utterance a line."""
_SIMILAR_MIN = 4
"""Shorter labels (``X``, ``Y``, ``I1``) differ by a letter by design."""
_WITH_TIME = frozenset({layouts.TIMESTAMP_LABEL, layouts.OTTER})
_LABEL_LIKE = frozenset({layouts.LABEL_COLON, layouts.TIMESTAMP_LABEL, layouts.BRACKET})


@dataclass
class Decision:
    """The turn starts of a file, their shapes, and the doubts raised on the way."""

    starts: list[Candidate] = field(default_factory=list)
    """Accepted starts in line order, each carrying the label it is merged to."""
    shapes: Counter[str] = field(default_factory=Counter)
    doubts: list[Doubt] = field(default_factory=list)


@dataclass
class _Labels:
    """What the whole file says about each label key."""

    counts: Counter[str]
    spellings: dict[str, Counter[str]]
    first_seen: dict[str, int]
    known: set[str]
    legend: dict[str, str]
    """Legend label keys and the label as the legend spells it."""
    notes: Counter[tuple[str, str]] = field(default_factory=Counter)
    """How often each label carries each note: ``Moderator (Anna)`` every time is a name."""
    slips: Counter[str] = field(default_factory=Counter)
    """How often each label is followed by ``.``, ``;`` or a space instead of a colon."""

    def canonical(self, key: str, fallback: str) -> str:
        if key in self.legend:
            return self.legend[key]
        spellings = self.spellings.get(key)
        if not spellings:
            return fallback
        top = max(spellings.values())
        return next(s for s in spellings if spellings[s] == top)


def _strong(candidates: tuple[Candidate, ...]) -> Candidate | None:
    for c in candidates:
        if c.shape in layouts.STRONG_SHAPES:
            if c.shape == layouts.LABEL_LINE and not layouts.label_line_counts(c.label or ""):
                return None  # ``Lena Berglund`` alone: believed once known, not evidence itself
            return c
    return None


def _survey(scan: LineScan, skip: frozenset[int], legend: Legend | None, ids: bool) -> _Labels:
    counts: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = {}
    first_seen: dict[str, int] = {}
    notes: Counter[tuple[str, str]] = Counter()
    slips: Counter[str] = Counter()
    for line, candidates in scan.candidates.items():
        if line in skip:
            continue
        c = _strong(candidates)
        if c is None:
            slip = next((x for x in candidates if x.shape == layouts.SLIP), None)
            if slip is not None and slip.label is not None:
                slips[label_key(slip.label)] += 1
            continue
        if c.label is None or (c.shape == layouts.UTTERANCE_IDS and not ids):
            continue
        key = label_key(c.label)
        counts[key] += 1
        if c.note:
            notes[(key, c.note)] += 1
        spellings.setdefault(key, Counter())[c.label] += 1
        first_seen.setdefault(key, line)
    legend_keys = {label_key(label): label for label in legend.labels} if legend else {}
    known = {key for key, n in counts.items() if n >= 2}
    known |= set(legend_keys)
    known |= {key for key in counts if is_known_label(next(iter(spellings[key])))}
    for key in list(counts):
        parts = joint_parts(next(iter(spellings[key])))
        if parts and all(label_key(part) in known for part in parts):
            known.add(key)
    return _Labels(counts, spellings, first_seen, known, legend_keys, notes, slips)


def _uses_utterance_ids(scan: LineScan) -> bool:
    rows = sum(1 for found in scan.candidates.values() if found[0].shape == layouts.UTTERANCE_IDS)
    return rows >= 2 and rows >= UTTERANCE_SHARE * scan.text_lines


def _contains_known(label: str, labels: _Labels) -> bool:
    """``Hej P3`` holds the known ``P3``: an utterance, not a speaker."""
    words = label.split()
    for size in range(1, len(words)):
        for start in range(len(words) - size + 1):
            if label_key(" ".join(words[start : start + size])) in labels.known:
                return True
    return False


class _Reader:
    """Walks the lines once, deciding each against what the whole file says."""

    def __init__(self, scan: LineScan, legend: Legend | None) -> None:
        self.scan = scan
        self.legend = legend
        self.skip = legend.lines if legend is not None else frozenset()
        self.ids = _uses_utterance_ids(scan)
        self.labels = _survey(scan, self.skip, legend, self.ids)
        self.decision = Decision()
        self.current: str | None = None

    def doubt(self, kind: str, line: int, reading: str) -> None:
        self.decision.doubts.append(Doubt(kind, line + 1, one_line(self.scan.lines[line], 80), reading))

    def where(self) -> str:
        if not self.decision.starts:
            return Message("in no turn")
        return Message("in {label}'s turn", label=self.current) if self.current else Message("in the turn before")

    def accept(self, c: Candidate, label: str) -> None:
        self.decision.starts.append(c if c.label == label else c._replace(label=label))
        self.decision.shapes[c.shape] += 1
        self.current = label

    def judge(self, c: Candidate) -> str | None:
        """The label ``c`` opens a turn for, or None; records the doubt a yes carries."""
        assert c.label is not None
        key = label_key(c.label)
        labels = self.labels
        label = labels.canonical(key, c.label)
        if c.shape == layouts.HEADER:
            # A known label and a time alone on a line (``40:20 DELTAGARE 4``): nothing else
            # it could be, colon or not.
            return label if key in labels.known else None
        if c.shape == layouts.SLIP:
            if len(c.label) > MAX_SLIP_LABEL_CHARS:
                return None
            style = labels.slips[key] >= STYLE_SLIPS and labels.slips[key] >= labels.counts[key]
            if style and is_known_label(c.label):
                return label  # ``R1.`` is how this file writes its labels, not a slip
            if key not in labels.known:
                return None  # ``A. Första punkten``: a list, not a speaker the file has
            self.doubt(SLIP, c.line, Message("a slip for the label {label}: opens a turn of {label}", label=label))
            return label
        if c.shape == layouts.LABEL_LINE:
            return label if key in labels.known else None
        if c.shape == layouts.UTTERANCE_IDS:
            return label if self.ids else None
        if key in labels.known or c.shape in _WITH_TIME or c.timed:
            return label
        if c.stamp is not None and c.shape in (layouts.BRACKET, layouts.LABEL_COLON):
            return label  # ``[Erik Lund] 02:30``, ``Erik [00:02:30]:``: a time makes it a header
        if c.shape == layouts.BRACKET and layouts.is_bracket_id(c.label):
            return label
        if c.shape == layouts.TSV and c.stamp is not None:
            return label
        # A label seen once: a new speaker (a guest, a cleaner coming in), or talk?
        if len(self.decision.starts) >= ESTABLISHED and key not in NOT_LABELS and not _contains_known(c.label, labels):
            self.doubt(
                NEW_SPEAKER, c.line, Message("a label seen once: opens a turn of a new speaker {label}", label=label)
            )
            return label
        return None

    def _named(self, c: Candidate) -> bool:
        """A note that recurs with its label and reads as a name is part of the label."""
        assert c.label is not None and c.note is not None
        return self.labels.notes[(label_key(c.label), c.note)] >= 2 and layouts.label_ok(c.note)

    def read(self) -> Decision:
        timed = {t.line: t for t in self.scan.timed}
        for line in range(len(self.scan.lines)):
            if line in self.skip:
                continue
            candidates = self.scan.candidates.get(line, ())
            chosen = None
            for c in candidates:
                if c.label is not None and (label := self.judge(c)) is not None:
                    chosen = c
                    if c.note and self._named(c):
                        label = f"{label} ({c.note})"  # ``Moderator (Anna)``: the note names the speaker
                    elif c.note:
                        self.doubt(
                            LABEL_NOTE,
                            line,
                            Message("opens a turn of {label} (the label says: {note})", label=label, note=c.note),
                        )
                    self.accept(c, label)
                    break
            if chosen is not None:
                continue
            if not self.decision.starts:
                continue  # before the first turn: listed as text in no turn
            if any(c.shape in _LABEL_LIKE for c in candidates):
                self.doubt(
                    LABEL_AS_TEXT, line, Message("looks like a speaker label: read as text {where}", where=self.where())
                )
            elif line in timed and not is_annotation(timed[line].rest.strip("[]()* ")):
                if timed[line].rest[:1] not in "[(":
                    self.doubt(
                        UNLABELLED,
                        line,
                        Message("a time but no speaker label: read as text {where}", where=self.where()),
                    )
        self._label_doubts()
        self.decision.doubts.sort(key=lambda d: d.line or 0)
        return self.decision

    def _label_doubts(self) -> None:
        """Merged spellings, labels outside the legend, rare and look-alike labels."""
        starts = self.decision.starts
        used: dict[str, list[Candidate]] = {}
        spelled: dict[tuple[str, str], Candidate] = {}
        for c in starts:
            assert c.label is not None
            used.setdefault(c.label, []).append(c)
        raw = self.scan.candidates
        for c in starts:
            assert c.label is not None
            written = next((x.label for x in raw[c.line] if x.label and label_key(x.label) == label_key(c.label)), None)
            if written is not None and written != c.label and (c.label, written) not in spelled:
                spelled[(c.label, written)] = c
        for (label, written), c in spelled.items():
            self.doubt(
                MERGED_LABEL,
                c.line,
                Message(
                    '"{written}" merged with {label} ({n} turns)', written=written, label=label, n=len(used[label])
                ),
            )
        if self.legend is not None:
            self._legend_doubts(used)
        elif len(starts) >= RARE_AMONG:
            for label, found in used.items():
                key = label_key(label)
                if len(found) <= RARE_TURNS and not is_known_label(label) and joint_parts(label) is None:
                    if self.labels.counts.get(key, 0) >= 2:
                        n = len(found)
                        self.doubt(
                            NEW_SPEAKER,
                            found[0].line,
                            Message("a speaker with only {n} turns: check the label {label}", n=n, label=label),
                        )
        self._similar(used)

    def _legend_doubts(self, used: dict[str, list[Candidate]]) -> None:
        assert self.legend is not None
        legend_keys = {label_key(label) for label in self.legend.labels}
        outside = []
        for label, found in used.items():
            parts = joint_parts(label)
            inside = label_key(label) in legend_keys or (
                parts is not None and all(label_key(p) in legend_keys for p in parts)
            )
            if not inside:
                outside.append(label)
                n = len(found)
                if any(d.line == found[0].line + 1 for d in self.decision.doubts):
                    continue  # already listed as a new speaker there
                self.doubt(
                    NOT_IN_LEGEND,
                    found[0].line,
                    Message("speaker {label} is not in the legend ({n} turn)", label=label, n=n)
                    if n == 1
                    else Message("speaker {label} is not in the legend ({n} turns)", label=label, n=n),
                )
        spoken = {label_key(label) for label in used}
        for label, _ in self.legend.entries:
            if label_key(label) not in spoken:
                others = ", ".join(outside) or Message("no other labels")
                line = self._legend_line(label)
                self.doubt(
                    NOT_IN_LEGEND,
                    line,
                    Message("legend label {label} never speaks (the text has {others})", label=label, others=others),
                )

    def _legend_line(self, label: str) -> int:
        assert self.legend is not None
        for line in range(self.legend.first_line, self.legend.last_line + 1):
            if label in self.scan.lines[line]:
                return line
        return self.legend.first_line

    def _similar(self, used: dict[str, list[Candidate]]) -> None:
        """A label one letter from a busier one (``PARTICPANT 2``) is likely a typo: say so."""
        if len(used) < 2 or len(used) > 200:
            return
        from rapidfuzz.distance import Levenshtein

        ranked = sorted(used, key=lambda label: -len(used[label]))
        for index, label in enumerate(ranked):
            if joint_parts(label) is not None or self.ids or len(label) < _SIMILAR_MIN:
                continue
            for other in ranked[:index]:
                limit = 1 if len(label) < 8 else 2
                if _letters(label) == _letters(other):
                    continue  # a numbered series: R1 and R2, PARTICIPANT 2 and PARTICIPANT 3
                if (
                    len(used[other]) > len(used[label])
                    and 0 < Levenshtein.distance(label.casefold(), other.casefold(), score_cutoff=limit) <= limit
                ):
                    n = len(used[label])
                    line = used[label][0].line + 1
                    self.decision.doubts = [
                        d for d in self.decision.doubts if not (d.line == line and d.kind == NEW_SPEAKER)
                    ]
                    self.doubt(
                        SIMILAR_LABEL,
                        used[label][0].line,
                        Message(
                            "speaker {label} ({n} turn) is spelt almost like {other}: a typo?",
                            label=label,
                            n=n,
                            other=other,
                        )
                        if n == 1
                        else Message(
                            "speaker {label} ({n} turns) is spelt almost like {other}: a typo?",
                            label=label,
                            n=n,
                            other=other,
                        ),
                    )
                    break


def _letters(label: str) -> str:
    return "".join(ch for ch in label.casefold() if not ch.isdigit() and not ch.isspace())


def decide(scan: LineScan, legend: Legend | None) -> Decision:
    """Read every line of ``scan``: the turn starts, their shapes and the doubts."""
    return _Reader(scan, legend).read()
