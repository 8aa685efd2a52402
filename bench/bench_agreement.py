"""Krippendorff's α on large reliability data, side by side with the `krippendorff` package, against a one-pass floor.

Three cases, each timed for both implementations on the same data in the same run, with the
values checked to agree to 1e-9:

  binary per code  30 codes × 100,000 units × 3 coders: one binary α per code, as `agree` computes
  nominal          one α over 30 categories, 100,000 units × 3 coders
  two coders       1,000,000 binary units × 2 coders

    .venv/bin/python bench/bench_agreement.py            # the sizes above, 3 runs (~1 min)
    .venv/bin/python bench/bench_agreement.py --quick    # a tenth of the units, 3 runs (~5 s)

The floor is one numpy pass that counts the present cells of the same input: no α can avoid
reading every cell once. Peak memory is VmHWM of a fresh child process per measurement.
"""

from __future__ import annotations

import argparse
import gc
import importlib.metadata
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import krippendorff
import numpy as np

from mda_coder.analysis.agreement import MISSING, krippendorff_alpha
from mda_coder.analysis.agreement.alpha import krippendorff_alphas

BINARY = np.array([0.0, 1.0])
TOLERANCE = 1e-9
UNITS_PER_DOCUMENT = 1_000


@dataclass(frozen=True)
class Row:
    case: str
    name: str
    seconds: list[float]
    cpu: list[float]
    values: list[float]
    floor: str
    """The name of the row this one is compared with (itself for a floor)."""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


# --- data ---------------------------------------------------------------------------------------


def binary_codes(rng: np.random.Generator, codes: int, units: int, coders: int) -> np.ndarray:
    """codes × units × coders int8: rare codes, coders who mostly see them, documents some coders skipped.

    Each code's prevalence is log-uniform in 1–20 %; a coder applies a present code with
    probability .85 and an absent one with .02. Units come in documents of 1,000, and each coder
    left each document uncoded with probability .1 (their values there are missing, as in `agree`).
    """
    prevalence = np.exp(rng.uniform(np.log(0.01), np.log(0.2), size=(codes, 1, 1)))
    truth = rng.random((codes, units, 1)) < prevalence
    applied = np.where(truth, rng.random((codes, units, coders)) < 0.85, rng.random((codes, units, coders)) < 0.02)
    stack = applied.astype(np.int8)
    skipped = rng.random((-(-units // UNITS_PER_DOCUMENT), coders)) < 0.1
    stack[:, np.repeat(skipped, UNITS_PER_DOCUMENT, axis=0)[:units]] = MISSING
    return stack


def nominal_values(rng: np.random.Generator, units: int, coders: int, categories: int) -> np.ndarray:
    """coders × units float64, NaN missing: category frequencies ∝ 1/rank, agreement .8, 10 % cells missing."""
    weights = 1.0 / np.arange(1, categories + 1)
    truth = rng.choice(categories, size=units, p=weights / weights.sum())
    values = np.where(rng.random((coders, units)) < 0.8, truth, rng.integers(0, categories, (coders, units)))
    values = values.astype(float)
    values[rng.random(values.shape) < 0.1] = np.nan
    return values


def as_floats(stack: np.ndarray) -> np.ndarray:
    """The package's layout for each code: codes × coders × units float64 with NaN for missing."""
    return np.where(stack == MISSING, np.nan, stack).astype(float).transpose(0, 2, 1).copy()


# --- the computations, shared by the timing and the memory children --------------------------------


def package_per_code(floats: np.ndarray) -> list[float]:
    return [
        float(krippendorff.alpha(reliability_data=f, level_of_measurement="nominal", value_domain=BINARY))
        for f in floats
    ]


def ours_batch(stack: np.ndarray) -> list[float]:
    return [_value(r.value) for r in krippendorff_alphas(stack)]


def ours_per_code(floats: np.ndarray) -> list[float]:
    return [_value(krippendorff_alpha(f.T).value) for f in floats]


def package_one(values: np.ndarray) -> list[float]:
    domain = np.unique(values[~np.isnan(values)])
    if len(domain) == 2:
        domain = BINARY
    return [float(krippendorff.alpha(reliability_data=values, level_of_measurement="nominal", value_domain=domain))]


def ours_one(values: np.ndarray) -> list[float]:
    return [_value(krippendorff_alpha(values.T).value)]


def floor_float(values: np.ndarray) -> list[float]:
    return [float(np.count_nonzero(~np.isnan(values)))]


def floor_int(stack: np.ndarray) -> list[float]:
    return [float(np.count_nonzero(stack >= 0))]


def _value(value: float | None) -> float:
    if value is None:
        raise AssertionError("α came out undefined on benchmark data")
    return value


COMPUTATIONS: dict[str, Callable[[np.ndarray], list[float]]] = {
    "package_per_code": package_per_code,
    "ours_batch": ours_batch,
    "ours_per_code": ours_per_code,
    "package_one": package_one,
    "ours_one": ours_one,
}


# --- timing -------------------------------------------------------------------------------------


def measure(plan: list[tuple[str, str, str, Callable[[], list[float]]]], repeat: int) -> list[Row]:
    """Every row `repeat` times, interleaved round by round so that drift hits every row alike."""
    wall: dict[tuple[str, str], list[float]] = {}
    cpu: dict[tuple[str, str], list[float]] = {}
    values: dict[tuple[str, str], list[float]] = {}
    for _ in range(repeat):
        gc.collect()
        for case, name, _, run in plan:
            started, started_cpu = time.perf_counter(), time.process_time()
            values[case, name] = run()
            wall.setdefault((case, name), []).append(time.perf_counter() - started)
            cpu.setdefault((case, name), []).append(time.process_time() - started_cpu)
    return [
        Row(case, name, wall[case, name], cpu[case, name], values[case, name], floor) for case, name, floor, _ in plan
    ]


def check_agreement(rows: list[Row]) -> dict[str, float]:
    """Largest |ours − package| per case; stops the bench if any exceeds 1e-9."""
    worst: dict[str, float] = {}
    for case in dict.fromkeys(r.case for r in rows):
        package = next(r for r in rows if r.case == case and r.name.startswith("package"))
        for row in rows:
            if row.case == case and row.name.startswith("ours"):
                gap = max(abs(a - b) for a, b in zip(row.values, package.values, strict=True))
                if gap > TOLERANCE:
                    raise SystemExit(f"{case}: {row.name} differs from the package by {gap:.3g}")
                worst[case] = max(worst.get(case, 0.0), gap)
    return worst


# --- memory -------------------------------------------------------------------------------------


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


def memory_child(kind: str, path: Path) -> int:
    """Load the input, note the resident size, compute once, report the peak above it."""
    data = np.load(path)
    before = _status_mb("VmRSS")
    COMPUTATIONS[kind](data)
    print(json.dumps({"before": before, "peak": _status_mb("VmHWM")}))
    return 0


def child_peak(kind: str, path: Path) -> float | None:
    """MB a fresh process needed beyond its loaded input; None if the child failed."""
    done = subprocess.run(
        [sys.executable, __file__, "--memory-child", kind, str(path)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        print(f"note: memory child {kind} {path.name} failed: {done.stderr.strip().splitlines()[-1:]}")
        return None
    got = json.loads(done.stdout.strip().splitlines()[-1])
    return max(0.0, got["peak"] - got["before"])


# --- report -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--units", type=int, default=100_000, help="units of the binary-per-code and nominal cases")
    parser.add_argument("--codes", type=int, default=30)
    parser.add_argument("--coders", type=int, default=3)
    parser.add_argument("--categories", type=int, default=30)
    parser.add_argument("--pair-units", type=int, default=1_000_000, help="units of the two-coder case")
    parser.add_argument("--repeat", type=int, default=3, help="runs per row; the median is reported (at least 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="a tenth of the units")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory children")
    parser.add_argument("--memory-child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_child:
        return memory_child(args.memory_child[0], Path(args.memory_child[1]))
    if args.quick:
        args.units, args.pair_units = args.units // 10, args.pair_units // 10
    args.repeat = max(3, args.repeat)

    rng = np.random.default_rng(args.seed)
    started = time.perf_counter()
    stack = binary_codes(rng, args.codes, args.units, args.coders)
    floats = as_floats(stack)
    nominal = nominal_values(rng, args.units, args.coders, args.categories)
    pair_stack = binary_codes(rng, 1, args.pair_units, 2)
    pair = as_floats(pair_stack)[0]
    generated = time.perf_counter() - started

    a = f"binary per code: {args.codes} codes × {args.units:,} units × {args.coders} coders"
    b = f"nominal: {args.categories} categories, {args.units:,} units × {args.coders} coders"
    c = f"two coders: {args.pair_units:,} binary units × 2 coders"
    plan: list[tuple[str, str, str, Callable[[], list[float]]]] = [
        (a, "floor, int8 codes", "floor, int8 codes", lambda: floor_int(stack)),
        (a, "ours, int8 codes, one batch", "floor, int8 codes", lambda: ours_batch(stack)),
        (a, "floor, float64 per code", "floor, float64 per code", lambda: [floor_float(f)[0] for f in floats]),
        (a, "ours, float64 per code", "floor, float64 per code", lambda: ours_per_code(floats)),
        (a, "package, float64 per code", "floor, float64 per code", lambda: package_per_code(floats)),
        (b, "floor, float64", "floor, float64", lambda: floor_float(nominal)),
        (b, "ours, float64", "floor, float64", lambda: ours_one(nominal)),
        (b, "package, float64", "floor, float64", lambda: package_one(nominal)),
        (c, "floor, int8 codes", "floor, int8 codes", lambda: floor_int(pair_stack)),
        (c, "ours, int8 codes", "floor, int8 codes", lambda: ours_batch(pair_stack)),
        (c, "floor, float64", "floor, float64", lambda: floor_float(pair)),
        (c, "ours, float64", "floor, float64", lambda: ours_one(pair)),
        (c, "package, float64", "floor, float64", lambda: package_one(pair)),
    ]
    for _, _, _, run in plan:  # untimed warm-up: imports, first-call allocations
        run()
    load_before = os.getloadavg()[0]
    rows = measure(plan, args.repeat)
    load_after = os.getloadavg()[0]
    worst = check_agreement(rows)

    memory: list[tuple[str, str, str]] = []
    if not args.no_memory:
        memory = measure_memory(args, rng)
    report(args, rows, worst, memory, generated, (load_before, load_after))
    return 0


def measure_memory(args: argparse.Namespace, rng: np.random.Generator) -> list[tuple[str, str, str]]:
    """Peak MB above the loaded input, ours and the package's, each in a fresh child."""
    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="mda-bench-agreement-") as tmp:
        folder = Path(tmp)
        for codes in (args.codes, 4 * args.codes):
            stack = binary_codes(rng, codes, args.units, args.coders)
            np.save(folder / "stack.npy", stack)
            np.save(folder / "floats.npy", as_floats(stack))
            del stack
            rows.append(
                (
                    f"binary per code, {codes} codes × {args.units:,} units",
                    _mb(child_peak("ours_batch", folder / "stack.npy")),
                    _mb(child_peak("package_per_code", folder / "floats.npy")),
                )
            )
        for categories in (args.categories // 3, args.categories, 4 * args.categories):
            np.save(folder / "nominal.npy", nominal_values(rng, args.units, args.coders, categories))
            # The package builds units × categories² float64 arrays, several at once: past 30
            # categories that is gigabytes on a shared machine, so it is stated, not run.
            square = args.units * categories**2 * 8 / 1e6
            package = (
                _mb(child_peak("package_one", folder / "nominal.npy"))
                if categories <= 30
                else f"not run: one units × k² array is {square:,.0f}"
            )
            rows.append(
                (
                    f"nominal, {categories} categories × {args.units:,} units",
                    _mb(child_peak("ours_one", folder / "nominal.npy")),
                    package,
                )
            )
        np.save(folder / "pair.npy", as_floats(binary_codes(rng, 1, args.pair_units, 2))[0])
        rows.append(
            (
                f"two coders, {args.pair_units:,} units",
                _mb(child_peak("ours_one", folder / "pair.npy")),
                _mb(child_peak("package_one", folder / "pair.npy")),
            )
        )
    return rows


def report(
    args: argparse.Namespace,
    rows: list[Row],
    worst: dict[str, float],
    memory: list[tuple[str, str, str]],
    generated: float,
    load: tuple[float, float],
) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console()
    info = Table(show_header=False, box=None, pad_edge=False)
    for key, value in (
        ("cores", f"{os.cpu_count()} (affinity {len(os.sched_getaffinity(0))})"),
        ("platform", platform.platform()),
        ("Python", platform.python_version()),
        ("numpy", np.__version__),
        ("krippendorff", importlib.metadata.version("krippendorff")),
        ("data", f"seed {args.seed}, generated in {generated:.1f} s (untimed)"),
        ("load average", f"{load[0]:.2f} before timing, {load[1]:.2f} after (other work on the cores)"),
    ):
        info.add_row(key, value)
    console.print(info)

    by_name = {(r.case, r.name): r for r in rows}
    for case in dict.fromkeys(r.case for r in rows):
        table = Table(
            title=f"{case}: median of {args.repeat} runs",
            box=box.SIMPLE_HEAD,
            caption=f"largest |ours − package| {worst.get(case, 0):.1e}",
        )
        for column in ("row", "median ms", "min–max ms", "CPU ms", "× floor", "package ÷ row"):
            table.add_column(column, justify="left" if column == "row" else "right", no_wrap=True)
        package = next(r for r in rows if r.case == case and r.name.startswith("package"))
        for row in (r for r in rows if r.case == case):
            table.add_row(
                row.name,
                f"{row.median * 1e3:,.1f}",
                f"{min(row.seconds) * 1e3:,.1f}–{max(row.seconds) * 1e3:,.1f}",
                f"{statistics.median(row.cpu) * 1e3:,.1f}",
                f"{row.median / by_name[case, row.floor].median:,.1f}",
                "" if row.name.startswith("floor") else f"{package.median / row.median:,.1f}",
            )
        console.print(table)
    if memory:
        peak = Table(title="Peak memory above the loaded input (VmHWM − VmRSS, fresh child each)", box=box.SIMPLE_HEAD)
        for column in ("input", "ours MB", "package MB"):
            peak.add_column(column, justify="left" if column == "input" else "right", no_wrap=True)
        for name, ours, package in memory:
            peak.add_row(name, ours, package)
        console.print(peak)


def _mb(value: float | None) -> str:
    return "failed" if value is None else f"{value:,.1f}"


if __name__ == "__main__":
    sys.exit(main())
