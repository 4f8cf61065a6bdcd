#!/usr/bin/env python3
"""The build cache (`.syllabus-cache/`): what a CI rebuild with the cache restored costs
next to a clean build, on synthetic courses of benches/gen_course.py.

Usage:
    python3 benches/cache.py [--sizes 1000,10000] [--rounds 1] [--bin target/release/syllabus]
                             [--baseline OTHER_SYLLABUS] [--kinds clean,warm,...]
                             [--work DIR] [--keep]

For each size it generates a course (or reuses WORK/cN), then runs, alternating, each
round:

  * clean        no `.syllabus-cache` (a CI run without a restored cache): builds and
                 writes the cache
  * no-cache     `build --no-cache`: neither reads nor writes the cache
  * warm         the cache restored, nothing changed
  * one-changed  the cache restored, one lesson's text changed (a paragraph appended)
  * local        an author's rebuild: one lesson changed, built into the same output folder
                 as the build before (after two untimed builds there), so the site that build
                 replaces is reused as its staging folder (the build cache's `spare/`)
  * baseline     with `--baseline BIN`: that Syllabus (say, main's, without a cache) building
                 the same course, first in each round, to compare peak memory and time with

and prints the wall time, the CPU time (user + system, from os.wait4) and the peak RSS of
each, and each one's ratio to `clean` (the CI rebuild figure is one-changed / clean). Every
build writes into a new output folder, as a CI run does; the folders are removed only when
every build of a size is done, because a build that creates some 13,000 files just after
as many were deleted pays for it on some file systems (ext4 without a journal skips each
recently freed inode one by one: a third of a 10,000-lesson rebuild's time in `perf`),
which a fresh CI runner does not. For the same reason `clean` moves the cache aside rather
than deleting it (it holds a file per page). On a busy machine compare CPU
times: wall times include waiting for the other processes.
Standard library only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH_DIR)
GEN = os.path.join(BENCH_DIR, "gen_course.py")
KINDS = ["baseline", "clean", "no-cache", "warm", "one-changed", "local"]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run(cmd: list[str]) -> tuple[float, float, int]:
    """(wall s, cpu s, peak RSS KiB) of one run; fails loudly."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{err}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def lesson(course: str) -> str:
    """A lesson in the middle of the course (the one a rebuild changes)."""
    files = []
    for dirpath, _, names in os.walk(os.path.join(course, "content")):
        files += [os.path.join(dirpath, n) for n in names if n.endswith(".md")]
    files.sort()
    return files[len(files) // 2]


def settle(seconds: float) -> None:
    """Waits until what earlier builds wrote is on the disk, then a little more: otherwise
    the kernel's writeback of a clean build's two gigabytes runs during the next build."""
    if seconds > 0:
        os.sync()
        time.sleep(seconds)


def measure(bin_: str, baseline: str | None, kinds: list[str], course: str, out: str,
            rounds: int, pause: float) -> dict[str, list]:
    cache = os.path.join(course, ".syllabus-cache")
    changed = lesson(course)
    original = open(changed, encoding="utf-8").read()
    results: dict[str, list] = {k: [] for k in kinds}
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    try:
        for r in range(rounds):
            for kind in kinds:
                site = os.path.join(out, f"{kind}-{r}")
                build = [bin_, "build", course, "--out", site]
                if kind == "baseline":
                    cmd = [baseline, "build", course, "--out", site]
                elif kind == "clean":
                    # Moved aside, removed with the sites at the end: deleting its 13,000
                    # files just before a build slows that build's file creation (see above).
                    if os.path.exists(cache):
                        os.rename(cache, os.path.join(out, f"cache-before-{kind}-{r}"))
                    cmd = build
                elif kind == "no-cache":
                    cmd = build + ["--no-cache"]
                else:
                    cmd = build
                if kind == "local":
                    site = os.path.join(out, "local")
                    cmd = [bin_, "build", course, "--out", site]
                    for _ in range(2):
                        run(cmd)
                if kind in ("one-changed", "local"):
                    with open(changed, "a", encoding="utf-8") as f:
                        f.write(f"\n\nA change made by benches/cache.py, {kind} round {r}.\n")
                settle(pause)
                results[kind].append(run(cmd))
                log(f"  {kind:12} wall {results[kind][-1][0]:7.2f} s  cpu {results[kind][-1][1]:7.2f} s")
    finally:
        with open(changed, "w", encoding="utf-8") as f:
            f.write(original)
        shutil.rmtree(out, ignore_errors=True)
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "syllabus"))
    ap.add_argument("--baseline", help="another syllabus binary to build each course with too")
    ap.add_argument("--kinds", default=",".join(k for k in KINDS if k != "baseline"),
                    help="which builds, comma-separated (baseline is added with --baseline)")
    ap.add_argument("--work", default="/tmp/syllabus-cache-bench")
    ap.add_argument("--keep", action="store_true", help="keep the generated courses (the sites are always removed)")
    ap.add_argument("--settle", type=float, default=3.0,
                    help="before each timed build, sync and wait this many seconds (0: neither)")
    args = ap.parse_args()
    kinds = [k for k in KINDS if k in args.kinds.split(",") or (k == "baseline" and args.baseline)]
    if "clean" not in kinds:
        sys.exit("--kinds must include clean (the ratios are to it)")
    os.makedirs(args.work, exist_ok=True)
    rows = []
    for size in [int(s) for s in args.sizes.split(",")]:
        course = os.path.join(args.work, f"c{size}")
        if not os.path.isdir(os.path.join(course, "content")):
            log(f"generating a {size}-lesson course in {course}")
            subprocess.run([sys.executable, GEN, "--lessons", str(size), "--out", course, "--force"], check=True,
                           stdout=subprocess.DEVNULL)
        out = os.path.join(args.work, f"sites{size}")
        log(f"{size} lessons:")
        results = measure(args.bin, args.baseline, kinds, course, out, args.rounds, args.settle)
        # Every file of the cache, the pages it keeps whole under `files/` too, each once:
        # the kept site in `spare/` links to those.
        seen: dict[tuple[int, int], int] = {}
        for d, _, names in os.walk(os.path.join(course, ".syllabus-cache")):
            for n in names:
                st = os.lstat(os.path.join(d, n))
                seen[(st.st_dev, st.st_ino)] = st.st_size
        cache_mb = sum(seen.values()) / 1e6
        rows.append((size, results, cache_mb))
    base = "baseline" in kinds
    print("| lessons | build | wall s | CPU s | peak RSS MiB | wall / clean | CPU / clean |"
          + (" RSS / baseline |" if base else ""))
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: |" + (" ---: |" if base else ""))
    for size, results, cache_mb in rows:
        med = {k: [statistics.median(x[i] for x in v) for i in range(3)] for k, v in results.items()}
        for kind in kinds:
            wall, cpu, rss = med[kind]
            print(f"| {size} | {kind} | {wall:.2f} | {cpu:.2f} | {rss / 1024:.0f} | "
                  f"{wall / med['clean'][0]:.2f} | {cpu / med['clean'][1]:.2f} |"
                  + (f" {rss / med['baseline'][2]:.2f} |" if base else ""))
        print(f"| {size} | (cache on disk: {cache_mb:.0f} MB) | | | | | |" + (" |" if base else ""))
    if not args.keep:
        for size, _, _ in rows:
            shutil.rmtree(os.path.join(args.work, f"c{size}"), ignore_errors=True)


if __name__ == "__main__":
    main()
