#!/usr/bin/env python3
"""Writes cases.jsonl: tricky YAML documents for the sigs.k8s.io/yaml comparison (run regen-oracle.sh after)."""
import json, os

cases = []
def add(name, yaml):
    cases.append({"name": name, "yaml": yaml})

# Scalars in value position, one case per spelling.
for s in ["y", "Y", "yes", "Yes", "YES", "yEs", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "tRUE",
          "false", "False", "FALSE", "on", "On", "ON", "oN", "off", "Off", "OFF"]:
    add(f"bool/{s}", f"a: {s}\n")
for s in ["~", "null", "Null", "NULL", "nULL", "", "''", '""', "'~'"]:
    add(f"null/{s or 'empty'}", f"a: {s}\n")
for s in ["0", "-0", "+12", "012", "0o17", "0O17", "0x1F", "0X1f", "-0x1F", "+0x1F", "0b1010", "-0b1010", "0B11",
          "08", "09", "0777", "-0777", "1_000", "0x_1F", "1__0", "_1", "1_", "0x", "0o", "0o8", "0b2",
          "9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616",
          "-9223372036854775808", "-9223372036854775809", "99999999999999999999999", "0xFFFFFFFFFFFFFFFF",
          "0x10000000000000000", "1:30", "190:20:30", "0.1.2", "1e", "1e3", "1E3", "1e+3", "1.5e-3", "1.", ".5",
          "-.5", "+.5", "1.0", "-0.0", "0.0", "3.14159", "1e400", "-1e400", "1e-400", "12e03", "+1e3",
          "6.8523015e+5", "685.230_15e+03", "685_230.15", "1_000.5", "._5", ".5_0", "1.10", "1.20.0", "08080",
          "01234", "0xdeadbeef", "1_2_3", "+", "-", ".", "-.", "+-1", "--1", "0.", "00", "-00", "0e0",
          "123456789012345678901234567890.5", "4.9e-324", "1.7976931348623157e308", "1.7976931348623159e308"]:
    add(f"number/{s or 'empty'}", f"a: {s}\n")
for s in [".inf", ".Inf", ".INF", "+.inf", "-.inf", "-.Inf", ".nan", ".NaN", ".NAN", ".infinity", ".iNf", "inf", "nan", "NaN", "Infinity"]:
    add(f"special-float/{s}", f"a: {s}\n")
add("special-float/nan-overwritten", "a: .nan\na: 1\n")
add("special-float/nan-in-seq", "- 1\n- .nan\n")
add("special-float/inf-key", ".inf: a\n-.inf: b\n")
add("special-float/nan-key", ".nan: a\n")
add("special-float/quoted-inf", "a: '.inf'\nb: \".nan\"\n")

# Timestamps stay strings.
for s in ["2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10", "2002-12-14", "2001-12-15T02:59:43.1Z",
          "2001-12-14 21:59:43.10 -5", "2001-13-01", "2001-02-30", "2001-1-2", "20011-01-01", "2001-12-14T25:00:00Z"]:
    add(f"timestamp/{s}", f"a: {s}\n")
add("timestamp/tagged", "a: !!timestamp 2001-12-14\n")
add("timestamp/tagged-datetime", "a: !!timestamp 2001-12-14T21:59:43Z\n")
add("timestamp/tagged-bad", "a: !!timestamp foo\n")
add("timestamp/tagged-bad-month", "a: !!timestamp 2001-13-14\n")
add("timestamp/key", "2001-12-14: a\n")

# Keys of every type.
add("key/bool-yes", "yes: 1\nno: 2\n")
add("key/bool-on", "on: 1\nOff: 2\n")
add("key/int", "1: a\n-2: b\n")
add("key/hex", "0x10: a\n")
add("key/octal", "010: a\n")
add("key/float", "1.5: a\n")
add("key/float-precision", "3.14159265358979: a\n")
add("key/float-exp", "1e20: a\n")
add("key/float-small", "0.0001: a\n0.00001: b\n")
add("key/float-million", "1e6: a\n")
add("key/float-big-mantissa", "123456789.0: a\n")
add("key/float-huge", "1e300: a\n")
add("key/float-negzero", "-0.0: a\n")
add("key/float-one", "1.0: a\n")
add("key/uint64", "18446744073709551615: a\n")
add("key/int-min", "-9223372036854775808: a\n")
add("key/null-tilde", "~: a\n")
add("key/null-word", "null: a\n")
add("key/null-empty", ": a\n")
add("key/null-quoted", "\"null\": a\n")
add("key/seq", "[a, b]: c\n")
add("key/map", "{a: 1}: c\n")
add("key/complex-scalar", "? a\n: b\n")
add("key/complex-seq", "? - a\n  - b\n: c\n")
add("key/quoted-int", "'1': a\n")
add("key/tagged-str", "!!str 1: a\n")
add("key/binary", "!!binary aGk=: a\n")
add("key/unicode", "ключ: значение\n日本: 語\n")
add("key/empty-string", "'': a\n")
add("key/long", "k" * 1100 + ": a\n")
add("key/long-ok", "k" * 1000 + ": a\n")
add("key/spaces", "a b c: d\n")
add("key/colon-inside", "a:b: c\n")

# Duplicates: last wins in sigs.k8s.io/yaml.
add("dup/simple", "a: 1\na: 2\n")
add("dup/nested", "a:\n  b: 1\n  b: 2\n")
add("dup/bool-spellings", "yes: 1\ntrue: 2\n")
add("dup/map-replaced", "a: {x: 1}\na: {y: 2}\n")
add("dup/flow", "{a: 1, a: 2}\n")

# Strings and quoting.
add("string/quoted-number", "a: '1'\nb: \"2\"\n")
add("string/quoted-bool", "a: 'yes'\nb: \"true\"\n")
add("string/colon-no-space", "a: b:c\n")
add("string/url", "a: http://example.com:8080/x?y=z#frag\n")
add("string/comment-after", "a: b # comment\n")
add("string/hash-inside", "a: b#c\n")
add("string/single-escape", "a: 'it''s'\n")
add("string/double-escapes", 'a: "tab\\there\\nnew \\u263A \\x41 \\U0001F600 \\_ \\N \\L \\P \\0 \\e \\/"\n')
add("string/double-bad-escape", 'a: "\\q"\n')
add("string/plain-multiline", "a: one\n  two\n\n  three\n")
add("string/double-multiline", 'a: "one\n  two\\\n  three\n\n  four"\n')
add("string/single-multiline", "a: 'one\n  two\n\n  three'\n")
add("string/unicode", "a: héllo wörld ✓\n")
add("string/emoji", "a: 😀 smile\n")
add("string/leading-space-quoted", "a: '  x  '\n")
add("string/at-sign", "a: @foo\n")
add("string/backtick", "a: `foo\n")
add("string/percent", "a: 50%\n")
add("string/dash", "a: -\n")
add("string/dash-word", "a: -foo\n")
add("string/question", "a: ?foo\n")
add("string/star-quoted", "a: '*'\n")
add("string/ampersand-inside", "a: b&c\n")
add("string/exclaim-inside", "a: b!c\n")
add("string/tab-inside", "a: b\tc\n")
add("string/trailing-tab", "a: b\t\n")
add("string/brackets-inside", "a: b[c]{d}\n")
add("string/equals", "a: =\n")
add("string/lt-lt-value", "a: <<\n")
add("string/very-long", "a: " + " ".join(["word"] * 300) + "\n")
add("string/null-char-escape", 'a: "x\\0y"\n')
add("string/nbsp", "a: x\u00a0y\n")
add("string/raw-del", "a: x\x7fy\n")
add("string/raw-control", "a: x\x01y\n")
add("string/raw-bom-inside", "a: x\ufeffy\n")

# Block scalars.
add("block/literal", "a: |\n  line1\n  line2\n")
add("block/literal-strip", "a: |-\n  line1\n  line2\n\n")
add("block/literal-keep", "a: |+\n  line1\n  line2\n\n\nb: 1\n")
add("block/literal-keep-eof", "a: |+\n  x\n\n")
add("block/folded", "a: >\n  one\n  two\n\n  three\n    indented\n  four\n")
add("block/folded-strip", "a: >-\n  one\n  two\n")
add("block/folded-keep", "a: >+\n  one\n\n")
add("block/indent-indicator", "a: |2\n    two extra\n  base\n")
add("block/leading-blank", "a: |\n\n  after blank\n")
add("block/empty", "a: |\nb: 1\n")
add("block/empty-keep", "a: |+\n\nb: 1\n")
add("block/in-seq", "- |\n  x\n  y\n- >-\n  a\n  b\n")
add("block/trailing-spaces", "a: |\n  x  \n  y\n")
add("block/tabs", "a: |\n  \tx\n")
add("block/top-level", "|\n  just text\n")
add("block/bad-indent", "a: |\n  x\n y\n")
add("block/comment-like", "a: |\n  # not a comment\n  x\n")

# Tags.
add("tag/str-int", "a: !!str 123\n")
add("tag/int-quoted", "a: !!int \"12\"\n")
add("tag/int-bad", "a: !!int abc\n")
add("tag/int-float", "a: !!int 1.5\n")
add("tag/float-int", "a: !!float 1\n")
add("tag/float-quoted", "a: !!float '1.5'\n")
add("tag/float-bad", "a: !!float abc\n")
add("tag/float-uint", "a: !!float 18446744073709551615\n")
add("tag/float-inf", "a: !!float .inf\n")
add("tag/bool-yes", "a: !!bool yes\n")
add("tag/bool-bad", "a: !!bool 1\n")
add("tag/null-empty", "a: !!null ''\n")
add("tag/null-tilde", "a: !!null ~\n")
add("tag/null-bad", "a: !!null foo\n")
add("tag/binary", "a: !!binary aGVsbG8=\n")
add("tag/binary-block", "a: !!binary |\n  aGVsbG8g\n  d29ybGQ=\n")
add("tag/binary-bad", "a: !!binary not*base64\n")
add("tag/binary-space", "a: !!binary 'aGVs bG8='\n")
add("tag/custom", "a: !foo bar\n")
add("tag/custom-number", "a: !foo 12\n")
add("tag/nonspecific", "a: ! 12\n")
add("tag/nonspecific-quoted", "a: ! '12'\n")
add("tag/verbatim", "a: !<tag:yaml.org,2002:int> 12\n")
add("tag/verbatim-str", "a: !<tag:yaml.org,2002:str> 12\n")
add("tag/directive", "%TAG !e! tag:example.com,2000:\n---\na: !e!foo 1\n")
add("tag/directive-yaml", "%TAG !y! tag:yaml.org,2002:\n---\na: !y!str 1\n")
add("tag/undefined-handle", "a: !x!foo 1\n")
add("tag/map", "a: !!map {b: 1}\n")
add("tag/seq", "a: !!seq [1, 2]\n")
add("tag/str-on-map", "a: !!str {b: 1}\n")
add("tag/only-tag", "a: !!str\nb: 1\n")
add("tag/only-anchor", "a: &x\nb: *x\n")
add("tag/int-uint", "a: !!int 18446744073709551615\n")
add("tag/merge-tag", "base: &b {x: 1}\nc:\n  !!merge <<: *b\n  y: 2\n")
add("tag/str-empty", "a: !!str ''\n")

# Anchors and aliases.
add("alias/scalar", "a: &x 1\nb: *x\n")
add("alias/map", "a: &x {p: 1, q: [1, 2]}\nb: *x\n")
add("alias/seq", "a: &x [1, 2]\nb: [*x, *x]\n")
add("alias/redefined", "a: &x 1\nb: *x\nc: &x 2\nd: *x\n")
add("alias/unknown", "a: *nope\n")
add("alias/as-key", "a: &k key\n*k : v\n")
add("alias/map-as-key", "a: &k {x: 1}\n? *k\n: v\n")
add("alias/self", "a: &x [1, *x]\n")
add("alias/self-map", "a: &x\n  b: *x\n")
add("alias/nested-chain", "a: &a [1]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n")
add("alias/quoted-scalar", "a: &x 'yes'\nb: *x\n")
add("alias/anchor-on-null", "a: &x ~\nb: *x\n")
add("alias/across-docs", "a: &x 1\n---\nb: *x\n")
add("alias/flow-anchor", "[&x a, *x, &y {b: 1}, *y]\n")

# Merge keys.
add("merge/basic", "base: &b\n  x: 1\n  y: 2\nchild:\n  <<: *b\n  y: 3\n")
add("merge/explicit-before-merge", "base: &b\n  x: 1\n  y: 2\nchild:\n  y: 3\n  <<: *b\n")
add("merge/list", "a: &a {x: 1, y: 1}\nb: &b {y: 2, z: 2}\nc:\n  <<: [*a, *b]\n  w: 0\n")
add("merge/list-order", "a: &a {k: a}\nb: &b {k: b}\nc:\n  <<: [*b, *a]\n")
add("merge/inline-map", "c:\n  <<: {x: 1}\n  y: 2\n")
add("merge/inline-list", "c:\n  <<: [{x: 1}, {x: 2, y: 2}]\n")
add("merge/scalar-alias", "a: &a 1\nc:\n  <<: *a\n")
add("merge/scalar", "c:\n  <<: 1\n")
add("merge/null", "c:\n  <<: ~\n")
add("merge/list-with-scalar", "a: &a {x: 1}\nc:\n  <<: [*a, 2]\n")
add("merge/list-with-seq-alias", "a: &a [1]\nc:\n  <<: [*a]\n")
add("merge/nested", "a: &a {x: 1}\nb: &b\n  <<: *a\n  y: 2\nc:\n  <<: *b\n  z: 3\n")
add("merge/quoted-key", "c:\n  '<<': {x: 1}\n")
add("merge/flow", "a: &a {x: 1}\nc: {<<: *a, y: 2}\n")
add("merge/two-merges", "a: &a {x: 1}\nb: &b {x: 2}\nc:\n  <<: *a\n  <<: *b\n")
add("merge/value-lt", "a: <<\n")

# Flow collections.
add("flow/seq", "[1, two, 3.0, true, ~]\n")
add("flow/map", "{a: 1, b: two}\n")
add("flow/nested", "{a: [1, {b: [2, 3]}], c: {}}\n")
add("flow/trailing-comma", "[1, 2, ]\n")
add("flow/map-trailing-comma", "{a: 1, }\n")
add("flow/keys-no-values", "{a, b}\n")
add("flow/pair-in-seq", "[a: 1, b: 2]\n")
add("flow/empty", "a: []\nb: {}\n")
add("flow/multiline", "a: [1,\n  2,\n  3]\n")
add("flow/quoted", "{\"a\": 'b', 'c': \"d\"}\n")
add("flow/json", '{"kind": "ConfigMap", "data": {"x": "1"}, "n": [1.5, -2, null, false]}\n')
add("flow/unclosed", "[1, 2\n")
add("flow/unclosed-map", "{a: 1\n")
add("flow/extra-close", "[1]]\n")
add("flow/colon-url", "[http://a.b/c]\n")
add("flow/plain-with-colon", "{a:b}\n")

# Layout, documents, comments.
add("doc/empty", "")
add("doc/only-comment", "# nothing here\n")
add("doc/only-marker", "---\n")
add("doc/empty-then-doc", "---\n---\na: 1\n")
add("doc/two", "a: 1\n---\nb: 2\n")
add("doc/end-marker", "a: 1\n...\n")
add("doc/start-with-content", "--- {a: 1}\n")
add("doc/start-with-text", "--- text\n")
add("doc/start-literal", "--- |\n  text\n")
add("doc/top-scalar", "hello\n")
add("doc/top-int", "42\n")
add("doc/top-null", "~\n")
add("doc/top-seq", "- 1\n- a\n")
add("doc/bom", "\ufeffa: 1\n")
add("doc/crlf", "a: 1\r\nb:\r\n  - x\r\n  - y\r\n")
add("doc/crlf-literal", "a: |\r\n  x\r\n  y\r\n")
add("doc/comments-everywhere", "# c\na: 1 # c\n# c\nb: # c\n  - 2 # c\n")
add("doc/trailing-spaces", "a: 1   \nb: x  \n")
add("doc/no-final-newline", "a: 1")
add("doc/yaml-directive-11", "%YAML 1.1\n---\na: 1\n")
add("doc/yaml-directive-12", "%YAML 1.2\n---\na: 1\n")
add("doc/yaml-directive-20", "%YAML 2.0\n---\na: 1\n")
add("doc/yaml-directive-dup", "%YAML 1.1\n%YAML 1.1\n---\na: 1\n")
add("doc/directive-without-start", "%YAML 1.1\na: 1\n")
add("doc/reserved-directive", "%FOO bar\n---\na: 1\n")

# Indentation and structure.
add("layout/seq-at-parent-indent", "a:\n- 1\n- 2\nb: 3\n")
add("layout/seq-indented", "a:\n  - 1\n  - 2\n")
add("layout/seq-of-seq", "- - a\n  - b\n- - c\n")
add("layout/seq-of-maps", "- a: 1\n  b: 2\n- c: 3\n")
add("layout/empty-seq-item", "- \n- a\n-\n")
add("layout/nested-deep", "a:\n  b:\n    c:\n      d:\n        e: 1\n")
add("layout/tab-indent", "a:\n\tb: 1\n")
add("layout/tab-after-colon", "a:\tb\n")
add("layout/tab-before-value", "a: \t1\n")
add("layout/bad-indent", "a:\n  b: 1\n c: 2\n")
add("layout/mapping-values-not-allowed", "a: b: c\n")
add("layout/seq-then-map", "- a\nb: c\n")
add("layout/map-then-seq", "a: 1\n- b\n")
add("layout/dash-no-space", "-a\n")
add("layout/key-no-space", "a:1\n")
add("layout/unclosed-double", "a: \"abc\n")
add("layout/unclosed-single", "a: 'abc\n")
add("layout/value-dash-seq-inline", "a: - b\n")
add("layout/indented-root", "  a: 1\n  b: 2\n")
add("layout/explicit-key-seq", "? a\n? b\n")
add("layout/anchor-on-seq-item", "- &x a\n- *x\n")
add("layout/question-plain", "?a: 1\n")
add("layout/reserved-at", "a: b\n@c: d\n")
add("layout/pipe-in-value", "a: x|y\n")
add("layout/document-end-inside", "a:\n...\n")

# Kubernetes-shaped documents.
add("k8s/deployment", """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
    tier: "frontend"
  annotations:
    enabled: "true"
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.25
        args: ["--port", "8080", --verbose]
        ports:
        - containerPort: 8080
          protocol: TCP
        env:
        - name: DEBUG
          value: "no"
        - name: COUNT
          value: '010'
        resources:
          limits:
            cpu: 500m
            memory: 1Gi
          requests:
            cpu: 0.5
""")
add("k8s/configmap", """apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
data:
  on: "yes"
  port: "8080"
  script: |
    #!/bin/sh
    echo "hi"
  json: '{"a": 1}'
  empty: ""
""")
add("k8s/secret-binary", "apiVersion: v1\nkind: Secret\ndata:\n  k: aGVsbG8=\nstringData:\n  p: !!binary aGVsbG8=\n")
add("k8s/crd-like", "spec:\n  versions:\n  - name: v1\n    schema:\n      openAPIV3Schema:\n        type: object\n        x-kubernetes-preserve-unknown-fields: true\n        properties:\n          n: {type: integer, minimum: 0, maximum: 1e3}\n")
add("k8s/list-of-docs-first", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n")
add("k8s/helm-like-values", "image:\n  tag: 1.10\n  pullPolicy: IfNotPresent\nversion: 1.2.3\nenabled: on\nnodeSelector: {}\ntolerations: []\n")
add("k8s/anchors-in-manifests", "x-common: &common\n  labels: &labels\n    app: a\nitems:\n- metadata:\n    <<: *common\n    name: one\n- metadata:\n    labels: *labels\n    name: two\n")

# Limits.
add("limit/flow-depth-10000", "[" * 10000 + "]" * 10000 + "\n")
add("limit/flow-depth-10001", "[" * 10001 + "]" * 10001 + "\n")
add("limit/flow-map-depth", "x: " + "{" * 10001 + "\n")
add("limit/block-depth-10001", "- " * 10001 + "x\n")
add("limit/block-depth-9000", "- " * 9000 + "x\n")
laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
for i, ch in enumerate("bcdefghi"):
    prev = "abcdefghi"[i]
    laughs.append(f"{ch}: &{ch} [" + ",".join([f"*{prev}"] * 9) + "]")
add("limit/billion-laughs", "\n".join(laughs) + "\n")
add("limit/small-fanout", "\n".join(laughs[:3]) + "\n")
add("limit/alias-heavy-but-ok", "a: &a [" + ",".join(["x"] * 2000) + "]\nb: [" + ",".join(["*a"] * 3) + "]\n")

# Strings whose printed form is delicate (these also feed emit-answers.jsonl).
def q(s):
    """A YAML double-quoted scalar; characters YAML treats as line breaks or forbids raw are escaped."""
    out = json.dumps(s, ensure_ascii=False)
    for raw, esc in [("\u0085", "\\N"), ("\u2028", "\\L"), ("\u2029", "\\P"), ("\ufeff", "\\uFEFF"), ("\x7f", "\\x7F")]:
        out = out.replace(raw, esc)
    return out
emit_strings = {
    "leading-space": "  x", "trailing-space": "x  ", "only-space": " ", "dash-space": "- a", "colon-space": ": a",
    "hash": "#a", "space-hash": "a #b", "dashes": "---", "dots": "...", "dashes-text": "--- x", "base60": "1:20",
    "base60-float": "190:20:30.15", "hex-string": "0x1F", "octal-string": "0755", "float-string": "1e3",
    "bool-string": "on", "null-string": "~", "timestamp-string": "2020-01-01", "datetime-string": "2020-01-01T00:00:00Z",
    "question": "? a", "amp": "&a", "star": "*a", "bang": "!a", "pipe": "|a", "gt": ">a", "quote-single": "'a'",
    "quote-double": "\"a\"", "percent": "%a", "at": "@a", "backtick": "`a", "comma": "a,b", "brackets": "[a]",
    "braces": "{a}", "colon-end": "a:", "tab": "a\tb", "cr": "a\rb", "nel": "a\u0085b", "ls": "a\u2028b",
    "bom": "\ufeffa", "control": "a\u0001b", "del": "a\u007fb", "emoji": "smile \U0001F600", "cjk": "日本語",
    "nbsp": "a\u00a0b", "multiline": "a\nb", "multiline-trailing-nl": "a\nb\n", "multiline-keep": "a\nb\n\n",
    "multiline-leading-space": "  a\nb", "multiline-leading-nl": "\na", "multiline-trailing-space": "a \nb",
    "multiline-space-line": "a\n \nb", "multiline-tab": "a\n\tb", "only-newline": "\n", "two-newlines": "\n\n",
    "long-words": " ".join(["lorem"] * 40), "long-quoted-words": "yes " + " ".join(["ipsum"] * 40),
    "long-single": "- " + " ".join(["dolor"] * 40), "long-double-spaces": "\t" + "  ".join(["sit"] * 40),
    "long-no-spaces": "x" * 200, "long-multiline": "\n".join([" ".join(["amet"] * 30)] * 3),
    "empty": "", "lt-lt": "<<", "equals": "=", "tilde-word": "~x", "minus": "-", "plus": "+", "dot": ".",
}
for name, text in emit_strings.items():
    add(f"emit/value-{name}", f"a: {q(text)}\nlist:\n- {q(text)}\n")
for name in ["leading-space", "hash", "dashes", "base60", "bool-string", "tab", "multiline", "empty", "lt-lt", "emoji", "long-words"]:
    add(f"emit/key-{name}", f"{q(emit_strings[name])}: 1\n")
add("emit/key-129-bytes", q("k" * 129) + ": v\n")
add("emit/key-128-bytes", q("k" * 128) + ": v\n")
add("emit/nested-empty", "a:\n  b: {}\n  c: []\n  d:\n  - {}\n  - []\n  - - []\n")
add("emit/seq-of-seq-of-maps", "- - a: 1\n    b: 2\n  - c: 3\n")
add("emit/map-in-seq-with-seq", "- a:\n  - 1\n  - 2\n  b: x\n")
add("emit/deep-literal", "a:\n  b:\n  - c: |\n      x\n       y\n")
add("emit/key-order", "b: 1\na: 2\nA: 3\n_: 4\na10: 5\na9: 6\na09: 7\n\"1\": 8\n\"10\": 9\n\"2\": 10\nz: 11\nZ: 12\n")
add("emit/numbers", "a: [1, -1, 1.5, 1e6, 1.5e6, 1e21, 1e-7, 0.000001, 123456789.5, -0.0, 1e20]\n")

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "cases.jsonl"), "w", encoding="utf-8") as f:
    names = set()
    for c in cases:
        assert c["name"] not in names, c["name"]
        names.add(c["name"])
        f.write(json.dumps(c, ensure_ascii=False) + "\n")
print(len(cases), "cases")
