#!/usr/bin/env python3
"""How `syllabus build` scales: time and memory at 1,000, 10,000 and 100,000 lessons.

Usage:
    python3 benches/scale.py --keep DIR [--sizes 1000,10000,100000] [--bin PATH] [--runs 1]
                             [--no-cache]

For every size it generates (or reuses, from DIR) the course of benches/gen_course.py, builds
it --runs times into an emptied output directory, and prints the median wall time, CPU time
(user + system) and peak RSS (ru_maxrss from os.wait4, as bench.py measures them), then the
growth from each size to the next (issue 15: 100,000 lessons in at most 11x the
10,000-lesson time and at most 2 GiB). It also reads the output back: the sitemap (a
`<sitemapindex>` past 50,000 URLs, each part within the protocol's limits), and the largest
page, so that a page that grows with the course shows. Outputs of sizes over 10,000 are
deleted (--keep-outputs keeps them), as is what each build replaces (the output and build
cache of a run before), but only once every build is measured: the disk must hold both
meanwhile. The 100,000-lesson course is 1.2 GB of Markdown, its output about 4.5 GB and its
build cache 11 GB. Standard library only.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench import ROOT, ensure_course, log, measure, target_dir  # noqa: E402

SITEMAP_URLS = 50_000
SITEMAP_BYTES = 52_428_800


def read_output(out: str) -> dict:
    """The sitemap's shape and the largest pages of an output directory."""
    info: dict = {}
    sitemap = os.path.join(out, "sitemap.xml")
    if os.path.exists(sitemap):
        with open(sitemap, encoding="utf-8") as fh:
            head = fh.read()
        parts = re.findall(r"<loc>([^<]*)</loc>", head) if "<sitemapindex" in head else []
        counts = []
        for loc in parts:
            name = loc.rsplit("/", 1)[-1]
            path = os.path.join(out, name)
            with open(path, encoding="utf-8") as fh:
                xml = fh.read()
            counts.append(xml.count("<url>"))
            assert os.path.getsize(path) <= SITEMAP_BYTES, f"{name} is over 50 MB"
        info["sitemap"] = (f"index of {len(parts)} parts ({', '.join(map(str, counts))} URLs)"
                           if parts else f"one file, {head.count('<url>')} URLs")
        assert all(c <= SITEMAP_URLS for c in counts), counts
    largest = []
    for dirpath, _, files in os.walk(out):
        for f in files:
            if f.endswith(".html"):
                p = os.path.join(dirpath, f)
                largest.append((os.path.getsize(p), os.path.relpath(p, out)))
    largest.sort(reverse=True)
    info["largest_pages"] = [(round(s / 1024), p) for s, p in largest[:3]]
    lessons = sorted(s for s, p in largest if p.count("/") >= 3)
    info["median_lesson_kib"] = round(lessons[len(lessons) // 2] / 1024, 1) if lessons else None
    return info


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--keep", required=True, help="folder for the courses and outputs")
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--bin", default=os.path.join(target_dir(), "release", "syllabus"))
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=7200)
    ap.add_argument("--keep-outputs", action="store_true")
    ap.add_argument("--no-cache", action="store_true",
                    help="build with --no-cache (no .syllabus-cache in the course: about 10 GB at 100,000 lessons)")
    args = ap.parse_args()
    os.makedirs(args.keep, exist_ok=True)
    # What a build replaces (its output folder, the course's build cache: some 200,000 files
    # at 100,000 lessons) is moved aside and deleted only when every build is measured: on
    # ext4 without a journal, making files just after as many were deleted skips every
    # recently freed inode one by one, which made a 100,000-lesson build 10% slower (and its
    # growth from 10,000 lessons 13.9× instead of about 10×).
    trash = os.path.join(args.keep, f".trash-{os.getpid()}")

    def aside(path: str) -> None:
        if os.path.lexists(path):
            os.makedirs(trash, exist_ok=True)
            os.rename(path, os.path.join(trash, str(len(os.listdir(trash)))))

    rows = []
    for n in [int(s) for s in args.sizes.split(",")]:
        course = ensure_course(args.keep, n, 1)["path"]
        out = os.path.join(args.keep, f"out-{n}")
        runs = []
        for i in range(args.runs):
            aside(out)
            # A clean build each run: a cache left by the last run would make it a rebuild.
            aside(os.path.join(course, ".syllabus-cache"))
            cmd = [args.bin, "build", course, "--out", out, "--base-url", "https://example.org/"]
            r = measure(cmd + (["--no-cache"] if args.no_cache else []), args.keep, args.timeout)
            if not r.ok:
                log(f"{n}: build failed: {r.stderr[-2000:]}")
                return 1
            runs.append(r)
            log(f"{n} lessons, run {i + 1}: {r.seconds:.1f} s, CPU {r.cpu_seconds:.1f} s, "
                f"peak {r.maxrss_kib / 1024:.0f} MiB")
        info = read_output(out)
        log(f"{n} lessons: sitemap {info.get('sitemap')}; largest pages {info['largest_pages']}")
        if n > 10_000 and not args.keep_outputs:
            aside(out)
        rows.append({"lessons": n,
                     "seconds": statistics.median(r.seconds for r in runs),
                     "cpu": statistics.median(r.cpu_seconds for r in runs),
                     "mib": max(r.maxrss_kib for r in runs) / 1024, **info})
    log(f"deleting what the builds replaced ({trash})")
    shutil.rmtree(trash, ignore_errors=True)
    print(f"{'lessons':>8}  {'wall s':>8}  {'CPU s':>8}  {'peak MiB':>9}  {'lesson KiB':>10}  sitemap")
    for r in rows:
        print(f"{r['lessons']:>8}  {r['seconds']:>8.1f}  {r['cpu']:>8.1f}  {r['mib']:>9.0f}  "
              f"{r['median_lesson_kib'] or 0:>10}  {r.get('sitemap', '-')}")
    print(f"\n{'from -> to':>16}  {'lessons x':>9}  {'wall x':>7}  {'CPU x':>6}  {'mem x':>6}")
    for a, b in zip(rows, rows[1:]):
        print(f"{a['lessons']:>7} -> {b['lessons']:<6}  {b['lessons'] / a['lessons']:>9.0f}  "
              f"{b['seconds'] / a['seconds']:>7.2f}  {b['cpu'] / a['cpu']:>6.2f}  "
              f"{b['mib'] / a['mib']:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
