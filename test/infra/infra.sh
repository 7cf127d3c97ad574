#!/usr/bin/env bash
# Usage: bash test/infra/infra.sh <component> <install|start|stop|status>
#        bash test/infra/infra.sh all <install|start|stop>
#        bash test/infra/infra.sh list          # the components: every folder here with an install.sh
set -euo pipefail
dir="$(cd "$(dirname "$0")" && pwd)"
components=()
for f in "$dir"/*/install.sh; do components+=("$(basename "$(dirname "$f")")"); done
if [ "${1:-}" = list ] && [ $# -eq 1 ]; then printf '%s\n' "${components[@]}"; exit 0; fi
[ $# -eq 2 ] || { echo "usage: $0 <component|all> <install|start|stop|status> | $0 list" >&2; exit 2; }
run_one() {
  local c="$1" step="$2"
  [ -x "$dir/$c/$step.sh" ] || [ -f "$dir/$c/$step.sh" ] || { echo "no $dir/$c/$step.sh" >&2; exit 2; }
  COMPONENT="$c" bash "$dir/$c/$step.sh"
}
if [ "$1" = all ]; then for c in "${components[@]}"; do run_one "$c" "$2"; done; else run_one "$1" "$2"; fi
