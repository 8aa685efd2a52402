"""Deterministic synthetic focus-group transcripts in every layout the importer reads.

Benchmarks need corpora far larger than any real, shareable transcript, and they
need the same bytes on every run so that figures from different days compare.
Every file is drawn from ``random.Random`` seeded with ``seed`` and the document's
index alone, so document 7 is the same whether 10 or 1,000 documents are made.

    python bench/generate.py OUT_DIR --documents 100 --words 20000
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# ~200 words and phrases of caseworker talk, by the slot they fill in a sentence.
# Phrases are kept whole so that the text reads like Swedish, not like a word salad.
OPENERS = (
    "alltså",
    "ja men",
    "jag tänker att",
    "för mig är det så att",
    "det är ju så att",
    "eh",
    "mm, och",
    "precis, och",
    "jo men",
    "fast",
    "samtidigt",
    "i början",
    "ibland känns det som att",
    "jag håller med om att",
    "det jag menar är att",
    "om jag får säga något så",
    "när jag började här",
    "egentligen",
    "typ",
    "och sen",
)
SUBJECTS = (
    "deltagaren",
    "deltagarna",
    "vi",
    "jag",
    "man",
    "de",
    "handläggaren",
    "handläggarna",
    "arbetskonsulenten",
    "jobbcoachen",
    "chefen",
    "arbetsgivaren",
    "socialtjänsten",
    "arbetsförmedlingen",
    "kommunen",
    "kollegorna",
    "personen",
    "familjen",
    "gruppen",
    "hen",
    "handledaren på praktiken",
    "vår enhet",
    "studie- och yrkesvägledaren",
    "ingen",
)
VERBS = (
    "behöver",
    "får",
    "tror på",
    "märker",
    "pratar om",
    "jobbar med",
    "litar på",
    "ser",
    "förstår",
    "saknar",
    "bygger",
    "visar",
    "kräver",
    "vill ha",
    "fokuserar på",
    "hittar",
    "tappar",
    "stöttar",
    "följer upp",
    "planerar",
    "söker",
    "väntar på",
    "kämpar med",
    "ger",
    "tar ansvar för",
    "bokar in",
    "hjälper till med",
    "pratar med",
    "säger nej till",
    "kommer tillbaka till",
)
OBJECTS = (
    "tilltro",
    "arbete",
    "praktik",
    "försörjningsstöd",
    "ett jobb",
    "en anställning",
    "motivation",
    "tillit",
    "en plan",
    "ett samtal",
    "en praktikplats",
    "sysselsättning",
    "aktivitetskrav",
    "ekonomiskt bistånd",
    "utbildning",
    "svenska för invandrare",
    "körkortet",
    "ett cv",
    "en ansökan",
    "lönebidrag",
    "nystartsjobb",
    "språket",
    "rutinerna",
    "kontakten",
    "förtroendet",
    "relationen",
    "hoppet",
    "framtiden",
    "ett mål",
    "tiden",
    "vardagen",
    "kraven",
    "stödet",
    "bedömningen",
    "dokumentationen",
    "uppföljningen",
    "handlingsplanen",
    "arbetsträningen",
    "självförtroendet",
    "ansvaret",
    "sina styrkor",
    "sin egen förmåga",
    "nästa steg",
    "första mötet",
    "en chans",
)
ADVERBIALS = (
    "i vardagen",
    "hela tiden",
    "på riktigt",
    "liksom",
    "faktiskt",
    "väldigt mycket",
    "bit för bit",
    "ganska ofta",
    "ibland",
    "till slut",
    "i början",
    "varje vecka",
    "på mötet",
    "efter ett tag",
    "jättefort",
    "utan att jaga dem",
    "i höstas",
    "på arbetsplatsen",
    "i kommunen",
    "tillsammans",
    "redan från start",
    "igen",
    "på ett annat sätt",
    "mer än förut",
    "ändå",
    "nu",
    "sen",
    "ju",
    "nog",
    "kanske",
    "för det mesta",
    "på lång sikt",
    "med en gång",
    "i tid",
    "hos oss",
)
CLAUSES = (
    "när det går trögt",
    "om de märker det",
    "så att de vågar",
    "innan det rasar",
    "men det tar tid",
    "eftersom de har varit inskrivna överallt",
    "trots att de tvivlar",
    "fast det är svårt att sätta fingret på",
    "så länge man är ärlig",
    "och det gör något med en",
    "men det är inte alltid lätt",
    "när man sitter med dem",
    "och då har något hänt",
    "även om systemet säger annat",
    "som om det vore enkelt",
)
ANSWERS = (
    "Mm.",
    "Ja.",
    "Precis.",
    "Nej.",
    "Jo.",
    "Exakt.",
    "Absolut.",
    "Verkligen.",
    "Okej.",
)
ROLES = (
    "arbetskonsulent",
    "jobbcoach",
    "handläggare, ekonomiskt bistånd",
    "enhetschef",
    "studie- och yrkesvägledare",
    "socialsekreterare",
    "arbetsterapeut",
    "praktiksamordnare",
)
FIRST_NAMES = (
    "Anna",
    "Maria",
    "Karin",
    "Eva",
    "Lena",
    "Sara",
    "Emma",
    "Annika",
    "Johanna",
    "Malin",
    "Erik",
    "Lars",
    "Johan",
    "Anders",
    "Per",
    "Karl",
    "Tomas",
    "Ulf",
    "Mikael",
    "Jonas",
    "Fatima",
    "Amir",
    "Leyla",
    "Ali",
    "Åsa",
    "Örjan",
    "Björn",
    "Sofia",
    "Ida",
    "Mats",
)
LAST_NAMES = (
    "Berg",
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Persson",
    "Hedlund",
    "Öberg",
    "Lindqvist",
    "Holm",
    "Sandberg",
    "Åkesson",
    "Yilmaz",
    "Hassan",
    "Nyström",
    "Lundgren",
    "Ek",
    "Forsberg",
)
PLACES = (
    "Norrvik",
    "Sjöstad",
    "Älvdala",
    "Bergsjö",
    "Ekby",
    "Hammarvik",
    "Lindås",
    "Storå",
)

LAYOUTS = ("label-colon", "otter", "webvtt-zoom", "srt")
"""The layouts, in the order documents cycle through them."""
SUFFIXES = {"label-colon": "txt", "otter": "txt", "webvtt-zoom": "vtt", "srt": "srt"}

MIN_TURN_WORDS = 5
MAX_TURN_WORDS = 120
WORDS_PER_SECOND = 2.5
"""Speaking rate for made-up timestamps: about 150 words a minute."""


@dataclass(frozen=True, slots=True)
class SyntheticTurn:
    """One generated turn: the speaker's index and the utterance as sentences."""

    speaker: int
    sentences: tuple[str, ...]
    start: float
    """Seconds from the start of the recording."""
    end: float

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def generate_transcripts(folder: Path, *, documents: int, words_per_document: int, seed: int = 1) -> list[Path]:
    """Write ``documents`` transcripts of about ``words_per_document`` words each into ``folder``.

    Layouts cycle by index: label-colon txt with a legend, Otter txt, Zoom WebVTT, SRT.
    The same arguments always give byte-identical files (UTF-8, ``\\n`` line endings).
    """
    if documents < 0 or words_per_document < MIN_TURN_WORDS:
        raise ValueError(f"need documents >= 0 and words_per_document >= {MIN_TURN_WORDS}")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(documents):
        layout = LAYOUTS[index % len(LAYOUTS)]
        rng = _rng(seed, index)
        text = _render(layout, index, words_per_document, rng)
        path = folder / f"fg{index + 1:04d}_{layout.split('-')[-1]}.{SUFFIXES[layout]}"
        path.write_bytes(text.encode("utf-8"))
        paths.append(path)
    return paths


def planned_speakers(index: int, seed: int = 1) -> int:
    """How many speakers document ``index`` (0-based) gets; every one of them speaks."""
    return _rng(seed, index).randint(4, 7)


def _rng(seed: int, index: int) -> random.Random:
    return random.Random(seed * 1_000_003 + index)


def _render(layout: str, index: int, words: int, rng: random.Random) -> str:
    speakers = rng.randint(4, 7)
    turns = _conversation(rng, speakers, words)
    render: Callable[[int, int, list[SyntheticTurn], random.Random], str] = {
        "label-colon": _label_colon,
        "otter": _otter,
        "webvtt-zoom": _vtt,
        "srt": _srt,
    }[layout]
    return render(index, speakers, turns, rng)


def _conversation(rng: random.Random, speakers: int, words: int) -> list[SyntheticTurn]:
    """Turns until ``words`` words are spoken; everyone speaks, nobody twice in a row.

    Speaker 0 is the moderator: it opens, then a round lets everyone speak once, and
    afterwards the moderator takes about one turn in five.
    """
    order = list(range(1, speakers))
    rng.shuffle(order)
    queue = [0, *order]
    turns: list[SyntheticTurn] = []
    spoken = 0
    clock = rng.uniform(2.0, 40.0)
    previous = -1
    while spoken < words or queue:
        if queue:
            who = queue.pop(0)
        else:
            who = previous
            while who == previous:
                who = 0 if rng.random() < 0.2 else rng.randrange(1, speakers)
        budget = _turn_length(rng)
        if not queue and spoken + budget > words:
            budget = max(MIN_TURN_WORDS, words - spoken)
        sentences = _sentences(rng, budget)
        said = sum(1 for s in sentences for w in s.split() if w != "[skratt]")
        duration = said / WORDS_PER_SECOND
        turns.append(SyntheticTurn(who, sentences, clock, clock + duration))
        spoken += said
        clock += duration + rng.uniform(0.2, 2.5)
        previous = who
    return turns


def _turn_length(rng: random.Random) -> int:
    # Skewed towards short turns, as in real talk; the last phrase may add a few words,
    # so the budget stops short of the maximum.
    return MIN_TURN_WORDS + int((MAX_TURN_WORDS - 8 - MIN_TURN_WORDS) * rng.random() ** 1.8)


def _sentences(rng: random.Random, words: int) -> tuple[str, ...]:
    """Sentences of about ``words`` words in all (phrases stay whole; ``[skratt]`` is extra)."""
    out: list[str] = []
    left = words
    while left > 0:
        if left <= 2 or rng.random() < 0.04:
            sentence = rng.choice(ANSWERS).rstrip(".").split()
        else:
            target = min(left, rng.randint(3, 18))
            if left - target < 3:
                target = left
            sentence = _sentence_words(rng, target)
        left -= len(sentence)
        text = " ".join(sentence).rstrip(",")
        r = rng.random()
        end = "." if r < 0.74 else "?" if r < 0.88 else "…" if r < 0.96 else "..."
        out.append(text[0].upper() + text[1:] + end)
        if rng.random() < 0.03:
            out.append("[skratt]")
    return tuple(out)


def _sentence_words(rng: random.Random, target: int) -> list[str]:
    """Subject, verb, object and adverbials until ``target`` words, ending on a whole phrase."""
    words: list[str] = rng.choice(OPENERS).split() if rng.random() < 0.4 else []
    slots = (SUBJECTS, VERBS, OBJECTS, ADVERBIALS)
    slot = 0
    while len(words) < target:
        if slot == len(slots):
            # A second clause: a subordinate one, or a comma and a new main clause.
            if rng.random() < 0.5:
                words += rng.choice(CLAUSES).split()
            else:
                words[-1] += ","
            slot = 0
            continue
        words += rng.choice(slots[slot]).split()
        slot += 1
    return words


def _title(index: int, rng: random.Random) -> str:
    return f"Fokusgrupp {index + 1} – Arbetsmarknadsenheten i {rng.choice(PLACES)} (syntetiskt testmaterial)"


def _names(rng: random.Random, speakers: int) -> list[str]:
    names: list[str] = []
    while len(names) < speakers:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if name not in names:
            names.append(name)
    return names


def _label_colon(index: int, speakers: int, turns: list[SyntheticTurn], rng: random.Random) -> str:
    labels = ["I", *(f"R{n}" for n in range(1, speakers))]
    roles = rng.sample(ROLES, speakers - 1)
    lines = [_title(index, rng), "Deltagare:", "I: Intervjuare (forskare)"]
    lines += [f"{label}: {role}" for label, role in zip(labels[1:], roles, strict=True)]
    lines.append("")
    for turn in turns:
        paragraphs = _paragraphs(rng, turn.sentences)
        lines.append(f"{labels[turn.speaker]}: {paragraphs[0]}")
        lines += paragraphs[1:]  # continuation lines, as when a transcriber presses Enter
        lines.append("")
    return "\n".join(lines)


def _paragraphs(rng: random.Random, sentences: tuple[str, ...]) -> list[str]:
    """The sentences as one line, or two when a long turn gets a line break."""
    if len(sentences) >= 4 and rng.random() < 0.15:
        cut = rng.randrange(2, len(sentences) - 1)
        if sentences[cut] != "[skratt]":
            return [" ".join(sentences[:cut]), " ".join(sentences[cut:])]
    return [" ".join(sentences)]


def _otter(index: int, speakers: int, turns: list[SyntheticTurn], rng: random.Random) -> str:
    names = _names(rng, speakers)
    lines: list[str] = []
    for turn in turns:
        lines.append(f"{names[turn.speaker]}  {_clock(turn.start)}")
        lines += _paragraphs(rng, turn.sentences)
        lines.append("")
    return "\n".join(lines)


def _clock(seconds: float) -> str:
    """Otter's clock: ``M:SS`` under an hour, ``H:MM:SS`` after."""
    s = int(seconds)
    hours, rest = divmod(s, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _cue_time(seconds: float, separator: str) -> str:
    ms = round(seconds * 1000)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{ms:03d}"


def _cues(turns: list[SyntheticTurn], names: list[str]) -> list[tuple[float, float, str, str]]:
    """``(start, end, speaker, text)`` cues: a turn becomes consecutive cues of ~8–20 words."""
    cues = []
    for turn in turns:
        total = sum(len(s.split()) for s in turn.sentences)
        clock = turn.start
        chunk: list[str] = []
        words = 0
        for n, sentence in enumerate(turn.sentences):
            chunk.append(sentence)
            words += len(sentence.split())
            if words >= 8 or n == len(turn.sentences) - 1:
                duration = (turn.end - turn.start) * words / max(total, 1)
                cues.append((clock, clock + duration, names[turn.speaker], " ".join(chunk)))
                clock += duration
                chunk, words = [], 0
    return cues


def _vtt(index: int, speakers: int, turns: list[SyntheticTurn], rng: random.Random) -> str:
    names = _names(rng, speakers)
    parts = [
        "WEBVTT",
        "",
        "NOTE",
        _title(index, rng),
        "",
    ]
    for number, (start, end, name, text) in enumerate(_cues(turns, names), start=1):
        parts += [
            str(number),
            f"{_cue_time(start, '.')} --> {_cue_time(end, '.')}",
            f"{name}: {text}",
            "",
        ]
    return "\n".join(parts)


def _srt(index: int, speakers: int, turns: list[SyntheticTurn], rng: random.Random) -> str:
    names = _names(rng, speakers)
    parts: list[str] = []
    for number, (start, end, name, text) in enumerate(_cues(turns, names), start=1):
        parts += [str(number), f"{_cue_time(start, ',')} --> {_cue_time(end, ',')}"]
        parts += _wrapped(f"{name}: {text}", 60)
        parts.append("")
    return "\n".join(parts)


def _wrapped(text: str, width: int) -> list[str]:
    """Subtitle lines of at most ``width`` characters (a longer single word stays whole)."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--words", type=int, default=20_000, help="words per document")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    paths = generate_transcripts(args.out_dir, documents=args.documents, words_per_document=args.words, seed=args.seed)
    size = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} transcripts ({size / 1e6:.1f} MB) to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
