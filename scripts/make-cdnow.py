#!/usr/bin/env python3
"""The CDNOW log repeated: `scripts/make-cdnow.py <copies> <out>` writes tests/data/CDNOW_master.txt
`copies` times, each copy with its own customers (copy k renumbers customer 00001 as k00001), in the
log's own whitespace-separated layout. ×15 = 1,044,885 rows and 353,550 customers; ×150 =
10,448,850 rows and 3,535,500 customers. The benchmarks feed the same file to every tool."""
import os
import sys

copies, out = int(sys.argv[1]), sys.argv[2]
src = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "CDNOW_master.txt")
with open(src, encoding="ascii") as f:
    header, *rows = [line.rstrip("\r\n") for line in f if line.strip()]
parsed = [r.split() for r in rows]
with open(out, "w", encoding="ascii", newline="\n") as f:
    f.write(header.strip() + "\n")
    for k in range(copies):
        prefix = str(k) if k else ""
        f.write("".join(f"{prefix}{c} {d} {n} {v}\n" for c, d, n, v in parsed))
