#!/usr/bin/env bash
# Run make targets in parallel lanes, each lane's targets one after another, with each lane's
# output in its own log (printed whole once every lane has ended, so logs never interleave).
# Exits non-zero when any lane failed, naming it.
#   scripts/run_lanes.sh "e2e" "integration app-test molecule"
set -uo pipefail

log_dir=$(mktemp -d "${TMPDIR:-/tmp}/faith-lanes.XXXXXX")
pids=()
lanes=()
for lane in "$@"; do
    log="$log_dir/lane-${#lanes[@]}.log"
    # shellcheck disable=SC2086  # a lane is a space-separated list of make targets
    make --no-print-directory $lane >"$log" 2>&1 &
    pids+=("$!")
    lanes+=("$lane")
    echo "lane ${#lanes[@]} (make $lane) started, log: $log"
done

failed=()
for index in "${!pids[@]}"; do
    if ! wait "${pids[$index]}"; then
        failed+=("${lanes[$index]}")
    fi
done

# Lanes that passed first, failed ones last: the end of the output (all a CI summary may keep)
# is then the failure.
print_lane() {
    echo "=============================== make ${lanes[$1]} ==============================="
    cat "$log_dir/lane-$1.log"
}
for index in "${!lanes[@]}"; do
    [[ " ${failed[*]} " == *" ${lanes[$index]} "* ]] || print_lane "$index"
done
for index in "${!lanes[@]}"; do
    [[ " ${failed[*]} " == *" ${lanes[$index]} "* ]] && print_lane "$index"
done

if ((${#failed[@]})); then
    for lane in "${failed[@]}"; do
        echo "FAILED: make $lane"
    done
    exit 1
fi
echo "every lane passed"
