#!/usr/bin/env python3
"""Generates (constraint, version) pairs and asks the Go oracle (Masterminds/semver)
for the answer. Output: cases.jsonl, one oracle answer per line.

usage: python3 generate.py [ORACLE]   (default: <repo>/.tools/oracle)
"""
import json, os, random, subprocess, sys

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.abspath(os.path.join(here, "../../../.."))
oracle = sys.argv[1] if len(sys.argv) > 1 else os.path.join(repo, ".tools/oracle")

constraints = [
    ">=1.2.0 <2.0.0", ">= 1.2, < 2", ">=1.2.0,<2.0.0", "^1.2", "^1.2.3", "^0.2.3", "^0.2", "^0.0.3",
    "^0.0", "^0", "^1", "^*", "~1.2.3", "~1.2", "~1", "~0.0.0", "~>1.2.3", "~*", "~2.x", "1.2 - 1.4.5",
    "1.2.3 - 2.3", "1 - 2", "v1.2.3", "=1.2.3", "1.2.3", "1.2", "1", "1.x", "1.2.x", "*", "x", "X",
    "!=1.2.3", "!=1.x", "!=1.2.x", ">1.2", ">1", ">1.2.3", "<1.2", "<=1.2", "<=1.2.3", "<=1", "=<1.2",
    "=>1.2", ">=1.2.0-0", ">=1.2.0-alpha <1.3.0", "^1.2.0-beta", "~1.2.3-beta.2", ">1.2.3-rc.1",
    "<2.0.0-0", "1.2.3-alpha", "!=1.2.3-alpha", ">=v1.0.0", "^v2", ">=1.0.0 || <0.5.0",
    ">=2.0.0 <3.0.0 || >=4.0.0", "~1.2 || ^3", ">=1.2.3-beta, <1.2.4", "1.2.x-beta", ">= 1.0", ">=1.0,",
    "", "foo", ">=1.0.0 !=1.5.0", "=>1.0 =<1.9", "~> 1.2", "^ 1.2", ">=01.2.3", "1.2.3-01", ">= 1.x",
    "<=1.x", ">1.x", "<1.x", "!=*", "1.2.3+build", ">=1.2.3+meta", "1.*.3", "x.2.3", ">=1.2 <=1.4 || 2.x",
    "1.0 - 2.0 || 3.0 - 4.0", "> 1.0.0-alpha.beta", ">=0.0.0-0", "< 1.0.0-alpha.1", "|| 1.0",
    ">=1.2.3 | <2", "~0.1", "^0.0.0", "v1.x", "V1.2", ">=1.0\n", ">1.2.3-18446744073709551615",
    "<1.2.3-99999999999999999999", ">=1.2.3-alpha.5", "!=1.2.3-beta.2", "1.2.3 - 1.2.3-rc.1",
]

versions = [
    "1.2.3", "1.2.0", "1.2", "1", "v1.2.3", "v1.3.0", "1.3.0", "1.4.5", "1.4.6", "1.9.9", "2.0.0",
    "2.3.0", "2.3.1", "0.2.3", "0.2.9", "0.3.0", "0.0.3", "0.0.4", "0.0.0", "0.1.0", "3.0.0", "4.1.0",
    "1.2.3-alpha", "1.2.3-beta", "1.2.3-beta.2", "1.2.3-beta.10", "1.2.3-rc.1", "1.2.4-rc.1",
    "1.2.0-beta", "1.3.0-alpha", "2.0.0-rc.1", "2.0.0-0", "1.0.0-alpha.beta", "1.0.0-alpha.1",
    "1.2.3+build.5", "1.2.3-beta+exp", "01.2.3", "1.02.3", "1.2.3-01", "1.2.3.4", "latest", "v",
    "V1.2.3", "1.2.3-", "", " 1.2.3", "1.5.0", "10.0.0", "1.10.0", "0.5.0", "0.4.9",
    "99999999999999999999.0.0", "1.2.3-99999999999999999999", "1.2.3-18446744073709551616.1",
    "1.2.3-18446744073709551615", "1.2.3-alpha.99999999999999999999", "1.2.3\n", "1.2.3-rc.1+build.2",
]

rng = random.Random(5)
pairs = set()
# Every constraint against a handful of versions, and every version against a handful of constraints.
for c in constraints:
    for v in rng.sample(versions, 8):
        pairs.add((c, v))
for v in versions:
    for c in rng.sample(constraints, 4):
        pairs.add((c, v))
# Prerelease identifiers too large for uint64 compare as text in Masterminds.
for c, v in [(">1.2.3-99999999999999999999", "1.2.3-100000000000000000000"),
             ("<1.2.3-99999999999999999999", "1.2.3-100000000000000000000"),
             (">1.2.3-99999999999999999999", "1.2.3--x"), ("<1.2.3-99999999999999999999", "1.2.3--x"),
             (">1.2.3-5", "1.2.3-99999999999999999999"), (">1.2.3-alpha", "1.2.3-99999999999999999999"),
             ("<1.2.3-alpha", "1.2.3-99999999999999999999"), (">=1.2.3-1.99999999999999999999", "1.2.3-1.100000000000000000000")]:
    pairs.add((c, v))
pairs = sorted(pairs)

lines = "".join(json.dumps({"constraint": c, "version": v}) + "\n" for c, v in pairs)
out = subprocess.run([oracle, "semver"], input=lines.encode(), capture_output=True, check=True).stdout
with open(os.path.join(here, "cases.jsonl"), "wb") as f:
    f.write(out)
print(f"{len(pairs)} cases written")
