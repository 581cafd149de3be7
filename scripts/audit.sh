#!/usr/bin/env bash
# make audit: pip-audit over the pinned runtime dependencies (requirements.lock).
# Exit 0: none has a known vulnerability. 1: one has (listed). 2: the vulnerability database could
# not be reached, so nothing was checked -- said plainly rather than passed off as a clean audit.
set -uo pipefail
bin=${1:-.venv/bin}
out=$(mktemp)
"$bin/pip-audit" --strict --no-deps --disable-pip --progress-spinner off -r requirements.lock >"$out" 2>&1
status=$?
if grep -qE "could not be audited|ConnectionError|Max retries exceeded|Failed to resolve|HTTPError" "$out"; then
  grep -m3 -E "could not be audited|Error" "$out" | sed 's/^/audit: /'
  echo "audit: UNCHECKED: the vulnerability database (PyPI's JSON API) could not be reached from here; run 'make audit' where it can."
  rm -f "$out"; exit 2
fi
grep -v "^WARNING" "$out"; rm -f "$out"
if [ $status -eq 0 ]; then echo "audit: no known vulnerabilities in requirements.lock"; else echo "audit: vulnerable dependencies are listed above"; fi
exit $status
