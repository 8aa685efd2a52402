"""Re-anchoring: a 2,000-turn transcript, 20,000 coded spans, 100 scattered corrections; against a bare diff.

Prints, as medians of N runs: the bare line diff (``difflib`` on the two texts' lines, nothing else), our
diff (lines, then words, then letters), and moving every span through it. The target (issue 16) is the
whole re-anchoring under 1 s.

    .venv/bin/python bench/bench_reanchor.py            # 2,000 turns, 20,000 spans, 100 edits, 5 runs
    .venv/bin/python bench/bench_reanchor.py --quick    # 200 turns, 2,000 spans, 10 edits, 3 runs
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from difflib import SequenceMatcher

from mda_coder.core.reanchor import diff, reanchor
from mda_coder.core.spans import Span

WORDS = (
    "jag tänker att tilltro är något man bygger med deltagaren över tid och det tar på en eftersom "
    "handläggaren har många ärenden samtidigt men försörjningsstödet räcker inte alltid till praktik"
).split()
CORRECTIONS = ("tiltro", "handläggarna", "", "Deltagaren", "försörjningsstöd", "praktiken")


def texts(turns: int, edits: int, seed: int) -> tuple[str, str]:
    """A transcript of ``turns`` turns (blank lines between, as transcribers write them) and a corrected copy."""
    rng = random.Random(seed)
    old_turns = [
        f"R{n % 6 + 1}: " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 80))) + "." for n in range(turns)
    ]
    new_turns = list(old_turns)
    for n in rng.sample(range(turns), edits):
        tokens = new_turns[n].split(" ")
        tokens[rng.randrange(1, len(tokens))] = rng.choice(CORRECTIONS)
        new_turns[n] = " ".join(tokens)
    return "\n\n".join(old_turns) + "\n", "\n\n".join(new_turns) + "\n"


def spans_in(text: str, count: int, seed: int) -> list[Span]:
    rng = random.Random(seed + 1)
    result = []
    for _ in range(count):
        start = rng.randrange(len(text) - 301)
        result.append(Span(start, start + rng.randint(5, 300)))
    return result


def median_ms(job: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        job()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=2000)
    parser.add_argument("--spans", type=int, default=20000)
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="200 turns, 2,000 spans, 10 edits, 3 runs")
    args = parser.parse_args(argv)
    if args.quick:
        args.turns, args.spans, args.edits, args.runs = 200, 2000, 10, 3
    old, new = texts(args.turns, args.edits, args.seed)
    spans = spans_in(old, args.spans, args.seed)
    edits = diff(old, new)

    def bare() -> object:
        return SequenceMatcher(None, old.splitlines(keepends=True), new.splitlines(keepends=True)).get_opcodes()

    floor = median_ms(bare, args.runs)
    ours = median_ms(lambda: diff(old, new), args.runs)
    moving = median_ms(lambda: reanchor(spans, edits), args.runs)
    whole = median_ms(lambda: reanchor(spans, diff(old, new)), args.runs)
    statuses = Counter(m.status for m in reanchor(spans, edits))
    print(
        f"{args.turns:,} turns ({len(old):,} characters), {args.spans:,} spans, {args.edits} corrections "
        f"({len(edits)} edited regions); medians of {args.runs} runs"
    )
    print(f"{'row':<34}{'ms':>10}{'× bare diff':>14}")
    for name, ms in (
        ("bare line diff (floor)", floor),
        ("diff: lines, words, letters", ours),
        ("move every span", moving),
        ("re-anchoring, diff and spans", whole),
    ):
        print(f"{name:<34}{ms:>10.1f}{ms / floor:>14.1f}")
    met = "met" if whole < 1000 else "MISSED"
    print(f"target: re-anchoring under 1 s: {met} ({whole / 1000:.2f} s)")
    print("spans: " + ", ".join(f"{status} {n:,}" for status, n in sorted(statuses.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
