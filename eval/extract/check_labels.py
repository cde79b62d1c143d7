#!/usr/bin/env python3
"""Validate the hand labels of the `plan361 extract` evaluation set.

For every labels/<slug>.json this checks that:
  * documents/<slug>.txt exists and split.json lists the slug exactly once (dev, unseen, unseen_2,
    unseen_3);
  * the file is a JSON array of objects whose keys are exactly KEYS;
  * field types and vocabularies are valid (comparator, kind, year, value);
  * source_text occurs verbatim in the document once all whitespace is removed;
  * value (and value_max) occur in source_text as written, after Chinese
    numerals such as 五千 are converted to Arabic digits (a bare 万亿 counts as 1);
  * no label is duplicated within a document.

Usage: python3 eval/extract/check_labels.py   (exit code 0 when everything passes)
"""
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
KEYS = {"indicator", "year", "value", "value_max", "unit", "comparator", "kind", "source_text"}
COMPARATORS = {"达到", "以上", "不少于", "超过", "突破", "左右", "保持", "稳定在", "力争"}
# dev: the rules were written against these; unseen: held out until the first rules were done;
# unseen_2: a second held-out set, labelled before the second round of rules;
# unseen_3: a third held-out set, labelled before the third round of rules.
PARTS = ("dev", "unseen", "unseen_2", "unseen_3")
KINDS = {"level", "cumulative", "increment", "annual", "threshold", "growth", "milestone"}

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def strip_ws(s: str) -> str:
    return re.sub(r"\s+", "", s)


def cn_to_int(s: str) -> int:
    """Convert a Chinese numeral below 10000 (e.g. 五千, 十五, 一百二十) to int."""
    total, digit = 0, None
    for ch in s:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        else:  # unit
            total += (1 if digit is None else digit) * CN_UNITS[ch]
            digit = None
    return total + (digit or 0)


def arabicize(text: str) -> str:
    """Replace runs of Chinese numerals by Arabic digits; a bare 万/亿 after 过/破/达 counts as 1."""
    out = re.sub(r"[零〇一二两三四五六七八九十百千]+",
                 lambda m: str(cn_to_int(m.group(0))), text)
    out = re.sub(r"(?<=[过破达超])(?=万亿|亿|万)", "1", out)
    return out


def fmt_number(v) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v)


def number_in(v, text: str) -> bool:
    n = re.escape(fmt_number(v))
    # the number must not be part of a longer number (e.g. 2 inside 2022 or 1.2)
    return re.search(rf"(?<![0-9.]){n}(?![0-9]|\.[0-9])", text) is not None


def check_label(i: int, lab, doc_flat: str, errors: list, where: str) -> None:
    tag = f"{where}[{i}]"
    if not isinstance(lab, dict):
        errors.append(f"{tag}: not an object")
        return
    keys = set(lab)
    if keys != KEYS:
        errors.append(f"{tag}: keys {sorted(keys)} != {sorted(KEYS)}")
        return
    if not isinstance(lab["indicator"], str) or not lab["indicator"].strip():
        errors.append(f"{tag}: indicator must be a non-empty string")
    y = lab["year"]
    if y is not None and (not isinstance(y, int) or isinstance(y, bool) or not 2000 <= y <= 2050):
        errors.append(f"{tag}: year must be an integer 2000-2050 or null, got {y!r}")
    if lab["comparator"] not in COMPARATORS:
        errors.append(f"{tag}: comparator {lab['comparator']!r} not in {sorted(COMPARATORS)}")
    if lab["kind"] not in KINDS:
        errors.append(f"{tag}: kind {lab['kind']!r} not in {sorted(KINDS)}")
    v, vmax, unit = lab["value"], lab["value_max"], lab["unit"]
    for name, x in (("value", v), ("value_max", vmax)):
        if x is not None and (isinstance(x, bool) or not isinstance(x, (int, float))):
            errors.append(f"{tag}: {name} must be a number or null, got {x!r}")
    if unit is not None and not isinstance(unit, str):
        errors.append(f"{tag}: unit must be a string or null")
    if v is None:
        if vmax is not None:
            errors.append(f"{tag}: value_max set while value is null")
        if lab["kind"] != "milestone":
            errors.append(f"{tag}: value is null but kind is {lab['kind']!r} (expected milestone)")
    else:
        if lab["kind"] == "milestone":
            errors.append(f"{tag}: kind milestone but value is {v!r}")
        if not unit:
            errors.append(f"{tag}: value without unit")
        if vmax is not None and isinstance(vmax, (int, float)) and isinstance(v, (int, float)) and vmax <= v:
            errors.append(f"{tag}: value_max {vmax} <= value {v}")
    src = lab["source_text"]
    if not isinstance(src, str) or not src.strip():
        errors.append(f"{tag}: empty source_text")
        return
    src_flat = strip_ws(src)
    if src_flat not in doc_flat:
        errors.append(f"{tag}: source_text not found in document: {src!r}")
    src_num = arabicize(src_flat)
    if isinstance(v, (int, float)) and not isinstance(v, bool) and not number_in(v, src_num):
        errors.append(f"{tag}: value {fmt_number(v)} not in source_text {src!r}")
    if isinstance(vmax, (int, float)) and not isinstance(vmax, bool) and not number_in(vmax, src_num):
        errors.append(f"{tag}: value_max {fmt_number(vmax)} not in source_text {src!r}")


def main() -> int:
    errors: list = []
    docs = {p.stem for p in (ROOT / "documents").glob("*.txt")}
    labels = {p.stem for p in (ROOT / "labels").glob("*.json")}
    for s in sorted(docs - labels):
        errors.append(f"document without labels: {s}")
    for s in sorted(labels - docs):
        errors.append(f"labels without document: {s}")

    split_path = ROOT / "split.json"
    split = json.loads(split_path.read_text(encoding="utf-8")) if split_path.exists() else None
    if split is None:
        errors.append("split.json missing")
    else:
        if set(split) != set(PARTS):
            errors.append(f"split.json keys {sorted(split)} != {sorted(PARTS)}")
        listed = [slug for part in PARTS for slug in split.get(part, [])]
        if len(listed) != len(set(listed)):
            errors.append("split.json lists a slug twice")
        if set(listed) != docs:
            errors.append(f"split.json slugs differ from documents: missing {sorted(docs - set(listed))}, "
                          f"extra {sorted(set(listed) - docs)}")
        if len(split.get("unseen", [])) < 3:
            errors.append("split.json: fewer than 3 unseen documents")
        if len(split.get("unseen_2", [])) < 4:
            errors.append("split.json: fewer than 4 documents in the second unseen set")
        if len(split.get("unseen_3", [])) < 8:
            errors.append("split.json: fewer than 8 documents in the third unseen set")

    total = 0
    for slug in sorted(docs & labels):
        doc_flat = strip_ws((ROOT / "documents" / f"{slug}.txt").read_text(encoding="utf-8"))
        where = f"labels/{slug}.json"
        try:
            rows = json.loads((ROOT / "labels" / f"{slug}.json").read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            errors.append(f"{where}: invalid JSON: {e}")
            continue
        if not isinstance(rows, list) or not rows:
            errors.append(f"{where}: must be a non-empty JSON array")
            continue
        seen = set()
        for i, lab in enumerate(rows):
            check_label(i, lab, doc_flat, errors, where)
            if isinstance(lab, dict) and set(lab) == KEYS:
                key = (lab["indicator"], lab["year"], lab["value"], lab["source_text"])
                if key in seen:
                    errors.append(f"{where}[{i}]: duplicate label {key}")
                seen.add(key)
        total += len(rows)
        print(f"{slug:40s} {len(rows):3d} targets")

    print(f"{'TOTAL':40s} {total:3d} targets in {len(docs)} documents")
    if errors:
        print(f"\n{len(errors)} problem(s):", file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
