"""The search benchmark runs on small data: every kind of query is timed next to its FTS5 floor."""

from __future__ import annotations

import pytest

from tests.support.bench import load_bench


@pytest.mark.slow  # the benchmark's smoke run builds a small project
def test_quick_run_times_every_kind_of_query(capsys: pytest.CaptureFixture[str]) -> None:
    bench = load_bench("bench_search")
    assert bench.main(["--quick"]) == 0
    out = capsys.readouterr().out
    assert "built now in" in out and "4 documents x ~2,000 words" in out
    for kind in ("exact", "lemma", "compounds", "fuzzy"):
        assert f"  {kind:<10} median of its queries" in out
    for kind, _floor, request in bench.QUERIES:
        [row] = [line for line in out.splitlines() if line.startswith(f"  {kind:<10} {request.query:<20} ")]
        hits = row[len(f"  {kind:<10} {request.query:<20} ") :].split()[0]
        assert int(hits.replace(",", "")) > 0, row  # every query finds something in the generated talk
