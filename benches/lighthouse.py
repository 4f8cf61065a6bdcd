#!/usr/bin/env python3
"""Lighthouse scores of built Syllabus pages, mobile and desktop, on a real-host-like server.

    (cd benches/lighthouse && npm ci)            # once: the npm `lighthouse` package
    python3 benches/lighthouse.py                 # bundled course + generated 500-lesson course
    python3 benches/lighthouse.py --book ~/.cache/syllabus-compat/OWNER__NAME   # + a real book

For each site it builds the course with `syllabus build` (`--bin`, default
target/release/syllabus), serves the output with `benches/static_host.py` (long cache
lifetimes for hashed assets, `.br`/`.gz` files when they exist), picks the pages to measure
from the output (the home page of the bundled course, the page with the most quiz questions,
and the longest other pages) and runs Lighthouse on each, with Debian's Chromium
(CHROME_PATH, default /usr/bin/chromium) headless, mobile (Lighthouse's default: a phone on a
throttled network, simulated) and desktop (`--preset=desktop`). Nothing leaves the machine:
every page and asset comes from 127.0.0.1. It prints one row per page and form factor with
the four category scores and the page's HTML bytes and DOM elements, and with `--json` writes
every finding that cost points.

Not part of `cargo test` (Lighthouse needs Node and takes ~15 s a page). Standard library only.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import static_host  # noqa: E402

LIGHTHOUSE = os.path.join(HERE, "lighthouse", "node_modules", "lighthouse", "cli", "index.js")
CHROME_FLAGS = ("--headless=new --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update --disable-sync --no-first-run --disable-dev-shm-usage")
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
METRICS = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
           "cumulative-layout-shift", "speed-index"]


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def build(binary: str, project: str, out: str) -> None:
    if os.path.exists(out):
        shutil.rmtree(out)
    r = subprocess.run([binary, "build", project, "--out", out], capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"lighthouse: `syllabus build {project}` failed:\n{r.stderr[-3000:]}")


PRECOMPRESS = '\n[build]\nprecompress = ["br", "gzip"]\n'


def with_precompress(project: str, work: str, name: str) -> str:
    """A project beside `project` (its content/ and static/ linked) whose book.toml also
    asks for `[build] precompress`."""
    proj = os.path.join(work, "pc-" + name)
    os.makedirs(proj, exist_ok=True)
    for sub in ("content", "static", "templates"):
        src = os.path.join(os.path.abspath(project), sub)
        dst = os.path.join(proj, sub)
        if os.path.isdir(src) and not os.path.exists(dst):
            os.symlink(src, dst)
    toml = ""
    if os.path.exists(os.path.join(project, "book.toml")):
        with open(os.path.join(project, "book.toml"), encoding="utf-8") as fh:
            toml = fh.read()
    if "[build]" in toml:
        toml = toml.replace("[build]", PRECOMPRESS.strip(), 1)
    else:
        toml += PRECOMPRESS
    with open(os.path.join(proj, "book.toml"), "w", encoding="utf-8") as fh:
        fh.write(toml)
    return proj


def book_project(book: str, work: str) -> str:
    """A project for a book folder: itself if it has book.toml, else (a compat cache folder
    with content/ and static/) a project beside it with broken links as warnings."""
    if os.path.exists(os.path.join(book, "book.toml")):
        return book
    name = os.path.basename(os.path.normpath(book))
    proj = os.path.join(work, "book-" + name)
    os.makedirs(proj, exist_ok=True)
    for sub in ("content", "static"):
        src = os.path.join(os.path.abspath(book), sub)
        dst = os.path.join(proj, sub)
        if os.path.isdir(src) and not os.path.exists(dst):
            os.symlink(src, dst)
    with open(os.path.join(proj, "book.toml"), "w", encoding="utf-8") as fh:
        fh.write(f'[book]\ntitle = "{name}"\n\n[build]\non-broken-links = "warn"\n')
    return proj


FIRST_SCREEN = ("syllabus", "search", "progress", "course", "i18n")
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)">')


def inline_first_screen(site: str) -> None:
    """Issue 18's experiment (`--css inline`): every page of a built site rewritten so that
    the stylesheets the first screen needs (the theme's layout, header search, reading
    progress, course links, languages) are inlined in one <style>, and the others (code,
    components, diagrams, math) load without blocking render (`preload` swapped to a
    stylesheet on load, a <noscript> link for readers without JavaScript)."""
    for dirpath, _, files in os.walk(site):
        for name in files:
            if not name.endswith(".html"):
                continue
            path = os.path.join(dirpath, name)
            with open(path, encoding="utf-8") as fh:
                html = fh.read()
            inlined = []

            def swap(m):
                href = m.group(1)
                sheet = os.path.basename(href).split(".")[0]
                local = os.path.join(site, href.lstrip("/"))
                if sheet in FIRST_SCREEN and os.path.exists(local):
                    with open(local, encoding="utf-8") as css:
                        inlined.append(css.read())
                    return "<!--inlined-->"
                return (f'<link rel="preload" as="style" href="{href}" '
                        f'onload="this.onload=null;this.rel=\'stylesheet\'">'
                        f'<noscript><link rel="stylesheet" href="{href}"></noscript>')

            html = STYLESHEET.sub(swap, html)
            if inlined:
                html = html.replace("<!--inlined-->", "<style>" + "".join(inlined) + "</style>", 1)
                html = html.replace("<!--inlined-->", "")
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(html)
            for ext in (".br", ".gz"):  # stale compressed copies would be served instead
                if os.path.exists(path + ext):
                    os.remove(path + ext)


def pages_of(site: str):
    """(url path, html bytes, quiz questions, lessons listed) of every page of a built site."""
    out = []
    for dirpath, _, files in os.walk(site):
        if "index.html" not in files:
            continue
        path = os.path.join(dirpath, "index.html")
        with open(path, "rb") as fh:
            html = fh.read()
        if b'http-equiv="refresh"' in html:
            continue
        rel = os.path.relpath(dirpath, site).replace(os.sep, "/")
        url = "/" if rel == "." else "/" + rel + "/"
        out.append((url, len(html), html.count(b"<fieldset"), html.count(b'class="lesson-row')))
    return sorted(out)


def pick(site: str, home: bool, longest: int, kinds: bool = False):
    """The home page (if asked), the page with the most quiz questions, the longest others;
    with `kinds`, also the chapter page listing the most lessons (not the home) and, on a
    site whose home is measured, the shortest lesson, the course map and the 404 page."""
    generated = re.compile(r"(^|/)(contents|course-contents|course-map|tags|print)/")
    pages = [p for p in pages_of(site) if not generated.search(p[0])]
    chosen = []
    if home:
        chosen.append(("home", "/"))
    quiz = max(pages, key=lambda p: (p[2], p[1]))
    if quiz[2] > 0:
        chosen.append((f"quiz ({quiz[2]} q.)", quiz[0]))
    skip = {"/", quiz[0] if quiz[2] else None}
    others = [p for p in pages if p[0] not in skip and p[2] == 0 and p[3] == 0]
    for p in sorted(others, key=lambda p: -p[1])[:longest]:
        chosen.append(("long lesson", p[0]))
    if kinds:
        chapters = [p for p in pages if p[3] > 0 and p[0] != "/"]
        if chapters:
            chosen.append(("chapter index", max(chapters, key=lambda p: (p[3], p[1]))[0]))
    if kinds and home:
        if others:
            chosen.append(("short lesson", min(others, key=lambda p: p[1])[0]))
        if os.path.exists(os.path.join(site, "course-map", "index.html")):
            chosen.append(("course map", "/course-map/"))
        if os.path.exists(os.path.join(site, "404.html")):
            chosen.append(("404", "/404.html"))
    return chosen


def dom_elements(report: dict):
    try:
        return report["audits"]["dom-size"]["numericValue"]
    except KeyError:
        return None


def lighthouse(url: str, desktop: bool, out_json: str) -> dict:
    cmd = ["node", LIGHTHOUSE, url, "--quiet", "--output=json", f"--output-path={out_json}",
           f"--chrome-flags={CHROME_FLAGS}", "--only-categories=" + ",".join(CATEGORIES),
           "--skip-audits=full-page-screenshot,screenshot-thumbnails,final-screenshot"]
    if desktop:
        cmd.append("--preset=desktop")
    env = dict(os.environ)
    env.setdefault("CHROME_PATH", "/usr/bin/chromium")
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    if r.returncode != 0 or not os.path.exists(out_json):
        raise RuntimeError(f"lighthouse failed on {url}: {r.stderr[-2000:]}")
    with open(out_json, encoding="utf-8") as fh:
        return json.load(fh)


def findings(report: dict):
    """Audits that cost points: id, score, display value."""
    out = []
    for cat in CATEGORIES:
        for ref in report["categories"][cat]["auditRefs"]:
            if ref.get("weight", 0) == 0:
                continue
            a = report["audits"][ref["id"]]
            if a.get("score") is not None and a["score"] < 1:
                out.append({"category": cat, "id": a["id"], "score": a["score"],
                            "value": a.get("displayValue", "")})
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "syllabus"),
                    help="the syllabus binary (default target/release/syllabus)")
    ap.add_argument("--book", action="append", default=[], metavar="DIR",
                    help="also a real book: a project folder, or a compat cache folder "
                         "(content/ + static/); may repeat")
    ap.add_argument("--lessons", type=int, default=500, help="generated course size (default 500; 0: none)")
    ap.add_argument("--quiz-questions", type=int, default=40,
                    help="questions of each generated quiz page (default 40)")
    ap.add_argument("--bundled", default=ROOT, metavar="DIR",
                    help="the checkout whose bundled course to build (default this one; its "
                         "templates/ and static/ are the theme, so measure another version's "
                         "output with that version's checkout)")
    ap.add_argument("--no-bundled", action="store_true", help="skip the bundled course")
    ap.add_argument("--form", choices=["mobile", "desktop", "both"], default="both")
    ap.add_argument("--compress", choices=["precompressed", "dynamic", "none"], default="precompressed",
                    help="the host's compression (see static_host.py; default precompressed)")
    ap.add_argument("--precompress", action="store_true",
                    help="build with [build] precompress = [\"br\", \"gzip\"] (a version that has it)")
    ap.add_argument("--work", help="where courses, sites and reports go (default: a temporary "
                                   "directory, deleted at the end)")
    ap.add_argument("--json", help="write every row and the findings that cost points here")
    ap.add_argument("--book-longest", type=int, default=2, metavar="N",
                    help="longest pages of each real book to measure, besides its longest quiz (default 2)")
    ap.add_argument("--kinds", action="store_true",
                    help="every page kind: also the shortest lesson, a chapter index, the course "
                         "map and the 404 page of the bundled and generated courses")
    ap.add_argument("--only", metavar="LABELS",
                    help="only these pages, by label or SITE:LABEL, comma-separated (e.g. "
                         "'home,long lesson,gen500:quiz')")
    ap.add_argument("--css", choices=["linked", "inline"], default="linked",
                    help="linked: the pages as built (default); inline: the first screen's "
                         "stylesheets inlined and the others loaded without blocking render "
                         "(the experiment of issue 18, made on the built files)")
    ap.add_argument("--runs", type=int, default=1,
                    help="Lighthouse runs per page and form; each score is the median (default 1; "
                         "use 3 on a loaded machine), the findings those of the median performance run")
    args = ap.parse_args(argv)

    if not os.path.exists(LIGHTHOUSE):
        log("lighthouse: run `npm ci` in benches/lighthouse first")
        return 2
    if not os.path.exists(args.bin):
        log(f"lighthouse: no binary at {args.bin} (cargo build --release)")
        return 2
    work = args.work or tempfile.mkdtemp(prefix="syllabus-lighthouse-")
    os.makedirs(work, exist_ok=True)
    sites = []
    try:
        if not args.no_bundled:
            out = os.path.join(work, "site-bundled")
            log("building the bundled course")
            proj = with_precompress(args.bundled, work, "bundled") if args.precompress else args.bundled
            build(args.bin, proj, out)
            sites.append(("bundled", out, pick(out, True, 1, args.kinds)))
        if args.lessons:
            course = os.path.join(work, f"course-{args.lessons}")
            log(f"generating a {args.lessons}-lesson course with {args.quiz_questions}-question quizzes")
            subprocess.run([sys.executable, os.path.join(HERE, "gen_course.py"), "--lessons",
                            str(args.lessons), "--quiz-questions", str(args.quiz_questions),
                            "--out", course, "--force"], check=True, stdout=subprocess.DEVNULL)
            out = os.path.join(work, f"site-{args.lessons}")
            if args.precompress:
                course = with_precompress(course, work, "gen")
            build(args.bin, course, out)
            sites.append((f"gen{args.lessons}", out, pick(out, False, 1, args.kinds)))
        for book in args.book:
            proj = book_project(book, work)
            if args.precompress:
                proj = with_precompress(proj, work, os.path.basename(proj))
            name = os.path.basename(os.path.normpath(book)).split("__")[-1][:24]
            out = os.path.join(work, "site-" + name)
            log(f"building {book}")
            build(args.bin, proj, out)
            sites.append((name, out, pick(out, False, args.book_longest)))

        if args.only:
            wanted = {w.strip() for w in args.only.split(",")}
            sites = [(n, o, [c for c in chosen if c[0].split(" (")[0] in wanted
                             or f"{n}:{c[0].split(' (')[0]}" in wanted])
                     for n, o, chosen in sites]
        if args.css == "inline":
            for _, out, _ in sites:
                inline_first_screen(out)
        forms = ["mobile", "desktop"] if args.form == "both" else [args.form]
        rows = []
        log(f"nice {os.nice(0)}, load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} "
            f"{os.getloadavg()[2]:.2f}, css {args.css}, {args.runs} run(s) each")
        print(f"{'site':<24} {'page':<16} {'form':<7} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} "
              f"{'KB':>6} {'DOM':>5}  url")
        for site_name, out, chosen in sites:
            server = static_host.make_server(out, 0, args.compress)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            port = server.server_address[1]
            try:
                for label, path in chosen:
                    html = os.path.join(out, path.strip("/"))
                    if not html.endswith(".html"):
                        html = os.path.join(html, "index.html")
                    kb = os.path.getsize(html) / 1024
                    for form in forms:
                        url = f"http://127.0.0.1:{port}{path}"
                        reps = []
                        for run in range(max(1, args.runs)):
                            rep_path = os.path.join(work, f"lh-{site_name}-{len(rows)}-{run}.json")
                            try:
                                reps.append(lighthouse(url, form == "desktop", rep_path))
                            except (RuntimeError, subprocess.TimeoutExpired) as e:
                                log(str(e))
                        if not reps:
                            continue
                        each = [{c: round(100 * (r["categories"][c]["score"] or 0)) for c in CATEGORIES}
                                for r in reps]
                        scores = {c: sorted(e[c] for e in each)[len(each) // 2] for c in CATEGORIES}
                        order = sorted(range(len(reps)), key=lambda i: each[i]["performance"])
                        rep = reps[order[len(order) // 2]]
                        dom = dom_elements(rep)
                        metrics = {m: sorted(r["audits"][m]["numericValue"] for r in reps)[len(reps) // 2]
                                   for m in METRICS}
                        row = {"site": site_name, "page": label, "path": path, "form": form,
                               "scores": scores, "runs": [e["performance"] for e in each],
                               "metrics": metrics,
                               "html_kb": round(kb, 1), "dom": dom,
                               "findings": findings(rep)}
                        rows.append(row)
                        print(f"{site_name:<24} {label:<16} {form:<7} "
                              + " ".join(f"{scores[c]:>4}" for c in CATEGORIES)
                              + f" {kb:>6.1f} {int(dom or 0):>5}  {path}", flush=True)
                        log("    median " + ", ".join(
                            f"{m} {metrics[m]:.3f}" if m == "cumulative-layout-shift" else f"{m} {metrics[m]:.0f} ms"
                            for m in METRICS))
                        for f in row["findings"]:
                            log(f"    {f['category']}: {f['id']} {f['score']} {f['value']}")
            finally:
                server.shutdown()
                server.server_close()
        if args.json:
            with open(args.json, "w", encoding="utf-8") as fh:
                json.dump(rows, fh, indent=1)
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
