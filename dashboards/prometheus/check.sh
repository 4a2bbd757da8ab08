#!/usr/bin/env bash
# Checks the Prometheus rules: syntax (promtool check rules), behaviour (promtool test rules), and that they
# hang together — every alert has a severity, a summary, a description and a runbook_url pointing at its own
# section of dashboards/RUNBOOK.md, has a test where it fires and one where it does not, and every courier_*
# metric the rules use is registered in the node's Java sources or listed in pending-metrics.txt.
# Runs from any working directory. PROMTOOL=/path/to/promtool overrides the one on PATH.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

promtool="${PROMTOOL:-promtool}"
if ! command -v "$promtool" >/dev/null 2>&1; then
    echo "check.sh: promtool not found (looked for '$promtool'). Install it, e.g. 'apt-get install -y prometheus'" >&2
    echo "          on Debian/Ubuntu, or unpack a Prometheus release and set PROMTOOL=/path/to/promtool." >&2
    exit 127
fi

rules=(dashboards/prometheus/rules/*.yml)
tests=(dashboards/prometheus/tests/*.yml)
runbook=dashboards/RUNBOOK.md
failed=0
fail() { echo "FAIL: $*" >&2; failed=1; }

echo "== promtool check rules"
"$promtool" check rules "${rules[@]}"

echo "== promtool test rules"
"$promtool" test rules "${tests[@]}"

echo "== every alert: labels, annotations, runbook section, tests"
# One line per alert: name, then which of severity/summary/description/runbook_url it has (runbook_url's value).
alerts="$(awk '
    function flush() { if (name != "") print name, sev, sum, desc, (url == "" ? "-" : url); name = "" }
    FNR == 1 { flush() }
    /^[[:space:]]*- (alert|record):/ { flush(); sev = sum = desc = 0; url = "" }
    /^[[:space:]]*- alert:/ { name = $3 }
    name != "" && /^[[:space:]]+severity:/    { sev = 1 }
    name != "" && /^[[:space:]]+summary:/     { sum = 1 }
    name != "" && /^[[:space:]]+description:/ { desc = 1 }
    name != "" && /^[[:space:]]+runbook_url:/ { url = $2; gsub(/"/, "", url) }
    END { flush() }
' "${rules[@]}")"
[[ -n "$alerts" ]] || fail "no alerts found in ${rules[*]}"
# Test cases per alert: "<name> fires" or "<name> silent", from each alertname's exp_alerts.
cases="$(awk '
    /^[[:space:]]*alertname:/ { name = $2; next }
    name != "" && /^[[:space:]]*exp_alerts:[[:space:]]*\[\][[:space:]]*$/ { print name, "silent"; name = ""; next }
    name != "" && /^[[:space:]]*- exp_labels:/ { print name, "fires"; name = ""; next }
' "${tests[@]}")"
while read -r name sev sum desc url; do
    [[ "$sev" == 1 ]] || fail "$name: no severity label"
    [[ "$sum" == 1 ]] || fail "$name: no summary annotation"
    [[ "$desc" == 1 ]] || fail "$name: no description annotation"
    anchor="${name,,}"
    [[ "$url" == "$runbook#$anchor" ]] || fail "$name: runbook_url is '$url', expected '$runbook#$anchor'"
    grep -qx "## $name" "$runbook" || fail "$name: no '## $name' section in $runbook"
    grep -qx "$name fires" <<<"$cases" || fail "$name: no test where it fires"
    grep -qx "$name silent" <<<"$cases" || fail "$name: no test where it stays silent"
done <<<"$alerts"
while read -r name _; do
    [[ -z "$name" ]] || grep -q "^$name " <<<"$alerts" || fail "tests name alert '$name', which no rule defines"
done <<<"$cases"

echo "== every courier_* metric exists in the node or is listed as pending"
known="$(find . -path ./node_modules -prune -o -path '*/src/main/java/*' -name '*.java' -print0 \
    | xargs -0 grep -ohE '"courier_[a-z0-9_]+"' | tr -d '"' | sort -u)"
[[ -n "$known" ]] || fail "found no courier_* metric names in the Java sources"
# (grep finds nothing once every metric exists: that is fine, not a failure)
pending="$(sed -e 's/#.*//' -e 's/[[:space:]]//g' dashboards/prometheus/pending-metrics.txt | { grep -v '^$' || true; } | sort -u)"
used="$(sed -e 's/^[[:space:]]*#.*//' "${rules[@]}" | grep -ohE 'courier_[a-z0-9_]+' | sort -u)"
for m in $used; do
    base="$m"
    for suffix in _bucket _count _sum; do
        if [[ "$m" == *"$suffix" ]] && grep -qx "${m%"$suffix"}" <<<"$known"; then base="${m%"$suffix"}"; fi
    done
    grep -qx "$base" <<<"$known" || grep -qx "$base" <<<"$pending" \
        || fail "rules use $m, which the node does not register and pending-metrics.txt does not list"
done
for m in $pending; do
    grep -qx "$m" <<<"$known" && fail "$m is registered by the node now: remove it from pending-metrics.txt"
done

if [[ "$failed" != 0 ]]; then
    echo "check.sh: FAILED" >&2
    exit 1
fi
echo "check.sh: all rule checks passed"
