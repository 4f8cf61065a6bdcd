#!/usr/bin/env python3
"""Benchmark `syllabus build` (and `syllabus check`) against a simple baseline.

Usage:
    python3 benches/bench.py [--sizes 1000,10000] [--runs 3] [--bin target/release/syllabus]
                             [--keep DIR] [--json-out [PATH]] [options]

For every size N it generates (or reuses) a synthetic N-lesson course with
benches/gen_course.py, then measures, each over --runs runs:

  * `BIN build COURSE --out OUTDIR`  (OUTDIR is emptied before every run)
  * `BIN check COURSE`               (only if `BIN --help` lists a `check` subcommand)
  * `BASELINE COURSE/content`        (benches/baseline.rs, a single-threaded
                                      pulldown-cmark + syntect converter that writes nothing)

reporting the median wall time and the peak RSS (ru_maxrss from os.wait4) of
each, and the ratios build/baseline. See benches/README.md. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.dont_write_bytecode = True  # no __pycache__ in benches/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_latency import measure_serve  # noqa: E402  (benches/serve_latency.py)

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH_DIR)
GEN = os.path.join(BENCH_DIR, "gen_course.py")
MANIFEST = ".gen-course.json"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def target_dir() -> str:
    td = os.environ.get("CARGO_TARGET_DIR")
    if td:
        return td if os.path.isabs(td) else os.path.join(ROOT, td)
    return os.path.join(ROOT, "target")


def cargo_cmd(args: list[str], jobs: int | None) -> list[str]:
    cmd = ["cargo"] + args
    if jobs:
        cmd += ["-j", str(jobs)]
    return cmd


# --------------------------------------------------------------------------
# Running and measuring one process
# --------------------------------------------------------------------------

class RunResult:
    def __init__(self, seconds: float, maxrss_kib: int, returncode: int, stdout: str, stderr: str,
                 timed_out: bool, cpu_seconds: float | None = None):
        self.seconds = seconds
        self.cpu_seconds = cpu_seconds  # user + system time of the command (and its waited-for children)
        self.maxrss_kib = maxrss_kib
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.timed_out = timed_out

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out


# ru_maxrss of a process is a high-water mark that survives exec(): a child
# forked (or vforked) from this Python process starts with a "peak" equal to the
# Python process's own RSS (~15 MiB), which would hide the real peak of small
# programs such as the baseline. So on Linux, commands are started through
# /bin/sh: the shell forks a subshell in the background, prints its pid and exits
# at once; the subshell (a fork of the tiny shell, ~1 MiB) waits for a "go" line
# on its stdin and then execs the command, whose peak therefore starts from the
# shell's RSS, not ours. This process registers as a child subreaper (prctl
# PR_SET_CHILD_SUBREAPER), so the orphaned subshell is re-parented to it before it
# is told to go, and os.wait4() on its pid returns the command's own rusage (itself
# plus any children it waited for). Elsewhere, commands are run directly.
_SUBREAPER = None

# (an asynchronous list gets /dev/null as stdin, hence the copy of stdin on fd 3)
_LAUNCH = ('out=$1; err=$2; shift 2; exec 3<&0; '
           '(read go <&3 && exec "$@" 3<&- </dev/null >"$out" 2>"$err") & echo $!')


def enable_subreaper() -> bool:
    global _SUBREAPER
    if _SUBREAPER is None:
        _SUBREAPER = False
        if sys.platform.startswith("linux") and os.path.exists("/bin/sh"):
            try:
                import ctypes
                libc = ctypes.CDLL(None, use_errno=True)
                PR_SET_CHILD_SUBREAPER = 36
                _SUBREAPER = libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
            except (OSError, AttributeError):
                _SUBREAPER = False
    return _SUBREAPER


def measure(cmd: list[str], log_dir: str, timeout: float) -> RunResult:
    """Run cmd once; wall time from start to reaping, peak RSS from wait4's rusage."""
    out_path = os.path.join(log_dir, "last.stdout")
    err_path = os.path.join(log_dir, "last.stderr")
    proc = None
    if enable_subreaper():
        with open(err_path, "wb") as err:
            shell = subprocess.Popen(["/bin/sh", "-c", _LAUNCH, "sh", out_path, err_path, *cmd],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, cwd=ROOT)
            line = shell.stdout.readline()
            shell.wait()  # the subshell is now an orphan, re-parented to us
            shell.stdout.close()
        if shell.returncode != 0 or not line.strip().isdigit():
            shell.stdin.close()
            raise RuntimeError(f"could not start {cmd!r} through /bin/sh (exit code {shell.returncode})")
        pid = int(line)
        start = time.perf_counter()
        shell.stdin.write(b"go\n")
        shell.stdin.close()
    else:
        with open(out_path, "wb") as out, open(err_path, "wb") as err:
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, cwd=ROOT)
        pid = proc.pid

    timed_out = threading.Event()
    # A pidfd cannot be redirected to another process if the pid is reused
    # after wait4 reaps the child, so the timeout can never kill a stranger.
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pidfd = None

    def kill():
        timed_out.set()
        try:
            if pidfd is not None:
                signal.pidfd_send_signal(pidfd, signal.SIGKILL)
            elif proc is not None:
                proc.kill()
        except OSError:
            pass

    timer = threading.Timer(timeout, kill)
    timer.start()
    try:
        _, status, rusage = os.wait4(pid, 0)
    except BaseException:
        # interrupted (Ctrl-C, SIGTERM): do not leave the measured command running
        kill()
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass
        raise
    finally:
        timer.cancel()
        timer.join()
        if pidfd is not None:
            os.close(pidfd)
    elapsed = time.perf_counter() - start
    returncode = os.waitstatus_to_exitcode(status)
    if proc is not None:
        proc.returncode = returncode  # already reaped: keep Popen from waiting again
    stdout = stderr = ""
    if os.path.exists(out_path):
        with open(out_path, encoding="utf-8", errors="replace") as fh:
            stdout = fh.read()
    with open(err_path, encoding="utf-8", errors="replace") as fh:
        stderr = fh.read()
    # ru_maxrss is in KiB on Linux (bytes on macOS).
    maxrss = rusage.ru_maxrss // 1024 if sys.platform == "darwin" else rusage.ru_maxrss
    return RunResult(elapsed, maxrss, returncode, stdout, stderr, timed_out.is_set(),
                     rusage.ru_utime + rusage.ru_stime)


def measure_runs(name: str, cmd: list[str], runs: int, log_dir: str, timeout: float,
                 before=None) -> dict:
    """Run cmd `runs` times; return a summary dict (median seconds, max peak RSS)."""
    times, rss = [], []
    last = None
    for i in range(runs):
        if before:
            before()
        res = measure(cmd, log_dir, timeout)
        last = res
        if not res.ok:
            why = "timed out" if res.timed_out else f"exit code {res.returncode}"
            tail = "\n".join((res.stderr or res.stdout).strip().splitlines()[-15:])
            log(f"  {name}: run {i + 1} FAILED ({why}) after {res.seconds:.2f}s: {' '.join(cmd)}")
            if tail:
                log("    " + tail.replace("\n", "\n    "))
            return {"ok": False, "error": why, "command": cmd, "stderr_tail": tail,
                    "seconds_runs": times, "peak_kib_runs": rss}
        times.append(res.seconds)
        rss.append(res.maxrss_kib)
        log(f"  {name}: run {i + 1}/{runs}: {res.seconds:.3f}s, peak {res.maxrss_kib / 1024:.1f} MiB")
    return {"ok": True, "command": cmd, "seconds_median": statistics.median(times),
            "seconds_min": min(times), "seconds_runs": times,
            "peak_kib": max(rss), "peak_kib_runs": rss,
            "stdout_last": last.stdout.strip()[-2000:] if last else ""}


# --------------------------------------------------------------------------
# Preparing binaries and courses
# --------------------------------------------------------------------------

def ensure_syllabus(bin_path: str, explicit: bool, rebuild: bool, jobs: int | None) -> bool:
    if rebuild or (not os.path.exists(bin_path) and not explicit):
        log(f"building release binary: cargo build --release (target dir {target_dir()})")
        rc = subprocess.call(cargo_cmd(["build", "--release"], jobs), cwd=ROOT)
        if rc != 0:
            log("cargo build --release failed")
    if not os.path.exists(bin_path):
        log(f"syllabus binary not found: {bin_path}")
        return False
    return True


def build_baseline(jobs: int | None) -> str | None:
    cmd = cargo_cmd(["bench", "--bench", "baseline", "--no-run", "--message-format=json"], jobs)
    log("building baseline: " + " ".join(cmd))
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    exe = None
    for line in proc.stdout.splitlines():
        try:
            msg = json.loads(line)
        except json.JSONDecodeError:
            continue
        if msg.get("reason") != "compiler-artifact" or not msg.get("executable"):
            continue
        target = msg.get("target", {})
        if target.get("name") == "baseline" and "bench" in target.get("kind", []):
            exe = msg["executable"]
    if proc.returncode != 0 or not exe:
        log(f"baseline build failed (exit code {proc.returncode}); note that a bench target also "
            "compiles the package's library and binary, so it fails while src/ does not compile")
        return None
    return exe


NOT_AVAILABLE_RE = re.compile(r"not (yet )?(available|implemented|supported)|unrecognized subcommand", re.I)


def help_has_serve(bin_path: str) -> bool:
    try:
        out = subprocess.run([bin_path, "serve", "--help"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.returncode == 0 and "--port" in out.stdout


def help_has_check(bin_path: str) -> bool:
    try:
        out = subprocess.run([bin_path, "--help"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    text = out.stdout + out.stderr
    # clap lists subcommands as indented "  check   Description" lines
    return re.search(r"^\s+check\b", text, re.M) is not None


def ensure_course(workdir: str, lessons: int, seed: int, mix: str = "reference") -> dict:
    course = os.path.join(workdir, f"course-{lessons}-{mix}-seed{seed}")
    manifest = os.path.join(course, MANIFEST)
    gen_version = None
    with open(GEN, encoding="utf-8") as fh:
        m = re.search(r"^GENERATOR_VERSION = (\d+)", fh.read(), re.M)
        gen_version = int(m.group(1)) if m else None
    if os.path.exists(manifest):
        with open(manifest, encoding="utf-8") as fh:
            info = json.load(fh)
        if (info.get("lessons") == lessons and info.get("seed") == seed
                and info.get("mix") == mix and info.get("generator_version") == gen_version
                and os.path.isdir(os.path.join(course, "content"))):
            log(f"reusing course {course}")
            info["path"] = course
            return info
    log(f"generating {lessons}-lesson course ({mix} mix) in {course}")
    subprocess.run([sys.executable, GEN, "--lessons", str(lessons), "--out", course,
                    "--seed", str(seed), "--mix", mix, "--force"], check=True)
    with open(manifest, encoding="utf-8") as fh:
        info = json.load(fh)
    info["path"] = course
    return info


def count_files(path: str, suffix: str) -> int:
    n = 0
    for _, _, files in os.walk(path):
        n += sum(1 for f in files if f.endswith(suffix))
    return n


def machine_info() -> dict:
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:
        affinity = os.cpu_count()
    info = {"nproc": affinity, "cpu_count": os.cpu_count(), "platform": platform.platform(),
            "python": platform.python_version()}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("MemTotal"):
                    info["mem_total_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                    break
    except OSError:
        pass
    return info


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------

def fmt(v, spec: str, missing: str = "-") -> str:
    return missing if v is None else format(v, spec)


NO_SEARCH_ENV = "SYLLABUS_NO_SEARCH"


def dir_bytes(path: str) -> int:
    total = 0
    for top, _, files in os.walk(path):
        total += sum(os.path.getsize(os.path.join(top, f)) for f in files)
    return total


def measure_index_overhead(row: dict, bin_path: str, cpath: str, outdir: str, args, log_dir: str,
                           clean_out) -> None:
    """What the search index adds to the build: the same build with SYLLABUS_NO_SEARCH=1."""
    index_dir = os.path.join(outdir, "assets", "search")
    if not os.path.isdir(index_dir):
        row["index_error"] = "n/a"  # a binary without search
        return
    row["index_mb"] = dir_bytes(index_dir) / 1e6
    row["index_files"] = sum(len(files) for _, _, files in os.walk(index_dir))
    log(f"  search index: {row['index_mb']:.1f} MB in {row['index_files']} files")
    cmd = ["env", f"{NO_SEARCH_ENV}=1", bin_path, "build", cpath, "--out", outdir]
    n = measure_runs("build without index", cmd, args.runs, log_dir, args.timeout, before=clean_out)
    row["build_noindex"] = n
    if not n["ok"]:
        row["index_error"] = "FAILED"
    elif os.path.isdir(index_dir):
        log(f"  the binary ignores {NO_SEARCH_ENV}=1: no indexing overhead measured")
        row["index_error"] = "n/a"
    else:
        row["noindex_seconds"] = n["seconds_median"]
        row["noindex_peak_mib"] = n["peak_kib"] / 1024
        row["index_overhead"] = row["build_seconds"] / n["seconds_median"] - 1


def print_table(rows: list[dict], machine: dict) -> None:
    print()
    print(f"machine: nproc {machine['nproc']}"
          + (f", {machine['cpu']}" if machine.get("cpu") else "")
          + (f", {machine['mem_total_gib']} GiB RAM" if machine.get("mem_total_gib") else "")
          + f"; RSS floor {machine['rss_floor_kib'] / 1024:.1f} MiB")
    headers = ["size MB", "lessons", "build s", "lessons/s", "peak MiB", "base s", "base MiB",
               "time x", "mem x", "check s", "check/build", "reload ms", "served ms", "no-index s",
               "index +%", "index MB"]
    table = []
    for r in rows:
        table.append([
            fmt(r["course_mb"], ".1f"), str(r["lessons"]),
            fmt(r["build_seconds"], ".3f", r.get("build_error") or "-"),
            fmt(r["lessons_per_second"], ",.0f"), fmt(r["build_peak_mib"], ".1f"),
            fmt(r["baseline_seconds"], ".3f", r.get("baseline_error") or "-"),
            fmt(r["baseline_peak_mib"], ".1f"),
            fmt(r["time_ratio"], ".2f"), fmt(r["mem_ratio"], ".2f"),
            fmt(r["check_seconds"], ".3f", r.get("check_error") or "-"),
            fmt(r["check_build_ratio"], ".2f"),
            fmt(r.get("serve_reload_ms"), ".0f", r.get("serve_error") or "-"),
            fmt(r.get("serve_served_ms"), ".0f", r.get("serve_error") or "-"),
            fmt(r.get("noindex_seconds"), ".3f", r.get("index_error") or "-"),
            fmt(r["index_overhead"] * 100 if r.get("index_overhead") is not None else None, "+.1f"),
            fmt(r.get("index_mb"), ".1f"),
        ])
    widths = [max(len(h), *(len(t[i]) for t in table)) for i, h in enumerate(headers)]
    print("  ".join(h.rjust(w) for h, w in zip(headers, widths)))
    print("  ".join("-" * w for w in widths))
    for t in table:
        print("  ".join(c.rjust(w) for c, w in zip(t, widths)))
    print()
    print("times are medians of the runs; peak MiB is the largest ru_maxrss over the runs;")
    print("time x = build s / base s, mem x = build peak / baseline peak (lower is better).")
    print("reload ms / served ms: `syllabus serve`, median over saves of one lesson, from the save")
    print("to the live-reload event / to the page served with the new text.")
    print("no-index s: the build with SYLLABUS_NO_SEARCH=1 (no search index); index +% = build s /")
    print("no-index s - 1, what indexing adds; index MB: assets/search/ on disk.")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Benchmark syllabus build against a pulldown-cmark+syntect baseline.")
    ap.add_argument("--sizes", default="1000,10000", help="comma-separated lesson counts (default 1000,10000)")
    ap.add_argument("--runs", type=int, default=3, help="timed runs per command (default 3)")
    ap.add_argument("--baseline-runs", type=int, default=None, help="runs of the baseline (default: --runs)")
    ap.add_argument("--bin", default=None,
                    help="syllabus binary (default target/release/syllabus, under $CARGO_TARGET_DIR if set)")
    ap.add_argument("--keep", default=None, metavar="DIR",
                    help="keep generated courses and outputs in DIR and reuse them on later runs")
    ap.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    ap.add_argument("--mix", default="reference", choices=["reference", "classic"],
                    help="course mix for gen_course.py (default reference: issue 15's course)")
    ap.add_argument("--json-out", nargs="?", const=os.path.join(BENCH_DIR, "results.json"), default=None,
                    metavar="PATH", help="also write results as JSON (default path benches/results.json)")
    ap.add_argument("--no-baseline", action="store_true", help="skip the baseline")
    ap.add_argument("--no-check", action="store_true", help="skip `syllabus check` even if supported")
    ap.add_argument("--no-serve", action="store_true", help="skip the `syllabus serve` save-to-served latency")
    ap.add_argument("--no-index-overhead", action="store_true",
                    help="skip the build without the search index (SYLLABUS_NO_SEARCH=1)")
    ap.add_argument("--serve-saves", type=int, default=7,
                    help="saves measured per size for the serve latency (default 7)")
    ap.add_argument("--rebuild", action="store_true", help="run `cargo build --release` even if the binary exists")
    ap.add_argument("--cargo-jobs", type=int, default=None, help="pass -j N to cargo")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds before a run is killed (default 1800)")
    args = ap.parse_args(argv)

    def on_sigterm(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_sigterm)

    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        ap.error("--sizes must be comma-separated integers")
    if args.runs < 1:
        ap.error("--runs must be >= 1")
    baseline_runs = args.baseline_runs if args.baseline_runs is not None else args.runs

    explicit_bin = args.bin is not None
    bin_path = args.bin or os.path.join(target_dir(), "release", "syllabus")
    if not os.path.isabs(bin_path):
        bin_path = os.path.join(ROOT, bin_path) if not os.path.exists(bin_path) else os.path.abspath(bin_path)

    machine = machine_info()
    log(f"nproc: {machine['nproc']}")
    floor_dir = tempfile.mkdtemp(prefix="syllabus-bench-floor-")
    try:
        floor = measure(["true"], floor_dir, 30)
    finally:
        shutil.rmtree(floor_dir, ignore_errors=True)
    machine["rss_launch"] = "sh+subreaper" if enable_subreaper() else "direct"
    machine["rss_floor_kib"] = floor.maxrss_kib
    log(f"peak RSS measured via {machine['rss_launch']}; floor (`true`) {floor.maxrss_kib} KiB")

    # The baseline first: a bench target also builds the package's binary (into
    # the same target dir), so the syllabus binary is looked at afterwards.
    baseline_exe = None if args.no_baseline else build_baseline(args.cargo_jobs)
    if baseline_exe:
        log(f"baseline: {baseline_exe}")
    have_bin = ensure_syllabus(bin_path, explicit_bin, args.rebuild, args.cargo_jobs)
    has_check = have_bin and not args.no_check and help_has_check(bin_path)
    has_serve = have_bin and not args.no_serve and help_has_serve(bin_path)
    if have_bin:
        log(f"syllabus: {bin_path} (check subcommand: {'yes' if has_check else 'no'})")

    if args.keep:
        workdir = os.path.abspath(args.keep)
        os.makedirs(workdir, exist_ok=True)
        cleanup = False
    else:
        workdir = tempfile.mkdtemp(prefix="syllabus-bench-")
        cleanup = True
    log_dir = os.path.join(workdir, "logs")
    os.makedirs(log_dir, exist_ok=True)

    rows = []
    try:
        for size in sizes:
            course = ensure_course(workdir, size, args.seed, args.mix)
            cpath = course["path"]
            outdir = os.path.join(workdir, f"out-{size}")
            row = {"size": size, "lessons": course["lessons"], "pages": course["pages"],
                   "course_bytes": course["total_bytes"], "course_mb": course["total_bytes"] / 1e6,
                   "code_blocks": course["code_blocks"], "course_path": cpath,
                   "build_seconds": None, "lessons_per_second": None, "build_peak_mib": None,
                   "baseline_seconds": None, "baseline_peak_mib": None, "time_ratio": None,
                   "mem_ratio": None, "check_seconds": None, "check_peak_mib": None,
                   "check_build_ratio": None, "serve_reload_ms": None, "serve_served_ms": None,
                   "noindex_seconds": None, "index_overhead": None, "index_mb": None}
            log(f"size {size}: {course['lessons']} lessons, {course['pages']} pages, "
                f"{row['course_mb']:.1f} MB")

            if have_bin:
                def clean_out():
                    shutil.rmtree(outdir, ignore_errors=True)

                b = measure_runs("build", [bin_path, "build", cpath, "--out", outdir], args.runs,
                                 log_dir, args.timeout, before=clean_out)
                row["build"] = b
                if b["ok"]:
                    row["output_html_files"] = count_files(outdir, ".html")
                    log(f"  build output: {row['output_html_files']} .html files in {outdir}")
                if b["ok"] and row["output_html_files"] < course["lessons"]:
                    # e.g. a stub binary that exits 0 without doing anything
                    log(f"  build: exited 0 but wrote {row['output_html_files']} .html files for "
                        f"{course['lessons']} lessons; not counting it")
                    row["build_error"] = "no output"
                elif b["ok"]:
                    row["build_seconds"] = b["seconds_median"]
                    row["lessons_per_second"] = course["lessons"] / b["seconds_median"]
                    row["build_peak_mib"] = b["peak_kib"] / 1024
                else:
                    row["build_error"] = "FAILED"
                if row["build_seconds"] and not args.no_index_overhead:
                    measure_index_overhead(row, bin_path, cpath, outdir, args, log_dir, clean_out)
                if has_check:
                    c = measure_runs("check", [bin_path, "check", cpath], args.runs, log_dir, args.timeout)
                    row["check"] = c
                    if c["ok"]:
                        row["check_seconds"] = c["seconds_median"]
                        row["check_peak_mib"] = c["peak_kib"] / 1024
                        if row["build_seconds"]:
                            row["check_build_ratio"] = row["check_seconds"] / row["build_seconds"]
                    elif not c["seconds_runs"] and NOT_AVAILABLE_RE.search(c.get("stderr_tail", "")):
                        # listed in --help but stubbed out ("not available in this build yet")
                        log("  check: the binary says it does not support `check` yet; skipping it")
                        row["check_error"] = "n/a"
                    else:
                        row["check_error"] = "FAILED"
                if has_serve:
                    log(f"  serve: {args.serve_saves} saves of one lesson")
                    sv = measure_serve(bin_path, cpath, args.serve_saves, timeout=args.timeout, log=log)
                    row["serve"] = sv
                    if sv["ok"]:
                        row["serve_reload_ms"] = sv["reload_ms_median"]
                        row["serve_served_ms"] = sv["served_ms_median"]
                    else:
                        log(f"  serve: FAILED: {sv.get('error')}")
                        row["serve_error"] = "FAILED"
            else:
                row["build_error"] = "no binary"

            if baseline_exe:
                bl = measure_runs("baseline", [baseline_exe, os.path.join(cpath, "content")],
                                  baseline_runs, log_dir, args.timeout)
                row["baseline"] = bl
                if bl["ok"]:
                    row["baseline_seconds"] = bl["seconds_median"]
                    row["baseline_peak_mib"] = bl["peak_kib"] / 1024
                    try:
                        row["baseline_summary"] = json.loads(bl["stdout_last"].splitlines()[-1])
                    except (ValueError, IndexError):
                        pass
                    if row["build_seconds"]:
                        row["time_ratio"] = row["build_seconds"] / row["baseline_seconds"]
                        row["mem_ratio"] = row["build_peak_mib"] / row["baseline_peak_mib"]
                else:
                    row["baseline_error"] = "FAILED"
            elif not args.no_baseline:
                row["baseline_error"] = "no build"
            rows.append(row)
    finally:
        if cleanup:
            shutil.rmtree(workdir, ignore_errors=True)

    print_table(rows, machine)

    if args.json_out:
        result = {"machine": machine, "runs": args.runs, "baseline_runs": baseline_runs,
                  "seed": args.seed, "mix": args.mix, "syllabus_bin": bin_path if have_bin else None,
                  "check_supported": has_check, "serve_supported": has_serve,
                  "baseline_exe": baseline_exe,
                  "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "results": rows}
        if cleanup:
            for r in rows:
                r["course_path"] = None
        with open(args.json_out, "w", encoding="utf-8") as fh:
            json.dump(result, fh, indent=2)
            fh.write("\n")
        log(f"wrote {args.json_out}")
    ok = rows and all(not r.get("build_error") and not r.get("baseline_error")
                      and r.get("check_error") in (None, "n/a") and not r.get("serve_error")
                      and r.get("index_error") in (None, "n/a")
                      for r in rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
