#!/usr/bin/env bash
# Smoke test of the coding workspace in a real terminal (tmux), ending the way a closed terminal does.
#
# Builds the sample project in a temporary folder, opens it with `mda-coder open` in a detached
# tmux session (140x45), waits for the transcript, codes turn 2 with key 1 (`j`, `1`), waits
# for the status bar to say "saved", kills the session abruptly (no clean quit: the app gets
# SIGHUP), and checks from a new process that the coding is in the project. Exits non-zero
# with a message saying what went wrong, and the screen as it was, on any failure.
#
#   bench/tmux_smoke.sh                 # from the repository root, with the venv in .venv
#   MDA_CODER_BIN=/path/to/mda-coder bench/tmux_smoke.sh
#   SMOKE_TIMEOUT=60 bench/tmux_smoke.sh
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${MDA_CODER_BIN:-.venv/bin/mda-coder}
python=${SMOKE_PYTHON:-.venv/bin/python}
timeout=${SMOKE_TIMEOUT:-30}
session=mda-smoke
socket="mda-smoke-$$"  # a tmux server of our own: the developer's sessions and tmux.conf stay out of it
dir=""
screen=""

say() { echo "tmux_smoke: $*"; }
fail() {
  echo "tmux_smoke: FAIL: $*" >&2
  if [ -n "$screen" ]; then
    printf '%s\n' "--- the screen at the time ---" "$screen" "------------------------------" >&2
  fi
  exit 1
}
cleanup() {
  tmux -L "$socket" kill-server >/dev/null 2>&1 || true
  if [ -n "$dir" ]; then rm -rf "$dir"; fi
}
trap cleanup EXIT

command -v tmux >/dev/null || fail "tmux is not installed: install it (Debian/Ubuntu: apt-get install -y tmux) and run again"
[ -x "$bin" ] || fail "$bin not found: set up the venv first (python3 -m venv .venv && .venv/bin/pip install -e '.[dev]')"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
dir=$(mktemp -d "${TMPDIR:-/tmp}/mda-smoke.XXXXXX")
project="$dir/s.mda"

tm() { tmux -L "$socket" "$@"; }
capture() { screen=$(tm capture-pane -p -t "$session" 2>/dev/null || true); }

# wait_for TEXT WHAT: poll the screen until TEXT shows; fail (with the screen) after $timeout s.
wait_for() {
  local text=$1 what=$2 deadline=$((SECONDS + timeout))
  while :; do
    capture
    case "$screen" in *"$text"*) return 0 ;; esac
    case "$screen" in *"[mda-coder exited"*) fail "mda-coder quit while waiting for $what" ;; esac
    [ "$SECONDS" -lt "$deadline" ] || fail "no $what on the screen after ${timeout} s (waiting for '$text')"
    sleep 0.2
  done
}

say "building the sample project in $project"
"$bin" demo "$project" --no-open >"$dir/demo.log" 2>&1 || { cat "$dir/demo.log" >&2; fail "'mda-coder demo' could not build the sample project"; }

# The shell around mda-coder keeps the pane open if it exits early, so that its error can be shown.
command="LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color '$bin' open '$project' --coder smoke;"
command+=" echo \"[mda-coder exited with status \$?]\"; sleep 600"
tm -f /dev/null -u new-session -d -s "$session" -x 140 -y 45 "$command" || fail "tmux could not start a session"
pid=$(tm display-message -p -t "$session" '#{pane_pid}')

say "waiting for the transcript"
wait_for "FG1_Norrvik" "document list"
wait_for "turn 1/" "transcript (status bar 'turn 1/…')"

say "coding turn 2 with key 1"
tm send-keys -t "$session" j
wait_for "turn 2/" "move to turn 2"
case "$screen" in *saved*) fail "the status bar says 'saved' before anything was coded" ;; esac
tm send-keys -t "$session" 1
wait_for "saved" "'saved' in the status bar"

say "killing the terminal (tmux kill-session)"
tm kill-session -t "$session"
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
! kill -0 "$pid" 2>/dev/null || fail "the pane's process $pid is still running after the session was killed"
screen=""

say "checking the project from a new process"
"$bin" codings list "$project" --coder smoke --json >"$dir/codings.json" 2>"$dir/codings.err" \
  || fail "'mda-coder codings list --coder smoke' failed: $(cat "$dir/codings.err")"
"$bin" turns "$project" FG1_Norrvik --json >"$dir/turns.json" || fail "'mda-coder turns' failed"
"$bin" codebook list "$project" --json >"$dir/codes.json" || fail "'mda-coder codebook list' failed"
"$python" - "$dir" <<'EOF' || fail "the coding is not in the project as expected (see above)"
import json, sys
from pathlib import Path

folder = Path(sys.argv[1])
codings = json.loads((folder / "codings.json").read_text())
turn = json.loads((folder / "turns.json").read_text())[1]
key_one = next(c["code"]["path"] for c in json.loads((folder / "codes.json").read_text()) if c["code"]["key"] == "1")
if len(codings) != 1:
    sys.exit(f"expected 1 coding by smoke, found {len(codings)}: {codings}")
coding = codings[0]
got = (coding["document"], coding["code_path"], coding["span"])
want = ("FG1_Norrvik", key_one, turn["span"])
if got != want:
    sys.exit(f"expected {want}, found {got}")
print(f"tmux_smoke: found {coding['code_path']} on FG1_Norrvik turn {turn['index']} ({turn['span']['start']}-{turn['span']['end']})")
EOF
say "ok"
