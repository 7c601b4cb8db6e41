#!/usr/bin/env bash
# Runs the commands the docs show, as written, from the repository root, and reports each.
#
#   docs/check-commands.sh          the README's run command and every ```sh block of README.md and docs/*.md
#   docs/check-commands.sh --all    also the ```sh long blocks (the benchmarks: minutes each)
#
# What a block's info string means:
#   ```sh                 run with bash -e; must exit 0 within 15 minutes
#   ```sh long            run only with --all
#   ```sh needs="..."     not run: it needs what the quotes say (reported as not checked, with that reason)
# The README's first line (build, then start the gateway) is started, must answer
# https://127.0.0.1:8443/millwright/api/status (as admin, trusting data/tls/gateway.crt) within 120 s and must stop on SIGTERM within 60 s. The README's test
# command (./test.sh) is what CI runs (.ci/run): it is not run again here. A block that reads ../shared/data is not
# run when that folder is absent (reported as not checked).
#
# Exit status: 0 when every block that ran passed, 1 otherwise. Output of each command: target/check-commands/<n>.log
set -uo pipefail
cd "$(dirname "$0")/.."
all=false
[ "${1:-}" = "--all" ] && all=true
logs=target/check-commands
mkdir -p "$logs"
passed=0 failed=0 skipped=0 n=0
report=()

result() { # status, where, what
    report+=("$1  $2  $3")
    case "$1" in PASS) passed=$((passed + 1)) ;; FAIL) failed=$((failed + 1)) ;; *) skipped=$((skipped + 1)) ;; esac
    echo "check-commands: $1 $2: $3" >&2
}

run_block() { # where, info, text
    local where=$1 info=$2 text=$3 log
    n=$((n + 1))
    log="$logs/$n.log"
    local first
    first=$(printf '%s\n' "$text" | grep -v '^\s*#' | grep -v '^\s*$' | head -1)
    if [[ $info =~ needs=\"([^\"]*)\" ]]; then
        result "SKIP" "$where" "$first … (needs ${BASH_REMATCH[1]})"
        return
    fi
    if [[ $info == *long* ]] && ! $all; then
        result "SKIP" "$where" "$first … (long: run with --all)"
        return
    fi
    if [[ $text == *"../shared/data"* ]] && [ ! -d ../shared/data ]; then
        result "SKIP" "$where" "$first … (../shared/data not found)"
        return
    fi
    if timeout 900 bash -e -c "$text" > "$log" 2>&1; then
        result "PASS" "$where" "$first"
    else
        result "FAIL" "$where" "$first (exit $?; log $log)"
    fi
}

check_server() { # where, command line
    local where=$1 cmd=$2 log pid up=false
    n=$((n + 1))
    log="$logs/$n.log"
    setsid bash -c "$cmd" > "$log" 2>&1 &
    pid=$!
    for _ in $(seq 1 600); do # the build comes first: up to 10 minutes, then 120 s for the gateway
        if ! kill -0 "$pid" 2>/dev/null; then
            break
        fi
        if grep -q "console at" "$log" 2>/dev/null; then
            for _ in $(seq 1 120); do
                # as the README says: HTTPS with the generated certificate, logged in as admin
                if [ -f data/tls/gateway.crt ] && [ -f data/initial-admin-password ] && curl -sf --cacert data/tls/gateway.crt \
                        -u "admin:$(cat data/initial-admin-password)" -o /dev/null https://127.0.0.1:8443/millwright/api/status \
                        && curl -sf --cacert data/tls/gateway.crt -u "admin:$(cat data/initial-admin-password)" https://127.0.0.1:8443/ | grep -q "<title>Millwright"; then
                    up=true
                    break
                fi
                sleep 1
            done
            break
        fi
        sleep 1
    done
    if $up; then
        kill -TERM -- -"$pid" 2>/dev/null
        local stopped=false
        for _ in $(seq 1 60); do
            if ! kill -0 "$pid" 2>/dev/null; then stopped=true; break; fi
            sleep 1
        done
        if $stopped; then
            result "PASS" "$where" "$cmd (answered /millwright/api/status and the console, stopped on SIGTERM)"
        else
            kill -KILL -- -"$pid" 2>/dev/null
            result "FAIL" "$where" "$cmd (did not stop within 60 s of SIGTERM; log $log)"
        fi
    else
        kill -KILL -- -"$pid" 2>/dev/null
        result "FAIL" "$where" "$cmd (no answer from https://127.0.0.1:8443/millwright/api/status; log $log)"
    fi
}

# the README's first lines
run_line=$(sed -n '1,6p' README.md | grep '^Run the gateway' | sed 's/^[^`]*`\([^`]*\)`.*/\1/')
test_line=$(sed -n '1,6p' README.md | grep '^Run all tests' | sed 's/^[^`]*`\([^`]*\)`.*/\1/')
if [ -z "$run_line" ] || [ -z "$test_line" ]; then
    result "FAIL" "README.md:1-6" "the run and test commands are not on the README's first lines"
else
    check_server "README.md:3" "$run_line"
    result "SKIP" "README.md:5" "$test_line … (the test command is CI's own: .ci/run)"
fi

# every ```sh block
for file in README.md docs/*.md; do
    inside=false info="" text="" start=0 lineno=0
    while IFS= read -r line || [ -n "$line" ]; do
        lineno=$((lineno + 1))
        if ! $inside && [[ $line =~ ^\`\`\`sh([[:space:]].*)?$ ]]; then
            inside=true info="${line#\`\`\`sh}" text="" start=$lineno
        elif $inside && [[ $line == '```' ]]; then
            inside=false
            run_block "$file:$start" "$info" "$text"
        elif $inside; then
            text+="$line"$'\n'
        fi
    done < "$file"
done

echo
printf '%s\n' "${report[@]}"
echo "check-commands: $passed passed, $failed failed, $skipped not checked"
[ "$failed" -eq 0 ]
