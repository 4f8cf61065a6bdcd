#!/usr/bin/env python3
"""Save-to-served latency of `syllabus serve` (used by bench.py; runnable alone).

Usage:
    python3 benches/serve_latency.py COURSE [--bin target/release/syllabus] [--saves 7] [--json]

Prints the resident memory after the first build and after the saves, and the latency
percentiles (p50, p90, max); --json prints every measurement.

Starts `BIN serve COURSE --port 0` (loopback only), waits for its "Serving ... at URL"
line, opens the live-reload stream (/__syllabus/events), then --saves times appends
one line to the same lesson (the middle one, by path) and measures

  * reload: from just before the write to the `reload` event naming the page;
  * served: from just before the write until a GET of that page contains the new line;
  * search (with --search-delay S): S seconds after the page was served (a reader's time to
    reach the search box), how long a GET of the search index's manifest takes: the first
    search after a save waits for it when the index is rebuilt on demand;
  * search fresh (with --search-delay): from just before the write until the manifest's
    version changes, that is until the rebuilt index (with the saved line) is served.

Saves are spaced out (--gap seconds) so that each is measured alone. It also reads the
server's resident memory (VmRSS in /proc/PID/status) a second after it is ready (the
first build done), after every save and a second after the last one, and its peak
(VmHWM). The lesson is restored afterwards, and the server is stopped with SIGTERM.
Standard library only.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time


def _lines(stream, out: queue.Queue) -> None:
    for raw in iter(stream.readline, b""):
        out.put(raw.decode("utf-8", "replace").rstrip("\n"))
    out.put(None)


def _events(sock: socket.socket, out: queue.Queue) -> None:
    """Parses server-sent events from a raw HTTP response (chunk-size lines are skipped)."""
    name = ""
    buf = b""
    while True:
        try:
            data = sock.recv(65536)
        except OSError:
            break
        if not data:
            break
        buf += data
        *lines, buf = buf.split(b"\n")
        for line in lines:
            text = line.decode("utf-8", "replace").rstrip("\r")
            if text.startswith("event: "):
                name = text[7:]
            elif text.startswith("data: "):
                out.put((time.perf_counter(), name, text[6:]))
    out.put(None)


def _lesson(course: str) -> str:
    lessons = []
    for dirpath, dirnames, files in os.walk(os.path.join(course, "content")):
        dirnames.sort()
        lessons += [os.path.join(dirpath, f) for f in sorted(files)
                    if f.endswith(".md") and f.lower() not in ("readme.md", "index.md")]
    if not lessons:
        raise RuntimeError(f"no lesson under {course}/content")
    return lessons[len(lessons) // 2]


def rss_mib(pid: int) -> tuple[float | None, float | None]:
    """(VmRSS, VmHWM) of a process in MiB: its resident memory now and at its peak (Linux)."""
    rss = hwm = None
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) / 1024
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1]) / 1024
    except OSError:
        pass
    return rss, hwm


def measure_serve(bin_path: str, course: str, saves: int = 7, gap: float = 0.4,
                  timeout: float = 1800, log=lambda m: print(m, file=sys.stderr),
                  settle: float = 1.0, search_delay: float | None = None,
                  save_timeout: float = 60) -> dict:
    """Returns {"ok", "first_build_seconds", "reload_ms_runs", "served_ms_runs",
    "reload_ms_median", "served_ms_median", "lesson", "page", "rss_built_mib",
    "rss_after_saves_mib", "rss_mib_runs", "hwm_mib"} or {"ok": False, "error"}.

    rss_built_mib is the server's resident memory `settle` seconds after it is ready (the
    first build done), rss_after_saves_mib the same after the last save was served;
    rss_mib_runs the resident memory right after each save was served; hwm_mib the peak.
    With search_delay, also "search_ms_runs" and "search_ms_median" (see the module doc)."""
    lesson = _lesson(course)
    with open(lesson, "rb") as fh:
        original = fh.read()
    started = time.perf_counter()
    proc = subprocess.Popen([bin_path, "serve", course, "--port", "0"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_lines, args=(proc.stderr, lines), daemon=True).start()
    sock = None
    result: dict = {"ok": False, "lesson": os.path.relpath(lesson, course)}
    try:
        url = None
        tail = []
        deadline = started + timeout
        while url is None:
            try:
                line = lines.get(timeout=max(0.1, deadline - time.perf_counter()))
            except queue.Empty:
                line = None
            if line is None:
                result["error"] = "no `Serving` line: " + " | ".join(tail[-5:])
                return result
            tail.append(line)
            m = re.match(r"Serving .* at (http://\S+)", line)
            if m:
                url = m.group(1)
        result["first_build_seconds"] = time.perf_counter() - started
        m = re.match(r"http://([^/:]+|\[[^\]]+\]):(\d+)(/.*)", url)
        host, port, base = m.group(1).strip("[]"), int(m.group(2)), m.group(3)
        sock = socket.create_connection((host, port))
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.sendall(f"GET /__syllabus/events HTTP/1.1\r\nHost: {host}:{port}\r\n"
                     "Accept: text/event-stream\r\n\r\n".encode())
        events: queue.Queue = queue.Queue()
        threading.Thread(target=_events, args=(sock, events), daemon=True).start()

        def next_event(wanted: str, within: float):
            end = time.perf_counter() + within
            while True:
                item = events.get(timeout=max(0.01, end - time.perf_counter()))
                if item is None:
                    raise RuntimeError("the live-reload stream closed")
                if item[1] == wanted:
                    return item

        next_event("hello", 30)
        time.sleep(settle)
        result["rss_built_mib"], _ = rss_mib(proc.pid)
        conn = http.client.HTTPConnection(host, port, timeout=30)
        reload_ms, served_ms, rss_runs, search_ms, fresh_ms = [], [], [], [], []

        def manifest_version() -> str:
            conn.request("GET", f"{base}assets/search/manifest.js")
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            if response.status != 200:
                raise RuntimeError(f"the search manifest answered {response.status}")
            m = re.search(r'"v":"([^"]*)"', text)
            return m.group(1) if m else ""
        page = None
        for i in range(saves):
            marker = f"serve-latency-probe-{i}-{os.getpid()}"
            before = manifest_version() if search_delay is not None else ""
            t0 = time.perf_counter()
            with open(lesson, "ab") as fh:
                fh.write(f"\n{marker}\n".encode())
            while True:
                when, _, data = next_event("reload", save_timeout)
                pages = json.loads(data).get("pages")
                # The lesson's chapter print view changes with it: the lesson is the other.
                if pages is not None:
                    pages = [p for p in pages if not p.rstrip("/").endswith("/print")]
                if pages is None or len(pages) == 1:
                    break
            reload_ms.append((when - t0) * 1000)
            if page is None:
                page = pages[0] if pages else base
            while True:
                conn.request("GET", page)
                body = conn.getresponse().read()
                if marker.encode() in body:
                    break
                if time.perf_counter() - t0 > save_timeout:
                    raise RuntimeError(f"{page} never showed the saved line")
            served_ms.append((time.perf_counter() - t0) * 1000)
            rss_runs.append(rss_mib(proc.pid)[0])
            searched = ""
            if search_delay is not None:
                time.sleep(search_delay)
                s0 = time.perf_counter()
                version = manifest_version()
                search_ms.append((time.perf_counter() - s0) * 1000)
                while version == before:
                    if time.perf_counter() - t0 > 120:
                        raise RuntimeError("the search index was not rebuilt within 120 s")
                    time.sleep(0.05)
                    version = manifest_version()
                fresh_ms.append((time.perf_counter() - t0) * 1000)
                searched = (f", search {search_ms[-1]:.1f} ms, index fresh after "
                            f"{fresh_ms[-1]:.0f} ms")
            log(f"  serve: save {i + 1}/{saves}: reload event {reload_ms[-1]:.1f} ms, "
                f"page served {served_ms[-1]:.1f} ms{searched}, RSS {rss_runs[-1] or 0:.0f} MiB")
            time.sleep(gap)
        conn.close()
        time.sleep(max(0.0, settle - gap))
        result["rss_after_saves_mib"], result["hwm_mib"] = rss_mib(proc.pid)
        result.update({"ok": True, "page": page, "reload_ms_runs": reload_ms,
                       "served_ms_runs": served_ms, "rss_mib_runs": rss_runs,
                       "reload_ms_median": statistics.median(reload_ms),
                       "served_ms_median": statistics.median(served_ms)})
        if search_ms:
            result.update({"search_ms_runs": search_ms,
                           "search_ms_median": statistics.median(search_ms),
                           "search_fresh_ms_runs": fresh_ms,
                           "search_fresh_ms_median": statistics.median(fresh_ms)})
        return result
    except (OSError, RuntimeError, queue.Empty, ValueError) as e:
        result["error"] = f"{type(e).__name__}: {e}"
        return result
    finally:
        with open(lesson, "wb") as fh:
            fh.write(original)
        if sock is not None:
            sock.close()
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def percentiles(values: list[float]) -> dict:
    """p50, p90 and max of `values` (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return {}

    def rank(p: float) -> float:
        return ordered[min(len(ordered) - 1, max(0, round(p * len(ordered) + 0.5) - 1))]
    return {"p50": rank(0.5), "p90": rank(0.9), "max": ordered[-1]}


def summary(r: dict) -> str:
    """The lines a person reads: memory after the first build and after the saves, and the
    latency percentiles."""
    if not r.get("ok"):
        return f"serve: FAILED: {r.get('error')}"
    out = [f"first build      {r['first_build_seconds']:.2f} s",
           f"RSS after build  {r['rss_built_mib']:.1f} MiB",
           f"RSS after saves  {r['rss_after_saves_mib']:.1f} MiB "
           f"({len(r['reload_ms_runs'])} saves; peak {r['hwm_mib']:.1f} MiB)"]
    for name in ("reload", "served", "search_fresh"):
        runs = r.get(f"{name}_ms_runs")
        if runs:
            p = percentiles(runs)
            out.append(f"{name + ' ms':<16} p50 {p['p50']:.1f}  p90 {p['p90']:.1f}  max {p['max']:.1f}")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("course")
    ap.add_argument("--bin", default=os.path.join(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))), "target", "release", "syllabus"))
    ap.add_argument("--saves", type=int, default=7)
    ap.add_argument("--gap", type=float, default=0.4, help="seconds between saves (default 0.4)")
    ap.add_argument("--json", action="store_true", help="print every measurement as JSON")
    ap.add_argument("--timeout", type=float, default=60,
                    help="seconds a save may take to reach the browser (default 60)")
    ap.add_argument("--settle", type=float, default=1.0,
                    help="seconds after the first build and after the last save before the resident "
                         "memory is read (default 1)")
    ap.add_argument("--search-delay", type=float, default=None,
                    help="after each save, wait this many seconds, then time a search request")
    args = ap.parse_args()
    r = measure_serve(args.bin, args.course, args.saves, args.gap, search_delay=args.search_delay,
                      save_timeout=args.timeout, settle=args.settle)
    if args.json:
        print(json.dumps(r, indent=2))
    else:
        print(summary(r))
    return 0 if r["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
