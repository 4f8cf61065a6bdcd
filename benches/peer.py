#!/usr/bin/env python3
"""Syllabus against Zola 0.21, side by side in one run (issues 15 and 20).

Usage:
    python3 benches/peer.py --zola-src DIR [--sizes 1000,10000] [--pairs 5] [--keep DIR]
                            [--json-out [PATH]] [options]

For every size N it generates (or reuses) an N-lesson course with gen_course.py (the
reference mix of issue 15 by default), converts it to a Zola site with to_zola.py, and
runs `syllabus build` and `zola build` alternately (ours, Zola's, ours, ...) --pairs
times, each into an emptied output directory, ours with the course's build cache removed
first (a clean build, as on a fresh clone). It prints both sides' median wall time and
peak RSS, and the min/median/max over the pairs of ours/Zola's time and memory; the
growth of time and memory from each size to the next; the output's bytes and files and
each page's bytes split into sidebar, other navigation, content, code and head
(page_weight.py); and `syllabus serve`'s memory after the first build and after --serve-saves
saves, with its save-to-reload latency (serve_latency.py), on the 10,000-lesson course and
on the bundled course.

Zola is built once from its source tree (`--zola-src`, Zola 0.21.0; never a downloaded
binary) with `nice cargo build --release -j1 --locked` and cached under the work dir keyed
by its version and a hash of its sources. See benches/README.md. Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True  # no __pycache__ in benches/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import page_weight  # noqa: E402
import to_zola  # noqa: E402
from bench import (ROOT, count_files, enable_subreaper, ensure_course, ensure_syllabus,  # noqa: E402
                   log, machine_info, measure, target_dir)
from serve_latency import measure_serve  # noqa: E402

ZOLA_VERSION_WANTED = "0.21.0"


# --------------------------------------------------------------------------
# Zola: built from source once, cached by version and source hash
# --------------------------------------------------------------------------

def zola_source_version(src: str) -> str:
    if not os.path.isfile(os.path.join(src, "Cargo.toml")):
        raise ValueError(f"{src} is not a Zola source tree (no Cargo.toml); benches/README.md "
                         "says how to get one")
    with open(os.path.join(src, "Cargo.toml"), encoding="utf-8") as fh:
        text = fh.read()
    m = re.search(r'^\[package\][^\[]*?^version\s*=\s*"([^"]+)"', text, re.M | re.S)
    if not m or 'name = "zola"' not in text:
        raise ValueError(f"{src}/Cargo.toml is not Zola's")
    return m.group(1)


def zola_source_hash(src: str) -> str:
    """A hash of what the build reads: Cargo.toml/lock, build.rs, src/, components/."""
    h = hashlib.sha256()
    roots = ["Cargo.toml", "Cargo.lock", "build.rs", "src", "components"]
    for root in roots:
        path = os.path.join(src, root)
        if os.path.isfile(path):
            entries = [path]
        else:
            entries = []
            for top, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d != "target")
                entries += [os.path.join(top, f) for f in sorted(files)]
        for p in entries:
            h.update(os.path.relpath(p, src).encode() + b"\0")
            with open(p, "rb") as fh:
                h.update(hashlib.sha256(fh.read()).digest())
    return h.hexdigest()[:12]


def ensure_zola(src: str, cache: str, jobs: int) -> str:
    """The path of a Zola binary built from src (building it if it is not cached)."""
    src = os.path.abspath(src)
    version = zola_source_version(src)
    if version != ZOLA_VERSION_WANTED:
        log(f"note: {src} is Zola {version}, not {ZOLA_VERSION_WANTED}")
    key = f"zola-{version}-{zola_source_hash(src)}"
    binary = os.path.join(cache, "bin", key)
    if os.path.exists(binary):
        log(f"zola: cached {binary}")
        return binary
    os.makedirs(os.path.dirname(binary), exist_ok=True)
    target = os.path.join(cache, "target")
    cmd = ["cargo", "build", "--release", "--locked", "-j", str(jobs)]
    if shutil.which("nice"):
        cmd = ["nice"] + cmd
    log(f"zola: building {version} from {src}: CARGO_TARGET_DIR={target} {' '.join(cmd)} "
        "(once; tens of minutes on one core)")
    env = dict(os.environ, CARGO_TARGET_DIR=target)
    rc = subprocess.call(cmd, cwd=src, env=env)
    built = os.path.join(target, "release", "zola")
    if rc != 0 or not os.path.exists(built):
        raise RuntimeError(f"building Zola failed (exit code {rc}); a source snapshot may lack "
                           "files (e.g. over 4 MiB): check the errors above, or clone "
                           "https://github.com/getzola/zola --branch v0.21.0")
    shutil.copy2(built, binary + ".tmp")
    os.replace(binary + ".tmp", binary)
    log(f"zola: cached {binary}")
    return binary


def ensure_zola_site(workdir: str, course: dict, highlight: str, search: bool, sidebar: bool) -> str:
    """The Zola conversion of a course, reused while the course and options are the same."""
    tag = f"{highlight}" + ("-search" if search else "") + ("" if sidebar else "-nosidebar")
    site = os.path.join(workdir, f"zola-{os.path.basename(course['path'])}-{tag}")
    with open(os.path.join(course["path"], ".gen-course.json"), "rb") as fh:
        course_id = hashlib.sha256(fh.read()).hexdigest()[:16]
    with open(to_zola.__file__, "rb") as fh:
        converter_id = hashlib.sha256(fh.read()).hexdigest()[:16]
    want = {"course_id": course_id, "converter_id": converter_id}
    marker = os.path.join(site, to_zola.MARKER)
    if os.path.exists(marker):
        with open(marker, encoding="utf-8") as fh:
            info = json.load(fh)
        if all(info.get(k) == v for k, v in want.items()):
            log(f"reusing Zola site {site}")
            return site
    if os.path.exists(site):
        shutil.rmtree(site)
    log(f"converting to a Zola site in {site}")
    info = to_zola.convert(course["path"], site, highlight, search, sidebar)
    info.update(want)
    with open(marker, "w", encoding="utf-8") as fh:
        json.dump(info, fh, indent=2)
    return site


SPAN_CLASS_RE = re.compile(rb'<span class="z-')
SPAN_STYLE_RE = re.compile(rb'<span style="color:')


def zola_highlight_check(out: str, highlight: str) -> dict:
    """Counts highlighted spans in Zola's pages: proof that Zola really highlighted."""
    pattern = SPAN_CLASS_RE if highlight == "css" else SPAN_STYLE_RE
    spans = pages = pages_with = 0
    for top, dirs, files in os.walk(out):
        dirs.sort()
        for f in files:
            if f != "index.html":
                continue
            with open(os.path.join(top, f), "rb") as fh:
                data = fh.read()
            if b"<pre" not in data:
                continue
            pages += 1
            n = len(pattern.findall(data))
            spans += n
            pages_with += n > 0
            if pages >= 200:
                return {"pages_with_code": pages, "pages_highlighted": pages_with, "spans": spans}
    return {"pages_with_code": pages, "pages_highlighted": pages_with, "spans": spans}


# --------------------------------------------------------------------------
# Alternating pairs
# --------------------------------------------------------------------------

# Where `run_one` moves the output and cache of the run before when deletes are deferred.
TRASH: str | None = None


def clear(path: str) -> None:
    """Removes `path` before a run: at once, or (with a trash folder) moved into the trash.

    Deleting thousands of files just before a build that creates as many makes the build pay
    for them on some file systems (ext4 without a journal checks each recently freed inode
    it meets while it looks for a free one: 15-25% of a 1,000-lesson build's CPU in `perf`
    here), which a fresh CI runner does not; a rename frees nothing."""
    if not os.path.lexists(path):
        return
    if TRASH is None:
        shutil.rmtree(path, ignore_errors=True)
        return
    os.makedirs(TRASH, exist_ok=True)
    os.rename(path, os.path.join(TRASH, f"{len(os.listdir(TRASH))}-{os.path.basename(path)}"))


def empty_trash(settle: float = 0.0) -> None:
    """Deletes the trash; then waits `settle` seconds (ext4 counts an inode freed for about
    5-10 s as recently freed), so that the next size's first run does not pay for it."""
    if TRASH is not None and os.path.exists(TRASH):
        shutil.rmtree(TRASH, ignore_errors=True)
        time.sleep(settle)


def run_one(name: str, cmd: list[str], out: str, log_dir: str, timeout: float,
            clean: str | None = None) -> dict:
    clear(out)
    if clean:
        # A clean build, as on a fresh clone: no build cache left by the run before.
        clear(clean)
    res = measure(cmd, log_dir, timeout)
    run = {"seconds": res.seconds, "cpu_seconds": res.cpu_seconds, "peak_kib": res.maxrss_kib, "ok": res.ok}
    if not res.ok:
        why = "timed out" if res.timed_out else f"exit code {res.returncode}"
        tail = "\n".join((res.stderr or res.stdout).strip().splitlines()[-15:])
        log(f"  {name}: FAILED ({why}) after {res.seconds:.2f}s: {' '.join(cmd)}")
        if tail:
            log("    " + tail.replace("\n", "\n    "))
        run["error"] = why
        run["stderr_tail"] = tail
    else:
        log(f"  {name}: {res.seconds:.3f}s (CPU {res.cpu_seconds:.2f}s), peak {res.maxrss_kib / 1024:.1f} MiB")
    return run


def spread(values: list[float]) -> dict | None:
    if not values:
        return None
    return {"min": min(values), "median": statistics.median(values), "max": max(values)}


def measure_pairs(ours_cmd, zola_cmd, ours_out, zola_out, pairs: int, log_dir: str,
                  timeout: float, lessons: int) -> dict:
    ours, zola = [], []
    for i in range(pairs):
        log(f"  pair {i + 1}/{pairs}")
        o = run_one("syllabus build", ours_cmd, ours_out, log_dir, timeout,
                    clean=os.path.join(ours_cmd[2], ".syllabus-cache"))
        if o["ok"] and count_files(ours_out, ".html") < lessons:
            o.update(ok=False, error="no output")
        ours.append(o)
        if zola_cmd:
            z = run_one("zola build", zola_cmd, zola_out, log_dir, timeout)
            if z["ok"] and count_files(zola_out, ".html") < lessons:
                z.update(ok=False, error="no output")
            zola.append(z)
        if not o["ok"] or (zola_cmd and not zola[-1]["ok"]):
            break
    result = {"ours_runs": ours, "zola_runs": zola}
    ok_ours = [r for r in ours if r["ok"]]
    if ok_ours:
        result["ours_seconds"] = spread([r["seconds"] for r in ok_ours])
        result["ours_cpu_seconds"] = spread([r["cpu_seconds"] for r in ok_ours])
        result["ours_peak_mib"] = spread([r["peak_kib"] / 1024 for r in ok_ours])
    ok_zola = [r for r in zola if r["ok"]]
    if ok_zola:
        result["zola_seconds"] = spread([r["seconds"] for r in ok_zola])
        result["zola_cpu_seconds"] = spread([r["cpu_seconds"] for r in ok_zola])
        result["zola_peak_mib"] = spread([r["peak_kib"] / 1024 for r in ok_zola])
    both = [(o, z) for o, z in zip(ours, zola) if o["ok"] and z["ok"]]
    if both:
        result["time_ratio"] = spread([o["seconds"] / z["seconds"] for o, z in both])
        result["mem_ratio"] = spread([o["peak_kib"] / z["peak_kib"] for o, z in both])
        result["cpu_ratio"] = spread([o["cpu_seconds"] / z["cpu_seconds"] for o, z in both])
        result["pairs_ok"] = len(both)
    return result


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def f(v, spec: str, missing: str = "-") -> str:
    return missing if v is None else format(v, spec)


def med(d: dict | None):
    return None if d is None else d["median"]


def trio(d: dict | None, spec: str = ".2f") -> str:
    if d is None:
        return "-"
    return f"{d['min']:{spec}} / {d['median']:{spec}} / {d['max']:{spec}}"


def print_rows(headers: list[str], table: list[list[str]], left: int = 0) -> None:
    widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(headers)]

    def line(cells):
        return "  ".join(c.ljust(w) if i < left else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths)))
    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for t in table:
        print(line(t))


def size_label(n: int) -> str:
    return f"{n // 1000}k" if n >= 1000 and n % 1000 == 0 else str(n)


def print_report(rows: list[dict], serve_rows: list[dict], meta: dict) -> None:
    m = meta["machine"]
    print()
    print(f"machine: nproc {m['nproc']}" + (f", {m['cpu']}" if m.get("cpu") else "")
          + (f", {m['mem_total_gib']} GiB RAM" if m.get("mem_total_gib") else "")
          + f"; RSS floor {m['rss_floor_kib'] / 1024:.1f} MiB; nice {meta['nice']}"
          + (f" ({meta['autogroup']})" if meta.get("autogroup") else ""))
    print(f"load average (1, 5, 15 min): at start {meta['load_start']}, at end {meta['load_end']}")
    print(f"syllabus: {meta['syllabus_bin']}")
    if meta.get("zola_bin"):
        print(f"zola:     {meta['zola_bin']} ({meta['zola_version']}; highlight_theme = "
              f"\"{meta['zola_highlight']}\", search index {'on' if meta['zola_search'] else 'off'}, "
              f"course sidebar {'on' if meta.get('zola_sidebar', True) else 'OFF'})")
    print(f"course:   gen_course.py --mix {meta['mix']} --seed {meta['seed']}")
    print()
    print("Build (alternating pairs: ours, Zola's, ours, ...; times in s, memory = peak RSS in MiB)")
    headers = ["lessons", "pages", "MB", "pairs", "ours s", "Zola s", "time x  min / med / max",
               "ours MiB", "Zola MiB", "mem x  min / med / max", "ours CPU s", "Zola CPU s", "CPU x"]
    table = []
    for r in rows:
        p = r.get("pairs", {})
        table.append([str(r["lessons"]), str(r["pages"]), f"{r['course_mb']:.1f}",
                      str(p.get("pairs_ok", len(p.get("ours_runs", [])))),
                      f(med(p.get("ours_seconds")), ".3f", r.get("ours_error") or "-"),
                      f(med(p.get("zola_seconds")), ".3f", r.get("zola_error") or "-"),
                      trio(p.get("time_ratio")),
                      f(med(p.get("ours_peak_mib")), ".1f"),
                      f(med(p.get("zola_peak_mib")), ".1f"),
                      trio(p.get("mem_ratio")),
                      f(med(p.get("ours_cpu_seconds")), ".2f"), f(med(p.get("zola_cpu_seconds")), ".2f"),
                      f(med(p.get("cpu_ratio")), ".2f")])
    print_rows(headers, table)
    print("time x / mem x: ours / Zola's of each pair (below 1: we are faster / leaner); "
          "min / median / max over the pairs.")
    print("CPU s: user + system time (medians), CPU x its ratio (median over the pairs): less "
          "sensitive to other load than wall time, blind to parallelism.")

    if len(rows) > 1:
        print()
        print("Growth from one size to the next (x: the larger size's median over the smaller's)")
        headers = ["from -> to", "lessons x", "ours time x", "ours mem x", "ours CPU x",
                   "Zola time x", "Zola mem x", "Zola CPU x"]
        table = []
        for a, b in zip(rows, rows[1:]):
            pa, pb = a.get("pairs", {}), b.get("pairs", {})

            def g(key):
                va, vb = med(pa.get(key)), med(pb.get(key))
                return f(vb / va if va and vb else None, ".2f")
            table.append([f"{size_label(a['lessons'])} -> {size_label(b['lessons'])}",
                          f"{b['lessons'] / a['lessons']:.0f}", g("ours_seconds"), g("ours_peak_mib"),
                          g("ours_cpu_seconds"), g("zola_seconds"), g("zola_peak_mib"), g("zola_cpu_seconds")])
        print_rows(headers, table, left=1)
        print("time x compares runs made minutes apart: on a shared machine read it with CPU x.")

    weights = []
    for r in rows:
        if r.get("ours_weight"):
            weights.append((f"ours {size_label(r['lessons'])}", r["ours_weight"]))
        if r.get("zola_weight"):
            weights.append((f"Zola {size_label(r['lessons'])}", r["zola_weight"]))
    if weights:
        print()
        print("Output (the last run's output directory)")
        page_weight.print_weights(weights)
        print(page_weight.WEIGHT_LEGEND)
        for r in rows:
            ow, zw = r.get("ours_weight"), r.get("zola_weight")
            if ow and zw:
                print(f"{size_label(r['lessons'])}: ours / Zola's: bytes {ow['bytes'] / zw['bytes']:.2f}x, "
                      f"files {ow['files'] / zw['files']:.2f}x, median page "
                      f"{ow['median_total'] / zw['median_total']:.2f}x")

    if serve_rows:
        print()
        print(f"syllabus serve (RSS = resident memory of the server process, MiB; latency: median / max "
              f"over the saves, ms)")
        headers = ["course", "pages", "first build s", "RSS built", "RSS after saves", "saves",
                   "reload ms", "served ms"]
        table = []
        for s in serve_rows:
            sv = s["serve"]
            if not sv.get("ok"):
                table.append([s["label"], str(s.get("pages") or "-"), "FAILED", "-", "-", "-", "-", "-"])
                continue
            table.append([s["label"], str(s.get("pages") or "-"), f"{sv['first_build_seconds']:.2f}",
                          f(sv.get("rss_built_mib"), ".1f"), f(sv.get("rss_after_saves_mib"), ".1f"),
                          str(len(sv["reload_ms_runs"])),
                          f"{sv['reload_ms_median']:.0f} / {max(sv['reload_ms_runs']):.0f}",
                          f"{sv['served_ms_median']:.0f} / {max(sv['served_ms_runs']):.0f}"])
        print_rows(headers, table, left=1)


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------

def parse_pairs(spec: str) -> dict[int, int]:
    """"1000=5,100000=1" -> {1000: 5, 100000: 1}"""
    out = {}
    for item in spec.split(","):
        if item.strip():
            size, _, n = item.partition("=")
            out[int(size)] = int(n)
    return out


def bundled_course(workdir: str) -> str:
    """A copy of the repository's bundled course (serve_latency.py edits a lesson)."""
    dst = os.path.join(workdir, "bundled-course")
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(os.path.join(ROOT, "content"), os.path.join(dst, "content"))
    if os.path.exists(os.path.join(ROOT, "book.toml")):
        shutil.copy2(os.path.join(ROOT, "book.toml"), dst)
    return dst


def autogroup() -> str | None:
    """This session's scheduling group and its nice value (Linux autogroup), if enabled: with
    autogroups, a process' nice value only ranks it within its own session."""
    try:
        with open("/proc/sys/kernel/sched_autogroup_enabled", encoding="utf-8") as fh:
            if fh.read().strip() != "1":
                return None
        with open("/proc/self/autogroup", encoding="utf-8") as fh:
            return fh.read().strip()
    except OSError:
        return None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--zola-src", metavar="DIR",
                    help="Zola 0.21.0 source tree (see benches/README.md); without it only Syllabus runs")
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated lesson counts (default 1000,10000)")
    ap.add_argument("--pairs", type=int, default=5, help="alternating pairs per size (default 5)")
    ap.add_argument("--pairs-at", default="100000=1", metavar="SIZE=N,...",
                    help="pairs for particular sizes (default 100000=1)")
    ap.add_argument("--zola-up-to", type=int, default=10000, metavar="LESSONS",
                    help="run Zola only at sizes up to this (default 10000; 0 = every size)")
    ap.add_argument("--mix", default="reference", choices=["reference", "classic"],
                    help="gen_course.py mix (default reference: issue 15's course)")
    ap.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    ap.add_argument("--bin", default=None, help="syllabus binary (default target/release/syllabus)")
    ap.add_argument("--rebuild", action="store_true", help="run `cargo build --release` for syllabus first")
    ap.add_argument("--keep", default=None, metavar="DIR",
                    help="work dir kept between runs: courses, Zola sites, Zola's build (default: a "
                         "temporary dir, and Zola's build cached in target/peer-zola/)")
    ap.add_argument("--zola-cache", default=None, metavar="DIR",
                    help="where Zola is built and its binary cached (default KEEP/zola or target/peer-zola)")
    ap.add_argument("--zola-jobs", type=int, default=1, help="cargo -j for building Zola (default 1)")
    ap.add_argument("--zola-highlight", default=to_zola.DEFAULT_HIGHLIGHT,
                    help=f'Zola highlight_theme: a theme (inline styles; default {to_zola.DEFAULT_HIGHLIGHT}, '
                         'Zola\'s default) or "css" (class names, as Syllabus writes)')
    ap.add_argument("--zola-search", action="store_true",
                    help="Zola with its search index (build_search_index = true; off by default, as in Zola)")
    ap.add_argument("--zola-no-sidebar", action="store_true",
                    help="Zola pages without the course sidebar (ours keep theirs)")
    ap.add_argument("--no-weight", action="store_true", help="skip the output weight")
    ap.add_argument("--delete-between", action="store_true",
                    help="delete the run before's output (and our build cache) just before each "
                         "run, as this script did until 2026-12-02; by default they are moved "
                         "aside and deleted after each size's pairs (see `clear`)")
    ap.add_argument("--keep-outputs", action="store_true",
                    help="keep the build outputs of sizes over 10,000 (deleted after measuring by default)")
    ap.add_argument("--no-serve", action="store_true", help="skip `syllabus serve`")
    ap.add_argument("--serve-sizes", default="10000",
                    help="sizes (of --sizes) to measure serve on, besides the bundled course (default 10000)")
    ap.add_argument("--serve-saves", type=int, default=50, help="saves per serve measurement (default 50)")
    ap.add_argument("--json-out", nargs="?", const=os.path.join(os.path.dirname(__file__), "peer-results.json"),
                    default=None, metavar="PATH", help="also write all measurements as JSON")
    ap.add_argument("--timeout", type=float, default=3600, help="seconds before a run is killed (default 3600)")
    ap.add_argument("--report", metavar="JSON", help="print the report of an earlier --json-out file and exit")
    args = ap.parse_args(argv)
    if args.report:
        with open(args.report, encoding="utf-8") as fh:
            saved = json.load(fh)
        print_report(saved["sizes"], saved["serve"], saved["meta"])
        return 0

    def on_sigterm(signum, frame):
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, on_sigterm)

    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    try:
        pairs_at = parse_pairs(args.pairs_at)
    except ValueError:
        ap.error("--pairs-at takes SIZE=N,SIZE=N")
    serve_sizes = {int(s) for s in args.serve_sizes.split(",") if s.strip()}

    bin_path = os.path.abspath(args.bin or os.path.join(target_dir(), "release", "syllabus"))
    if args.keep:
        workdir = os.path.abspath(args.keep)
        os.makedirs(workdir, exist_ok=True)
        cleanup = False
    else:
        workdir = tempfile.mkdtemp(prefix="syllabus-peer-")
        cleanup = True
    zola_cache = os.path.abspath(args.zola_cache or (os.path.join(workdir, "zola") if args.keep
                                                     else os.path.join(target_dir(), "peer-zola")))
    log_dir = os.path.join(workdir, "logs")
    os.makedirs(log_dir, exist_ok=True)
    global TRASH
    TRASH = None if args.delete_between else os.path.join(workdir, "trash")
    empty_trash()
    log("outputs: " + ("deleted just before each run (--delete-between)" if TRASH is None
                       else "moved aside before each run, deleted after each size's pairs"))

    machine = machine_info()
    floor = measure(["true"], log_dir, 30)
    machine["rss_floor_kib"] = floor.maxrss_kib
    machine["rss_launch"] = "sh+subreaper" if enable_subreaper() else "direct"
    meta = {"machine": machine, "nice": os.nice(0), "autogroup": autogroup(), "load_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
            "mix": args.mix, "seed": args.seed, "syllabus_bin": bin_path,
            "zola_highlight": args.zola_highlight, "zola_search": args.zola_search, "zola_sidebar": not args.zola_no_sidebar,
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    log(f"load average at start: {meta['load_start']}; nice {meta['nice']}")

    if not ensure_syllabus(bin_path, args.bin is not None, args.rebuild, None):
        return 1
    zola = None
    if args.zola_src:
        try:
            zola = ensure_zola(args.zola_src, zola_cache, args.zola_jobs)
        except (OSError, ValueError, RuntimeError) as e:
            log(f"zola: {e}")
            return 1
        version = subprocess.run([zola, "--version"], capture_output=True, text=True).stdout.strip()
        meta.update(zola_bin=zola, zola_version=version, zola_src=os.path.abspath(args.zola_src))
        log(f"zola: {version}")

    rows, serve_rows = [], []
    ok = True
    try:
        for size in sizes:
            course = ensure_course(workdir, size, args.seed, args.mix)
            cpath = course["path"]
            row = {"lessons": course["lessons"], "pages": course["pages"],
                   "course_mb": course["total_bytes"] / 1e6, "code_blocks": course["code_blocks"],
                   "code_blocks_distinct": course.get("code_blocks_distinct"), "course_path": cpath}
            log(f"size {size}: {course['lessons']} lessons, {course['pages']} pages, {row['course_mb']:.1f} MB")
            ours_out = os.path.join(workdir, f"out-ours-{size}")
            zola_out = os.path.join(workdir, f"out-zola-{size}")
            zola_cmd = None
            if zola and (args.zola_up_to == 0 or size <= args.zola_up_to):
                site = ensure_zola_site(workdir, course, args.zola_highlight, args.zola_search,
                                        not args.zola_no_sidebar)
                zola_cmd = [zola, "--root", site, "build", "--output-dir", zola_out]
            n_pairs = pairs_at.get(size, args.pairs)
            p = measure_pairs([bin_path, "build", cpath, "--out", ours_out], zola_cmd, ours_out, zola_out,
                              n_pairs, log_dir, args.timeout, course["lessons"])
            row["pairs"] = p
            empty_trash(settle=12.0)
            if "ours_seconds" not in p:
                row["ours_error"] = "FAILED"
                ok = False
            if zola_cmd and "zola_seconds" not in p:
                row["zola_error"] = "FAILED"
                ok = False
            if zola_cmd and p.get("zola_seconds"):
                hl = zola_highlight_check(zola_out, args.zola_highlight)
                row["zola_highlight"] = hl
                log(f"  zola highlighting: {hl['spans']} highlighted spans in {hl['pages_highlighted']} "
                    f"of {hl['pages_with_code']} pages with code looked at")
                if hl["pages_highlighted"] == 0:
                    log("  zola: NO highlighted code in its output: the comparison is not fair")
                    row["zola_error"] = "no highlighting"
                    ok = False
            if not args.no_weight:
                if p.get("ours_seconds"):
                    log("  measuring output weight (ours)")
                    row["ours_weight"] = page_weight.measure_site(ours_out)
                if zola_cmd and p.get("zola_seconds"):
                    log("  measuring output weight (Zola)")
                    row["zola_weight"] = page_weight.measure_site(zola_out)
            if size > 10000 and not args.keep_outputs:
                shutil.rmtree(ours_out, ignore_errors=True)
                shutil.rmtree(zola_out, ignore_errors=True)
            rows.append(row)
            if not args.no_serve and size in serve_sizes:
                log(f"  serve: {args.serve_saves} saves on the {size}-lesson course")
                sv = measure_serve(bin_path, cpath, args.serve_saves, timeout=args.timeout, log=log)
                serve_rows.append({"label": f"{size_label(size)} lessons", "pages": course["pages"], "serve": sv})
                ok = ok and sv.get("ok", False)
        if not args.no_serve:
            bundled = bundled_course(workdir)
            log(f"  serve: {args.serve_saves} saves on the bundled course")
            sv = measure_serve(bin_path, bundled, args.serve_saves, timeout=args.timeout, log=log)
            pages = sum(1 for _, _, fs in os.walk(os.path.join(bundled, "content")) for x in fs if x.endswith((".md", ".mdx")))
            serve_rows.append({"label": "bundled course", "pages": pages, "serve": sv})
            ok = ok and sv.get("ok", False)
    finally:
        empty_trash()
        meta["load_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
        if cleanup:
            shutil.rmtree(workdir, ignore_errors=True)

    print_report(rows, serve_rows, meta)
    if args.json_out:
        with open(args.json_out, "w", encoding="utf-8") as fh:
            json.dump({"meta": meta, "sizes": rows, "serve": serve_rows}, fh, indent=2)
            fh.write("\n")
        log(f"wrote {args.json_out}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
