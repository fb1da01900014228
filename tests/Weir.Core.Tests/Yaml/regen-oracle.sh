#!/usr/bin/env bash
# Re-asks the Go oracle about the YAML test data and stores its answers (test data, committed):
#   oracle-answers.jsonl  sigs.k8s.io/yaml YAMLToJSON of every case in cases.jsonl ("json" or "error")
#   emit-answers.jsonl    sigs.k8s.io/yaml Marshal (Helm's toYaml) of each JSON answer above whose numbers
#                         survive float64 decoding; "expected" is the YAML with its final newline trimmed.
# Usage: regen-oracle.sh [ORACLE]   (default: $WEIR_ORACLE or <repo>/.tools/oracle)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
oracle="${1:-${WEIR_ORACLE:-$repo/.tools/oracle}}"
[ -x "$oracle" ] || bash "${WEIR_SHARED:-$repo/../shared}/oracles/go/build.sh" "$oracle"
"$oracle" yaml < "$here/cases.jsonl" > "$here/oracle-answers.jsonl"
python3 - "$here/oracle-answers.jsonl" > "$here/emit-requests.tmp" <<'PY'
import json, sys
def safe(v):
    if isinstance(v, bool) or v is None or isinstance(v, str): return True
    if isinstance(v, int): return abs(v) < 2**53
    if isinstance(v, float): return True
    if isinstance(v, list): return all(safe(x) for x in v)
    return all(safe(x) for x in v.values())
sys.setrecursionlimit(100000)
for line in open(sys.argv[1], encoding="utf-8"):
    c = json.loads(line)
    if "json" not in c or c["name"].startswith("limit/"):
        continue
    data = json.loads(c["json"])
    if not safe(data):
        continue
    print(json.dumps({"name": c["name"], "template": "{{ toYaml . }}", "data": data, "funcs": "helm"}, ensure_ascii=False))
PY
"$oracle" template < "$here/emit-requests.tmp" > "$here/emit-answers.jsonl"
rm -f "$here/emit-requests.tmp"
echo "wrote $(wc -l < "$here/oracle-answers.jsonl") parse answers, $(wc -l < "$here/emit-answers.jsonl") emit answers"
