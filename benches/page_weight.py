#!/usr/bin/env python3
"""What a built site weighs: total bytes and files, and each page's bytes by part.

Usage:
    python3 benches/page_weight.py SITE_DIR [SITE_DIR ...] [--json]

For every site (a build output directory: Syllabus', Zola's, any) it counts all files
and bytes, then splits every HTML page that has a <main> into (bytes, non-overlapping):

  head     <head> ... </head>
  sidebar  the <nav aria-label="Course"> element (the course navigation)
  nav      every other <nav> (breadcrumbs, table of contents, previous/next, ...)
  code     <pre> elements (highlighted code blocks, with their markup)
  content  <main> minus the <nav> and <pre> elements inside it
  other    the rest: header, footer, skip link, scripts in <body>, wrappers

and prints the median of each over the pages (and the bytes of the files with "search"
in their path: the search index and its script), with `code x`: the bytes of all <pre>
elements over the bytes of the code text in them (tags stripped, entities decoded),
summed over the site. Standard library only (used by benches/peer.py).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import statistics
import sys

TAG_RE = re.compile(rb"<(/?)(nav|pre|main|head)\b([^>]*)>", re.I)
STRIP_RE = re.compile(rb"<[^>]*>")
COURSE_RE = re.compile(rb"""aria-label\s*=\s*["']Course["']""")
PARTS = ("head", "sidebar", "nav", "code", "content", "other")


def split_page(data: bytes) -> dict | None:
    """Bytes of each part of one page, or None if it has no <main>."""
    stack: list[tuple[bytes, int, bytes]] = []
    head = main = None
    navs: list[tuple[int, int, bool]] = []
    pres: list[tuple[int, int]] = []
    for m in TAG_RE.finditer(data):
        name = m.group(2).lower()
        if not m.group(1):
            stack.append((name, m.start(), m.group(3)))
            continue
        # close the innermost open element of that name (ignore strays)
        for i in range(len(stack) - 1, -1, -1):
            if stack[i][0] == name:
                _, start, attrs = stack[i]
                del stack[i:]
                span = (start, m.end())
                if name == b"head" and head is None:
                    head = span
                elif name == b"main" and main is None:
                    main = span
                elif name == b"nav":
                    navs.append((span[0], span[1], COURSE_RE.search(attrs) is not None))
                elif name == b"pre":
                    pres.append(span)
                break
    if main is None:
        return None
    # keep outermost elements only, so nothing is counted twice
    navs = [n for n in navs if not any(o[0] < n[0] and n[1] <= o[1] for o in navs)]
    pres = [p for p in pres if not any(n[0] <= p[0] and p[1] <= n[1] for n in navs)]

    def inside_main(a: int, b: int) -> bool:
        return main[0] <= a and b <= main[1]

    out = dict.fromkeys(PARTS, 0)
    out["total"] = len(data)
    out["head"] = head[1] - head[0] if head else 0
    for a, b, course in navs:
        out["sidebar" if course else "nav"] += b - a
    out["code"] = sum(b - a for a, b in pres)
    out["content"] = (main[1] - main[0]
                      - sum(b - a for a, b, _ in navs if inside_main(a, b))
                      - sum(b - a for a, b in pres if inside_main(a, b)))
    out["other"] = out["total"] - sum(out[k] for k in PARTS if k != "other")
    text = 0
    for a, b in pres:
        text += len(html.unescape(STRIP_RE.sub(b"", data[a:b]).decode("utf-8", "replace")).encode())
    out["code_text"] = text
    return out


def measure_site(root: str) -> dict:
    files = total = html_files = html_bytes = search = 0
    pages: list[dict] = []
    for top, dirs, names in os.walk(root):
        dirs.sort()
        for name in names:
            path = os.path.join(top, name)
            size = os.path.getsize(path)
            files += 1
            total += size
            if "search" in os.path.relpath(path, root).lower():
                search += size
            if name.endswith(".html"):
                html_files += 1
                html_bytes += size
                with open(path, "rb") as fh:
                    split = split_page(fh.read())
                if split is not None:
                    pages.append(split)
    result = {"dir": root, "files": files, "bytes": total, "html_files": html_files,
              "html_bytes": html_bytes, "search_bytes": search, "pages": len(pages)}
    if pages:
        for k in ("total",) + PARTS:
            result[f"median_{k}"] = statistics.median(p[k] for p in pages)
        code = sum(p["code"] for p in pages)
        text = sum(p["code_text"] for p in pages)
        result["code_bytes"] = code
        result["code_text_bytes"] = text
        result["code_ratio"] = code / text if text else None
    return result


def fmt_kb(v) -> str:
    return "-" if v is None else f"{v / 1000:.1f}"


def print_weights(rows: list[tuple[str, dict]], out=sys.stdout) -> None:
    """One line per (label, measure_site result)."""
    headers = ["site", "MB", "search MB", "files", "pages", "page KB", "sidebar", "nav", "content", "code",
               "head", "other", "code x"]
    table = []
    for label, r in rows:
        table.append([label, f"{r['bytes'] / 1e6:.1f}", f"{r['search_bytes'] / 1e6:.1f}", str(r["files"]), str(r["pages"]),
                      fmt_kb(r.get("median_total")), fmt_kb(r.get("median_sidebar")),
                      fmt_kb(r.get("median_nav")), fmt_kb(r.get("median_content")),
                      fmt_kb(r.get("median_code")), fmt_kb(r.get("median_head")),
                      fmt_kb(r.get("median_other")),
                      "-" if r.get("code_ratio") is None else f"{r['code_ratio']:.2f}"])
    widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(headers)]
    print("  ".join(h.rjust(w) if i else h.ljust(w) for i, (h, w) in enumerate(zip(headers, widths))), file=out)
    print("  ".join("-" * w for w in widths), file=out)
    for t in table:
        print("  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(t, widths))), file=out)


WEIGHT_LEGEND = """\
MB, files: everything in the output directory (search MB: the files with "search" in their path, the
search index and its script); pages: HTML files with a <main>.
page KB .. other: medians over those pages, in KB (1,000 bytes): sidebar = <nav aria-label="Course">,
nav = other <nav>s, content = <main> minus its <nav>s and <pre>s, code = <pre> elements, head = <head>;
code x = bytes of all <pre> elements / bytes of the code text in them."""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sites", nargs="+")
    ap.add_argument("--json", action="store_true", help="print the measurements as JSON")
    args = ap.parse_args(argv)
    rows = [(s, measure_site(s)) for s in args.sites]
    if args.json:
        print(json.dumps([r for _, r in rows], indent=2))
    else:
        print_weights(rows)
        print(WEIGHT_LEGEND)
    return 0


if __name__ == "__main__":
    sys.exit(main())
