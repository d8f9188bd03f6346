#!/usr/bin/env python3
"""Adds (or replaces) UI strings in both locale files at once, under a lock, so that several
people editing at the same time do not overwrite each other's keys.

    python3 scripts/add-locale-keys.py keys.json

keys.json: {"key": ["English text", "中文"], ...}. Placeholders: {{ name }} (leptos_i18n) or
%name% (replaced in code).
"""
import fcntl, json, os, sys

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
new = json.load(open(sys.argv[1], encoding="utf-8"))
with open(os.path.join(root, "locales", ".lock"), "w") as lock:
    fcntl.flock(lock, fcntl.LOCK_EX)
    for i, name in enumerate(["en.json", "zh-CN.json"]):
        path = os.path.join(root, "locales", name)
        data = json.load(open(path, encoding="utf-8"))
        for key, texts in new.items():
            data[key] = texts[i]
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        os.replace(tmp, path)
print(f"{len(new)} keys in both locales")
