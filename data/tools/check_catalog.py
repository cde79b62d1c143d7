#!/usr/bin/env python3
"""Check a cluster catalog (TOML) against the GB/T 4754-2017 table.

Usage (from the repository root):
    python3 data/tools/check_catalog.py [data/cluster-catalog-2025.toml] [data/gbt4754-2017.csv]

Checks:
  * top-level version, effective (YYYY-MM-DD) and note are present;
  * every cluster id of the 2025 "361" taxonomy is present, none twice, none unknown;
  * each cluster has a name, a basis and whole/partial lists of strings;
  * every code exists in the GB/T 4754-2017 table and is a 大类, 中类 or 小类 (no 门类 letters);
  * no code is listed twice in a cluster, or both whole and partial in the same cluster,
    or alongside one of its own ancestors in the same cluster;
  * the 新材料 cluster's note names the four segments in the public figures.
Prints, per cluster, the number of whole and partial codes and the 小类 they cover.
Exit status 0 when the catalog is valid, 1 otherwise.
"""
from __future__ import annotations

import csv
import datetime as dt
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLUSTER_IDS = [
    "green-petrochemical", "nev-equipment", "new-materials",
    "ai-robotics", "next-gen-it", "green-energy", "life-health", "fashion-consumer", "aerospace-marine",
    "modern-agriculture",
]
NEW_MATERIAL_SEGMENTS = ["化工新材料", "高端金属合金材料", "稀土磁性材料", "功能膜材料"]


def main() -> int:
    catalog_path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "data/cluster-catalog-2025.toml"
    table_path = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "data/gbt4754-2017.csv"
    errors: list[str] = []

    with table_path.open(encoding="utf-8") as f:
        table = {row["code"]: row for row in csv.DictReader(f)}
    classes = [c for c, r in table.items() if r["level"] == "class"]

    with catalog_path.open("rb") as f:
        cat = tomllib.load(f)

    for key in ("version", "effective", "note"):
        if not isinstance(cat.get(key), str) or not cat[key].strip():
            errors.append(f"top level: missing or empty '{key}'")
    try:
        dt.date.fromisoformat(str(cat.get("effective", "")))
    except ValueError:
        errors.append("top level: 'effective' is not a YYYY-MM-DD date")

    clusters = cat.get("cluster", [])
    ids = [c.get("id") for c in clusters]
    for cid in CLUSTER_IDS:
        n = ids.count(cid)
        if n == 0:
            errors.append(f"cluster '{cid}' is missing")
        elif n > 1:
            errors.append(f"cluster '{cid}' appears {n} times")
    for cid in ids:
        if cid not in CLUSTER_IDS:
            errors.append(f"unknown cluster id '{cid}'")

    def covered(code: str) -> set[str]:
        return {c for c in classes if c.startswith(code)}

    print(f"{'cluster':22} {'whole':>5} {'partial':>7} {'小类 whole':>10} {'小类 partial':>12}")
    for c in clusters:
        cid = c.get("id", "?")
        for key in ("name", "basis"):
            if not isinstance(c.get(key), str) or not c[key].strip():
                errors.append(f"{cid}: missing or empty '{key}'")
        lists = {}
        for key in ("whole", "partial"):
            val = c.get(key, [])
            if not isinstance(val, list) or not all(isinstance(x, str) for x in val):
                errors.append(f"{cid}: '{key}' must be a list of strings")
                val = []
            lists[key] = val
            seen = set()
            for code in val:
                if code in seen:
                    errors.append(f"{cid}: {key} lists {code} twice")
                seen.add(code)
                row = table.get(code)
                if row is None:
                    errors.append(f"{cid}: {key} code {code} is not in {table_path.name}")
                elif row["level"] == "section":
                    errors.append(f"{cid}: {key} code {code} is a 门类; use its 大类 codes")
        both = set(lists["whole"]) & set(lists["partial"])
        for code in sorted(both):
            errors.append(f"{cid}: {code} is both whole and partial")
        listed = lists["whole"] + lists["partial"]
        for code in listed:
            for k in (2, 3):
                anc = code[:k]
                if len(code) > k and anc in listed:
                    errors.append(f"{cid}: {code} is listed together with its ancestor {anc}")
        if cid == "new-materials":
            note = c.get("note", "")
            for seg in NEW_MATERIAL_SEGMENTS:
                if seg not in note:
                    errors.append(f"new-materials: note does not name the segment {seg}")
        cw = set().union(*[covered(x) for x in lists["whole"] if x in table]) if lists["whole"] else set()
        cp = set().union(*[covered(x) for x in lists["partial"] if x in table]) if lists["partial"] else set()
        print(f"{cid:22} {len(lists['whole']):5} {len(lists['partial']):7} {len(cw):10} {len(cp - cw):12}")

    if errors:
        print(f"\n{len(errors)} error(s):", file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        return 1
    print(f"\nOK: {catalog_path.name} — {len(clusters)} clusters, all codes found in {table_path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
