#!/usr/bin/env python3
"""Generate a synthetic course (Docusaurus docs layout) for benchmarking Syllabus.

Usage:
    python3 benches/gen_course.py --lessons N --out DIR [--mix reference|classic] [--seed S]
                                  [--stats] [--force]

Layout produced (parts > chapters > lessons):

    DIR/book.toml
    DIR/content/README.md                                   home page
    DIR/content/NN-part-name/README.md                      part page
    DIR/content/NN-part-name/NN-chapter-name/README.md      chapter page
    DIR/content/NN-part-name/NN-chapter-name/NN-lesson.md   lesson

Each lesson has YAML front matter (sidebar_position, title, description,
duration_minutes, learning_objectives, skills, keywords, tags) and Markdown:
sections, paragraphs, lists, one table, an occasional blockquote, inline code,
links to earlier lessons of the same folder and fenced code blocks generated from
templates with random identifiers and values.

--mix says what the course is made of (see MIXES):
  reference (default) issue 15's course: per 1,000 lessons 11.8 MB and 5,375 code
            blocks (3-8 per lesson), 90% distinct; 40% python, 25% bash, 11% yaml,
            6% toml, 5% dockerfile, 4% markdown, 3% json, 6% text; 11 lessons per
            chapter, 7 chapters per part (130 parts at 10,000 lessons)
  classic   generator version 3's course, byte for byte: ~14 KiB lessons with
            exactly five distinct blocks, 10 parts

The output is deterministic for a given (--lessons, --seed, --mix). Standard
library only. A manifest (DIR/.gen-course.json) records the parameters so that
benches/bench.py can reuse an existing course.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import shutil
import sys
import time

GENERATOR_VERSION = 4
MANIFEST = ".gen-course.json"

LESSON_SIZE_JITTER = 0.12  # +/- 12%
CODE_MIN_LINES = 10
CODE_MAX_LINES = 40


class Mix:
    """What a course is made of: structure, lesson size and the code blocks' languages.

    lang_weights:      language -> weight (%) of the blocks
    blocks_per_lesson: list of (count, weight): how many fenced blocks a lesson has
    shared_fraction:   share of blocks drawn from a course-wide pool of common snippets
                       (about six uses each), so that 1 - 5/6 of it are duplicates
    lesson_bytes:      target size of a lesson file (front matter + body), +/- 12%
    lessons_per_chapter / chapters_per_part / max_parts: the tree (see plan_structure)
    """

    def __init__(self, name, lang_weights, blocks_per_lesson, shared_fraction, lesson_bytes,
                 lessons_per_chapter, chapters_per_part, max_parts):
        self.name = name
        self.lang_weights = lang_weights
        self.blocks_per_lesson = blocks_per_lesson
        self.shared_fraction = shared_fraction
        self.lesson_bytes = lesson_bytes
        self.lessons_per_chapter = lessons_per_chapter
        self.chapters_per_part = chapters_per_part
        self.max_parts = max_parts

    def mean_blocks(self) -> float:
        total = sum(w for _, w in self.blocks_per_lesson)
        return sum(n * w for n, w in self.blocks_per_lesson) / total


MIXES = {
    # The course of issue 15: per 1,000 lessons 11.8 MB of Markdown and 5,375 code blocks,
    # 90% distinct; by blocks 40% Python, 25% bash, 11% YAML, 6% TOML, 5% Dockerfile,
    # 4% Markdown, 3% JSON, 6% text. The tree of issue 20: 10,000 lessons in ~130 parts
    # of ~7 chapters of ~11 lessons (the top level grows with the course).
    "reference": Mix(
        "reference",
        [("python", 40), ("bash", 25), ("yaml", 11), ("toml", 6), ("dockerfile", 5),
         ("markdown", 4), ("json", 3), ("text", 6)],
        [(3, 12), (4, 17), (5, 26), (6, 22), (7, 13), (8, 10)],  # mean 5.37
        0.12, 11250, 11, 7, None),
    # Generator version 3's course (byte-identical): 14.3 KiB lessons, exactly five
    # distinct blocks each, 10 parts of 10-50-lesson chapters.
    "classic": Mix(
        "classic",
        [("python", 40), ("bash", 25), ("yaml", 10), ("dockerfile", 5), ("toml", 7),
         ("json", 7), ("text", 6)],
        [(5, 1)], 0.0, 14 * 1024, None, None, 10),
}
DEFAULT_MIX = "reference"

# --------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------

NOUNS = """order invoice customer user account session event metric record job task
payload item report batch shipment product ticket message token device sensor reading
course lesson student grade file chunk image document query result request response
cache queue worker node cluster pipeline stage artifact release build deployment
service endpoint route model feature dataset sample label vector embedding score
window span trace alert rule policy permission role tenant region bucket snapshot
backup volume container partition shard replica schema migration table column index
cursor stream buffer frame packet socket handler callback plugin hook template
widget profile invitation comment review rating payment refund subscription plan
quota budget forecast inventory warehouse supplier carrier parcel""".split()

VERBS = """load parse fetch validate normalize compute render export sync merge filter
group resolve build collect index encode decode transform schedule dispatch retry
flush publish consume upload download summarize aggregate score rank clean migrate
refresh persist register prune compact archive enrich dedupe split tokenize serialize
hydrate reconcile throttle sample""".split()

ADJS = """active pending stale recent raw clean partial default primary local remote
cached expired valid failed daily hourly sorted unique total nested weighted
incremental legacy async internal public private shared dirty""".split()

CLASS_SUFFIXES = """Client Service Repository Manager Loader Parser Builder Processor Store
Cache Scheduler Validator Exporter Registry Tracker Collector Resolver Adapter
Gateway Formatter Planner Monitor""".split()

GERUNDS = """Loading Parsing Fetching Validating Normalizing Computing Rendering Exporting
Syncing Merging Filtering Grouping Resolving Building Collecting Indexing Encoding
Transforming Scheduling Dispatching Retrying Publishing Consuming Uploading
Summarizing Aggregating Ranking Cleaning Migrating Refreshing Persisting Registering
Pruning Archiving Enriching Deduplicating Tokenizing Serializing Reconciling
Throttling Sampling Testing Debugging Profiling Deploying Monitoring Securing
Packaging Versioning Caching Logging Tracing Benchmarking Configuring""".split()

TOOLS = """Python Docker Kubernetes Git PostgreSQL Redis Nginx pytest FastAPI Flask
Django SQLAlchemy Celery Kafka RabbitMQ Terraform Ansible GitHub\u00a0Actions Prometheus
Grafana OpenTelemetry pandas NumPy Poetry uv Make systemd SQLite MinIO""".split()
TOOLS = [t.replace("\u00a0", " ") for t in TOOLS]

SKILLS = """python bash docker kubernetes git sql testing debugging profiling
networking security logging monitoring packaging ci-cd yaml linux http rest
async concurrency data-modeling caching automation cloud observability""".split()

TAGS = """beginner intermediate advanced hands-on theory lab project reference
python devops data backend testing containers cloud security performance
tooling best-practices troubleshooting architecture""".split()

FUNCTION_WORDS = """the the the the a a an of of of to to to in in and and and is is
for for on with with that that this it as be by are or can from at we you
your when which not will then but if so each more its these than into also
only how use our all one some any""".split()

CONTENT_WORDS = """system value request server client process function module package
library dependency version release change update state error exception failure
retry timeout latency throughput memory disk network cache database query index
transaction lock thread worker queue message event handler callback interface
contract boundary layer component service container image volume port address
host domain certificate secret token credential permission policy role account
user team project repository branch commit review merge conflict history tag
pipeline stage step job artifact build test coverage assertion fixture mock stub
benchmark profile trace span metric log alert dashboard signal threshold budget
resource limit quota schedule deadline estimate scope requirement decision
tradeoff constraint assumption example pattern idiom convention default option
setting flag argument parameter variable constant expression statement loop
condition branch recursion iteration sequence collection mapping record field
attribute method object class instance type annotation schema migration column
row table view report summary detail context reason approach strategy technique
practice workflow habit mistake pitfall edge case input output format encoding
string number boolean list dictionary tuple set file path directory stream
buffer chunk batch window offset cursor page limit order filter sort group
join key hash checksum snapshot backup restore rollback deploy rollout canary
feature toggle experiment hypothesis measurement result baseline regression
improvement cost benefit risk mitigation incident postmortem runbook checklist
document guide tutorial lesson chapter exercise solution hint question answer
reader learner engineer developer operator maintainer reviewer student teacher
carefully quickly safely explicitly implicitly gradually eventually usually
rarely often typically simply clearly directly reliably consistently
predictable reliable robust fragile simple complex small large fast slow
cheap expensive stable flaky concrete abstract explicit implicit common
important useful practical realistic minimal complete correct incorrect
understand configure install verify inspect compare measure improve replace
remove rename extract combine separate isolate reproduce diagnose document
explain describe notice prefer avoid ensure guarantee handle support expose
hide wrap unwrap start stop restart enable disable validate parse render
serialize store fetch send receive publish subscribe read write open close""".split()

SECTION_TITLES = [
    "Overview", "Why it matters", "Prerequisites", "Setting up the environment",
    "A first example", "How it works", "Going further", "Common pitfalls",
    "Troubleshooting", "Performance considerations", "Testing your changes",
    "Putting it together", "Design notes", "Real-world usage", "Edge cases",
    "Security considerations", "Configuration", "Error handling",
    "Working with the command line", "Automating the workflow",
]
SUB_TITLES = [
    "A quick check", "Under the hood", "Variations", "When not to use it",
    "A worked example", "Reading the output", "Cleaning up", "Alternatives",
    "Step by step", "What can go wrong", "Tips", "Verifying the result",
    "Measuring the effect", "Naming things", "Defaults worth changing",
]

PART_TOPICS = [
    "Foundations", "Python essentials", "Working with data", "Testing and quality",
    "Containers", "Deployment", "Observability", "Security", "Performance",
    "Capstone project", "Distributed systems", "Data pipelines",
]


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------

def slugify(text: str) -> str:
    out = []
    prev_dash = False
    for ch in text.lower():
        if ch.isalnum():
            out.append(ch)
            prev_dash = False
        elif not prev_dash:
            out.append("-")
            prev_dash = True
    return "".join(out).strip("-")


def camel(*words: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in words)


def plural(noun: str) -> str:
    if noun.endswith(("s", "x", "sh", "ch")):
        return noun + "es"
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def yaml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


class Ctx:
    """Per-lesson random source plus handy identifier generators."""

    def __init__(self, rng: random.Random):
        self.r = rng

    def noun(self) -> str:
        return self.r.choice(NOUNS)

    def verb(self) -> str:
        return self.r.choice(VERBS)

    def adj(self) -> str:
        return self.r.choice(ADJS)

    def snake(self) -> str:
        r = self.r
        form = r.randrange(4)
        if form == 0:
            return f"{r.choice(VERBS)}_{r.choice(NOUNS)}"
        if form == 1:
            return f"{r.choice(VERBS)}_{r.choice(ADJS)}_{plural(r.choice(NOUNS))}"
        if form == 2:
            return f"{r.choice(ADJS)}_{r.choice(NOUNS)}"
        return f"{r.choice(NOUNS)}_{r.choice(NOUNS)}"

    def cls(self) -> str:
        r = self.r
        if r.random() < 0.4:
            return camel(r.choice(ADJS), r.choice(NOUNS), r.choice(CLASS_SUFFIXES))
        return camel(r.choice(NOUNS), r.choice(CLASS_SUFFIXES))

    def env(self) -> str:
        return f"{self.r.choice(NOUNS)}_{self.r.choice(['URL', 'HOST', 'PORT', 'TOKEN', 'LEVEL', 'TIMEOUT', 'DIR', 'MODE', 'LIMIT'])}".upper()

    def port(self) -> int:
        return self.r.choice([3000, 5000, 5432, 6379, 8000, 8080, 8443, 9000, 9090]) + self.r.randrange(0, 40)

    def version(self) -> str:
        r = self.r
        return f"{r.randrange(0, 6)}.{r.randrange(0, 30)}.{r.randrange(0, 20)}"

    def app(self) -> str:
        return f"{self.r.choice(NOUNS)}-{self.r.choice(['api', 'svc', 'worker', 'gateway', 'web', 'sync', 'jobs', 'indexer'])}"

    def host(self) -> str:
        return f"{self.r.choice(NOUNS)}{self.r.randrange(1, 30):02d}.{self.r.choice(['internal', 'lab', 'staging', 'prod'])}.example.com"

    def num(self, lo: int, hi: int) -> int:
        return self.r.randrange(lo, hi + 1)

    def flt(self, lo: float, hi: float, nd: int = 2) -> float:
        return round(self.r.uniform(lo, hi), nd)

    def word(self) -> str:
        return self.r.choice(CONTENT_WORDS)

    def phrase(self, lo: int = 3, hi: int = 7) -> str:
        return " ".join(self.r.choice(CONTENT_WORDS) for _ in range(self.r.randint(lo, hi)))


# --------------------------------------------------------------------------
# Code generators. Each returns a list of lines (no trailing newline).
# --------------------------------------------------------------------------

# ---- Python ----------------------------------------------------------------

def py_dataclass(c: Ctx, imports: set) -> list[str]:
    r = c.r
    imports.add("from dataclasses import dataclass, field")
    cls = camel(c.noun(), r.choice(["", "Record", "Entry", "Spec", "Info", "Event"]))
    nfields = r.randint(2, 6)
    names = r.sample(["name", "owner", "status", "region", "kind", "source", "label",
                      "priority", "retries", "size", "weight", "ratio", "count",
                      "limit", "offset", "score", "path", "url", "email", "slug"], nfields)
    lines = ["@dataclass" + (r.choice(["", "(frozen=True)", "(slots=True)", "(order=True)"])),
             f"class {cls}:"]
    if r.random() < 0.5:
        lines.append(f'    """{c.phrase(4, 9).capitalize()}."""')
        lines.append("")
    nodef, withdef = [], []
    for n in names:
        t = r.choice(["str", "int", "float", "bool"])
        default = {"str": yaml_str(c.word()), "int": str(c.num(0, 500)),
                   "float": str(c.flt(0, 10)), "bool": r.choice(["True", "False"])}[t]
        if r.random() < 0.4:
            nodef.append(f"    {n}: {t}")
        else:
            withdef.append(f"    {n}: {t} = {default}")
    # fields without defaults must come first in a dataclass
    lines += nodef + withdef
    if r.random() < 0.5:
        imports.add("from typing import Any")
        lines += ["    extra: dict[str, Any] = field(default_factory=dict)"]
    if r.random() < 0.6:
        a = names[0]
        lines += ["", f"    def {r.choice(['describe', 'summary', 'key', 'to_line'])}(self) -> str:",
                  f'        return f"{{self.{a}}}:{r.choice(["", "-", "/"])}{{self.{names[-1]}}}"']
    return lines


def py_group_function(c: Ctx, imports: set) -> list[str]:
    r = c.r
    imports.add("from collections import defaultdict")
    imports.add("from typing import Iterable")
    fn = f"{c.verb()}_{plural(c.noun())}_by_{r.choice(['day', 'owner', 'status', 'region', 'kind', 'hour'])}"
    item = c.noun()
    key = r.choice(["owner", "status", "region", "kind", "created_at", "source"])
    val = r.choice(["amount", "size", "duration_ms", "score", "count", "weight"])
    thr = c.num(1, 1000)
    lines = [f"def {fn}({plural(item)}: Iterable[dict], min_{val}: float = {thr}) -> dict[str, float]:"]
    if r.random() < 0.7:
        lines.append(f'    """{c.phrase(5, 10).capitalize()}."""')
    lines += [f"    totals: dict[str, float] = defaultdict(float)",
              f"    for {item} in {plural(item)}:"]
    if r.random() < 0.5:
        lines += [f'        if {item}.get("{r.choice(["deleted", "archived", "hidden", "draft"])}"):',
                  "            continue"]
    lines += [f'        value = float({item}.get("{val}", 0))',
              f"        if value < min_{val}:",
              "            continue",
              f'        totals[str({item}["{key}"])] += value']
    if r.random() < 0.5:
        lines += [f"    return dict(sorted(totals.items(), key=lambda kv: kv[1], reverse=True)[:{c.num(3, 50)}])"]
    else:
        lines += ["    return dict(totals)"]
    return lines


def py_client_class(c: Ctx, imports: set) -> list[str]:
    r = c.r
    imports.update({"import time", "import logging"})
    cls = c.cls()
    res = c.noun()
    lines = [f"class {cls}:",
              f"    def __init__(self, base_url: str, timeout: float = {c.flt(0.5, 30, 1)}, retries: int = {c.num(1, 8)}) -> None:",
              '        self.base_url = base_url.rstrip("/")',
              "        self.timeout = timeout",
              "        self.retries = retries",
              f"        self._{r.choice(['cache', 'seen', 'pending'])}: dict[str, dict] = {{}}",
              "",
              f"    def {c.verb()}_{res}(self, {res}_id: str) -> dict:",
              f'        url = f"{{self.base_url}}/{plural(res)}/{{{res}_id}}"',
              "        delay = " + str(c.flt(0.05, 2.0)),
              "        for attempt in range(1, self.retries + 1):",
              "            try:",
              f"                return self._get(url)",
              f"            except {r.choice(['TimeoutError', 'ConnectionError', 'OSError'])} as exc:",
              f'                logging.warning("attempt %d/%d for %s failed: %s", attempt, self.retries, url, exc)',
              "                time.sleep(delay)",
              f"                delay *= {r.choice(['2', '1.5', '3'])}",
              f'        raise RuntimeError(f"giving up on {{url}} after {{self.retries}} attempts")']
    if r.random() < 0.5:
        lines += ["",
                  "    def _get(self, url: str) -> dict:",
                  f"        raise NotImplementedError(\"{c.phrase(2, 4)}\")"]
    return lines


def py_argparse_main(c: Ctx, imports: set) -> list[str]:
    r = c.r
    imports.update({"import argparse", "import sys"})
    opts = r.sample([("--limit", "int", c.num(10, 1000)), ("--workers", "int", c.num(1, 16)),
                     ("--threshold", "float", c.flt(0, 1)), ("--region", "str", yaml_str(r.choice(['eu-west-1', 'us-east-2', 'ap-south-1']))),
                     ("--format", "str", yaml_str(r.choice(['json', 'csv', 'table']))),
                     ("--timeout", "float", c.flt(1, 60, 1)), ("--batch-size", "int", c.num(8, 512))], r.randint(2, 4))
    func = c.snake()
    lines = ["def main(argv: list[str] | None = None) -> int:",
             f'    parser = argparse.ArgumentParser(description="{c.phrase(3, 6).capitalize()}")',
             f'    parser.add_argument("{r.choice(["input", "source", "path", "manifest"])}", help="{c.phrase(2, 5)}")']
    for flag, t, d in opts:
        lines.append(f'    parser.add_argument("{flag}", type={t}, default={d})')
    if r.random() < 0.6:
        lines.append('    parser.add_argument("--dry-run", action="store_true")')
    lines += ["    args = parser.parse_args(argv)",
              f"    result = {func}(args)",
              "    if not result:",
              f'        print("{c.phrase(2, 5)}", file=sys.stderr)',
              f"        return {c.num(1, 3)}",
              "    return 0",
              "",
              "",
              'if __name__ == "__main__":',
              "    sys.exit(main())"]
    return lines


def py_pytest(c: Ctx, imports: set) -> list[str]:
    r = c.r
    imports.add("import pytest")
    target = c.snake()
    imports.add(f"from {r.choice(['app', 'src', 'service', 'core', 'lib'])}.{c.noun()} import {target}")
    lines = ["@pytest.mark.parametrize(",
             '    "value, expected",',
             "    ["]
    for _ in range(r.randint(2, 5)):
        lines.append(f"        ({c.num(-50, 500)}, {r.choice([str(c.num(0, 999)), 'None', 'True', 'False', yaml_str(c.word())])}),")
    lines += ["    ],",
              ")",
              f"def test_{target}_returns_expected(value, expected):",
              f"    assert {target}(value) == expected",
              "",
              "",
              f"def test_{target}_rejects_{r.choice(['negative', 'empty', 'invalid', 'missing'])}_input():",
              f"    with pytest.raises({r.choice(['ValueError', 'TypeError', 'KeyError'])}):",
              f"        {target}({r.choice(['None', '-1', repr(''), '[]', '{}'])})"]
    return lines


def py_async(c: Ctx, imports: set) -> list[str]:
    r = c.r
    imports.add("import asyncio")
    res = c.noun()
    fn = f"{c.verb()}_{res}"
    lines = [f"async def {fn}(session, {res}_id: int) -> dict:",
             f"    await asyncio.sleep({c.flt(0.01, 0.5)})",
             f'    return {{"id": {res}_id, "{r.choice(["status", "state", "kind"])}": "{r.choice(["ok", "ready", "done", "queued"])}"}}',
             "",
             "",
             f"async def {c.verb()}_all(ids: list[int], concurrency: int = {c.num(2, 32)}) -> list[dict]:",
             "    semaphore = asyncio.Semaphore(concurrency)",
             "",
             "    async def bounded(i: int) -> dict:",
             "        async with semaphore:",
             f"            return await {fn}(None, i)",
             "",
             "    results = await asyncio.gather(*(bounded(i) for i in ids), return_exceptions=True)",
             "    return [r for r in results if not isinstance(r, Exception)]"]
    if r.random() < 0.5:
        lines += ["", "", f"if __name__ == \"__main__\":",
                  f"    print(asyncio.run({c.verb()}_all(list(range({c.num(5, 200)})))))"]
    return lines


def py_file_processing(c: Ctx, imports: set) -> list[str]:
    r = c.r
    imports.add("from pathlib import Path")
    fn = f"{c.verb()}_{r.choice(['directory', 'folder', 'tree', 'files', 'exports', 'dumps'])}"
    ext = r.choice(["json", "jsonl", "log", "csv", "txt"])
    acc = r.choice(["counts", "tally", "histogram", "seen", "totals", "buckets"])
    fh = r.choice(["fh", "f", "stream", "handle"])
    comment = r.choice(["#", "//", ";", "--"])
    lines = [f"def {fn}(root: Path, pattern: str = \"*.{ext}\", max_mb: int = {c.num(1, 256)}) -> dict[str, int]:"]
    if r.random() < 0.5:
        lines.append(f'    """{c.phrase(4, 9).capitalize()}."""')
    lines += [f"    {acc}: dict[str, int] = {{}}",
              f"    for path in sorted(root.rglob(pattern)){r.choice(['', '[:' + str(c.num(10, 5000)) + ']'])}:",
              "        if path.stat().st_size > max_mb * 1024 * 1024:",
              "            continue",
              f'        with path.open(encoding="{r.choice(["utf-8", "utf-8-sig", "latin-1"])}") as {fh}:',
              f"            for lineno, line in enumerate({fh}, start=1):",
              "                line = line.strip()",
              f'                if not line or line.startswith("{comment}"):',
              "                    continue"]
    if ext in ("json", "jsonl"):
        imports.add("import json")
        k = r.choice(["type", "kind", "event", "level", "status", "source", "action"])
        lines += ["                try:",
                  "                    record = json.loads(line)",
                  "                except json.JSONDecodeError:",
                  f'                    print(f"{{path}}:{{lineno}}: {c.phrase(2, 4)}")',
                  "                    continue",
                  f'                key = record.get("{k}", "{r.choice(["unknown", "other", "n/a", "-"])}")']
    else:
        sep = r.choice([",", " ", "|", ":", ";", "\\t"])
        lines += [f'                key = line.split("{sep}", {r.choice([1, 2, 3])})[{r.choice([0, 0, 1])}]{r.choice(["", ".lower()", ".strip()", ".upper()"])}']
    lines += [f"                {acc}[key] = {acc}.get(key, 0) + 1",
              f"    return {acc}"]
    return lines


def py_regex(c: Ctx, imports: set) -> list[str]:
    r = c.r
    imports.add("import re")
    name = f"{c.noun().upper()}_RE"
    fields = r.sample(["date", "time", "level", "user", "path", "status", "duration", "ip", "method"], r.randint(2, 4))
    pats = {"date": r"\d{4}-\d{2}-\d{2}", "time": r"\d{2}:\d{2}:\d{2}", "level": r"[A-Z]+",
            "user": r"\w+", "path": r"/\S*", "status": r"\d{3}", "duration": r"\d+(?:\.\d+)?",
            "ip": r"\d{1,3}(?:\.\d{1,3}){3}", "method": r"GET|POST|PUT|DELETE"}
    sep = r.choice([r"\s+", r"\s*\|\s*", r",\s*"])
    regex = sep.join(f"(?P<{f}>{pats[f]})" for f in fields)
    fn = f"parse_{c.noun()}_line"
    lines = [f'{name} = re.compile(r"^{regex}$")',
             "",
             "",
             f"def {fn}(line: str) -> dict[str, str] | None:",
             f"    match = {name}.match(line.strip())",
             "    if match is None:",
             "        return None",
             "    data = match.groupdict()"]
    if "duration" in fields:
        lines.append('    data["duration"] = float(data["duration"])')
    if "status" in fields:
        lines.append(f'    data["ok"] = int(data["status"]) < {r.choice([300, 400, 500])}')
    lines.append("    return data")
    return lines


PY_SNIPPETS = [py_dataclass, py_group_function, py_client_class, py_argparse_main,
               py_pytest, py_async, py_file_processing, py_regex]


def gen_python(c: Ctx, target: int) -> list[str]:
    r = c.r
    imports: set = set()
    bodies: list[list[str]] = []
    total = 0
    funcs = r.sample(PY_SNIPPETS, len(PY_SNIPPETS))
    for f in funcs:
        own: set = set()
        body = f(c, own)
        extra = len(body) + (2 if bodies else 0)
        if bodies and total + extra + len(imports | own) + 2 > target:
            continue
        imports |= own
        bodies.append(body)
        total += extra
        if total + len(imports) + 2 >= target:
            break
    imp = sorted(i for i in imports if i.startswith("import "))
    frm = sorted(i for i in imports if i.startswith("from "))
    lines = imp + frm
    if lines:
        lines += ["", ""]
    for i, b in enumerate(bodies):
        if i:
            lines += ["", ""]
        lines += b
    return lines


# ---- Bash --------------------------------------------------------------------

def bash_commands(c: Ctx) -> list[list[str]]:
    """A pool of realistic shell command snippets (each a list of lines)."""
    r = c.r
    app = c.app()
    ns = r.choice(["default", "staging", "prod", "tools", "ml", "data"])
    img = f"registry.example.com/{r.choice(['team', 'platform', 'course'])}/{app}"
    tag = c.version()
    port = c.port()
    user = r.choice(["deploy", "ubuntu", "admin", "ci", "student"])
    pkg1, pkg2 = r.sample(["requests", "httpx", "fastapi", "uvicorn", "pydantic", "sqlalchemy",
                           "pytest", "ruff", "black", "mypy", "rich", "typer", "pandas", "numpy",
                           "celery", "redis", "boto3", "jinja2"], 2)
    noun = c.noun()
    return [
        [f"python3 -m venv .venv", "source .venv/bin/activate",
         f"pip install --upgrade pip {pkg1}=={c.version()} {pkg2}>={c.version()}"],
        [f"docker build -t {img}:{tag} -f {r.choice(['Dockerfile', 'docker/Dockerfile', 'Dockerfile.prod'])} ."],
        [f"docker run --rm -d --name {app} -p {port}:{port} \\",
         f"  -e {c.env()}={r.choice(['debug', 'info', 'true', str(c.num(1, 99))])} \\",
         f'  -v "$PWD/{r.choice(["data", "config", "var"])}:/{r.choice(["data", "etc/app", "srv"])}" \\',
         f"  {img}:{tag}"],
        [f"kubectl apply -f k8s/{app}.yaml -n {ns}",
         f"kubectl rollout status deploy/{app} -n {ns} --timeout={c.num(30, 300)}s"],
        [f"kubectl get pods -n {ns} -l app={app} -o wide"],
        [f"kubectl logs -f deploy/{app} -n {ns} --since={c.num(1, 59)}m | grep -i {r.choice(['error', 'warn', 'timeout', noun])}"],
        [f"git checkout -b {r.choice(['feature', 'fix', 'chore'])}/{c.verb()}-{noun}",
         f"git add -p {r.choice(['src', 'app', 'tests', 'docs'])}/",
         f'git commit -m "{c.verb().capitalize()} {c.adj()} {plural(noun)}"',
         f"git push -u origin HEAD"],
        [f"curl -sS -X {r.choice(['POST', 'PUT', 'PATCH'])} http://localhost:{port}/api/v{c.num(1, 3)}/{plural(noun)} \\",
         '  -H "Content-Type: application/json" \\',
         f"  -d '{{\"{r.choice(['name', 'id', 'status', 'limit'])}\": \"{c.word()}\", \"{r.choice(['count', 'size', 'priority'])}\": {c.num(1, 100)}}}' | jq ."],
        [f"grep -rn \"{r.choice(['TODO', 'FIXME', 'XXX', c.snake()])}\" {r.choice(['src', 'app', 'lib'])}/ | awk -F: '{{print $1}}' | sort | uniq -c | sort -rn | head -n {c.num(3, 25)}"],
        [f"find {r.choice(['.', 'logs', '/var/log/' + app, 'data'])} -name \"*.{r.choice(['log', 'json', 'csv', 'gz'])}\" -mtime -{c.num(1, 30)} -print0 \\",
         f"  | xargs -0 tar -czf {noun}-{c.num(2020, 2026)}{c.num(1, 12):02d}.tar.gz"],
        [f'export {c.env()}="{r.choice(["http://localhost:" + str(port), "info", str(c.num(1, 600)), "/tmp/" + noun])}"',
         f'export {c.env()}="{r.choice(["true", "false", "staging", str(c.num(1, 64))])}"'],
        [f"ssh -i ~/.ssh/{r.choice(['id_ed25519', 'deploy_key', 'lab.pem'])} {user}@{c.host()} 'sudo systemctl restart {app}'"],
        [f"jq '.{plural(noun)}[] | select(.{r.choice(['size', 'score', 'count', 'age'])} > {c.num(1, 500)}) | .{r.choice(['id', 'name', 'path'])}' {noun}.json"],
        [f"rsync -avz --delete --exclude '{r.choice(['*.pyc', 'node_modules', '.git', '*.tmp'])}' ./build/ {user}@{c.host()}:/var/www/{app}/"],
        [f"pytest -q tests/test_{noun}.py -k \"{c.verb()} and not {r.choice(['slow', 'network', 'flaky'])}\" --maxfail={c.num(1, 5)}"],
        [f"psql -h localhost -U {user} -d {noun}_db -c \"SELECT {r.choice(['count(*)', 'id, status', 'max(created_at)'])} FROM {plural(noun)} WHERE {r.choice(['status', 'region', 'kind'])} = '{c.adj()}';\""],
        [f"aws s3 sync ./{r.choice(['dist', 'out', 'export'])} s3://{noun}-{r.choice(['artifacts', 'backups', 'assets'])}/{c.num(2020, 2026)}/ --delete --exclude \"*.map\""],
        [f"sed -i 's/{c.word()}_{c.num(1, 9)}/{c.word()}_{c.num(10, 99)}/g' config/{noun}.conf"],
        [f"make -j{c.num(2, 16)} {r.choice(['build', 'test', 'lint', 'release', 'docs'])} {r.choice(['V=1', 'PROFILE=release', 'CI=1', ''])}".rstrip()],
        [f"systemctl status {app} --no-pager", f"journalctl -u {app} --since \"{c.num(1, 12)} hours ago\" -n {c.num(20, 500)}"],
        [f"tail -n {c.num(50, 1000)} /var/log/{app}/{r.choice(['error', 'access', 'app'])}.log | grep -v healthz"],
        [f"du -sh {r.choice(['data', 'cache', '.venv', 'target', 'node_modules'])}/* | sort -h | tail -n {c.num(3, 20)}"],
        [f"openssl req -x509 -newkey rsa:{r.choice([2048, 3072, 4096])} -nodes -days {c.num(30, 730)} \\",
         f"  -keyout {app}.key -out {app}.crt -subj \"/CN={c.host()}\""],
        [f"for f in {r.choice(['data', 'input', 'fixtures'])}/*.{r.choice(['csv', 'json', 'txt'])}; do",
         f'  echo "processing $f"',
         f'  python3 -m {r.choice(["app", "tools", "scripts"])}.{c.snake()} "$f" --out "{r.choice(["out", "build", "results"])}/$(basename "$f")"',
         "done"],
        [f'if [ ! -f "{r.choice([".env", "config.toml", "settings.yaml"])}" ]; then',
         f'  echo "missing config, copying defaults" >&2',
         f'  cp {r.choice(["config", "examples", "defaults"])}/{noun}.example {r.choice([".env", "config.toml", "settings.yaml"])}',
         "fi"],
    ]


def gen_bash(c: Ctx, target: int) -> list[str]:
    r = c.r
    pool = bash_commands(c)
    r.shuffle(pool)
    script = r.random() < 0.4
    lines: list[str] = []
    if script:
        app = c.app()
        lines += ["#!/usr/bin/env bash", "set -euo pipefail", "",
                  f'APP="{app}"',
                  f'{c.env()}="${{{c.env()}:-{r.choice(["info", str(c.num(1, 100)), "staging"])}}}"',
                  "",
                  f"{c.verb()}_{c.noun()}() {{",
                  f'  local target="$1"',
                  f'  echo "[$(date +%H:%M:%S)] {c.verb()} $target for $APP"',
                  "}",
                  ""]
    for snip in pool:
        need = len(snip) + (1 if lines else 0)
        if len(lines) + need > target:
            continue
        if lines and r.random() < 0.5 and lines[-1] != "":
            lines.append("")
        if r.random() < 0.45:
            lines.append(f"# {c.phrase(2, 7)}")
        lines += snip
        if len(lines) >= target:
            break
    while lines and lines[-1] == "":
        lines.pop()
    return lines


# ---- YAML --------------------------------------------------------------------

def gen_yaml(c: Ctx, target: int) -> list[str]:
    r = c.r
    kind = r.randrange(4)
    app = c.app()
    port = c.port()
    if kind == 0:  # docker compose
        lines = ["services:"]
        volume = f"{c.noun()}-data"
        names = r.sample(["api", "worker", "web", "db", "cache", "queue", "scheduler", "proxy"], r.randint(2, 4))
        for si, n in enumerate(names):
            block = [f"  {n}:"]
            if n == "db":
                block += [f"    image: postgres:{c.num(13, 17)}", "    environment:",
                          f"      POSTGRES_USER: {c.noun()}", f"      POSTGRES_PASSWORD: ${{{c.env()}}}",
                          f"      POSTGRES_DB: {c.noun()}_db",
                          "    volumes:", f"      - {volume}:/var/lib/postgresql/data"]
            elif n == "cache":
                block += [f"    image: redis:{c.num(6, 7)}.{c.num(0, 4)}-alpine",
                          f"    command: [\"redis-server\", \"--maxmemory\", \"{c.num(64, 1024)}mb\"]"]
            else:
                block += ["    build:", "      context: .", f"      dockerfile: {r.choice(['Dockerfile', 'docker/' + n + '.Dockerfile'])}",
                          "    ports:", f'      - "{port + si}:{port}"',
                          "    environment:"]
                env1 = c.env()
                env2 = c.env()
                while env2 == env1:
                    env2 = c.env()
                block += [f"      {env1}: \"{r.choice(['debug', 'info', str(c.num(1, 60))])}\"",
                          f"      {env2}: \"{r.choice(['true', 'false', 'redis://cache:6379/0'])}\""]
                deps = [d for d in names if d != n and d in ("db", "cache", "queue")]
                if deps and r.random() < 0.7:
                    block += ["    depends_on:"] + [f"      - {d}" for d in deps]
                if r.random() < 0.4:
                    block += [f"    restart: {r.choice(['unless-stopped', 'on-failure', 'always'])}"]
            if len(lines) + len(block) > target - 2:
                break
            lines += block
        lines += ["", "volumes:", f"  {volume}: {{}}"]
        return lines
    if kind == 1:  # kubernetes deployment
        replicas = c.num(1, 12)
        lines = ["apiVersion: apps/v1", "kind: Deployment", "metadata:", f"  name: {app}",
                 f"  namespace: {r.choice(['default', 'staging', 'prod', 'data'])}",
                 "  labels:", f"    app: {app}", f"    tier: {r.choice(['backend', 'frontend', 'batch'])}",
                 "spec:", f"  replicas: {replicas}", "  selector:", "    matchLabels:", f"      app: {app}",
                 "  template:", "    metadata:", "      labels:", f"        app: {app}", "    spec:",
                 "      containers:", f"        - name: {app}",
                 f"          image: registry.example.com/{app}:{c.version()}",
                 "          ports:", f"            - containerPort: {port}",
                 "          resources:", "            requests:",
                 f'              cpu: "{c.num(50, 1000)}m"', f'              memory: "{c.num(64, 2048)}Mi"',
                 "            limits:", f'              memory: "{c.num(256, 4096)}Mi"']
        if len(lines) + 6 <= target:
            lines += ["          readinessProbe:", "            httpGet:", f"              path: /{r.choice(['healthz', 'ready', 'status'])}",
                      f"              port: {port}", f"            periodSeconds: {c.num(2, 30)}"]
        if len(lines) + 3 <= target:
            lines += ["          env:", f"            - name: {c.env()}", f'              value: "{c.word()}"']
        return lines
    if kind == 2:  # GitHub Actions workflow
        py = r.sample(["3.10", "3.11", "3.12", "3.13"], r.randint(1, 3))
        lines = [f"name: {r.choice(['CI', 'tests', 'build', 'lint and test', 'checks'])}", "", "on:", "  push:",
                 f"    branches: [{r.choice(['main', 'master', 'develop'])}]", "  pull_request:",
                 f"    paths: [\"{r.choice(['src', 'app', c.noun()])}/**\", \"{r.choice(['tests', 'pyproject.toml', 'requirements.txt'])}\"]", "",
                 "env:", f"  {c.env()}: \"{r.choice(['1', 'true', c.word(), str(c.num(2, 900))])}\"", "",
                 "jobs:", f"  {r.choice(['test', 'build', 'check', 'unit'])}:", f"    runs-on: ubuntu-{r.choice(['22.04', '24.04', 'latest'])}",
                 f"    timeout-minutes: {c.num(5, 60)}", "    strategy:", "      matrix:",
                 f"        python-version: [{', '.join(repr(v) for v in sorted(py))}]",
                 "    steps:", "      - uses: actions/checkout@v4",
                 "      - uses: actions/setup-python@v5", "        with:",
                 "          python-version: ${{ matrix.python-version }}",
                 f"      - run: pip install -e .[{r.choice(['dev', 'test', 'all'])}]",
                 f"      - run: pytest -q --maxfail={c.num(1, 10)} {r.choice(['tests', 'tests/unit', '-m not slow'])}"]
        if len(lines) + 2 <= target and r.random() < 0.7:
            lines += [f"      - run: ruff check {r.choice(['.', 'src', 'app'])}",
                      f"      - run: mypy {r.choice(['src', 'app', '.'])} --strict"]
        return lines
    # application config
    lines = ["app:", f"  name: {app}", f"  environment: {r.choice(['development', 'staging', 'production'])}",
             f"  debug: {r.choice(['true', 'false'])}", "server:", f"  host: {r.choice(['0.0.0.0', '127.0.0.1'])}",
             f"  port: {port}", f"  workers: {c.num(1, 16)}", f"  timeout_seconds: {c.num(5, 120)}",
             "database:", f"  url: postgresql://{c.noun()}@db:5432/{c.noun()}_db",
             f"  pool_size: {c.num(2, 50)}", f"  echo: {r.choice(['true', 'false'])}",
             "logging:", f"  level: {r.choice(['DEBUG', 'INFO', 'WARNING'])}",
             f"  format: \"%(asctime)s %(levelname)s %(name)s: %(message)s\"", "features:"]
    for key in unique_keys(c, r.randint(2, 8)):
        if len(lines) >= target:
            break
        lines.append(f"  {key}: {r.choice(['true', 'false', str(c.num(1, 100))])}")
    return lines


# ---- Dockerfile --------------------------------------------------------------

def gen_dockerfile(c: Ctx, target: int) -> list[str]:
    r = c.r
    port = c.port()
    kind = r.randrange(3)
    if kind == 0:
        pyv = f"3.{c.num(9, 13)}"
        lines = [f"FROM python:{pyv}-{r.choice(['slim', 'slim-bookworm', 'alpine'])}", "",
                 "ENV PYTHONDONTWRITEBYTECODE=1 \\", "    PYTHONUNBUFFERED=1 \\",
                 f"    {c.env()}={r.choice(['info', 'production', str(c.num(1, 99))])}", "",
                 f"WORKDIR /{r.choice(['app', 'srv', 'opt/' + c.noun()])}", "",
                 "RUN apt-get update \\",
                 f"    && apt-get install -y --no-install-recommends {' '.join(r.sample(['build-essential', 'curl', 'libpq-dev', 'git', 'ca-certificates', 'tini', 'gcc'], 3))} \\",
                 "    && rm -rf /var/lib/apt/lists/*", "",
                 "COPY requirements.txt .",
                 "RUN pip install --no-cache-dir -r requirements.txt", "",
                 "COPY . .", ""]
        if r.random() < 0.6:
            lines += [f"RUN useradd --create-home --uid {c.num(1000, 2000)} {c.noun()}", f"USER {c.noun()}", ""]
        lines += [f"EXPOSE {port}"]
        if r.random() < 0.5:
            lines += [f"HEALTHCHECK --interval={c.num(10, 60)}s --timeout={c.num(2, 10)}s CMD curl -f http://localhost:{port}/healthz || exit 1"]
        lines += [f'CMD ["{r.choice(["uvicorn", "gunicorn"])}", "{r.choice(["app.main", "service.api", "src.server"])}:app", "--bind", "0.0.0.0:{port}"]']
        return lines
    if kind == 1:
        lines = [f"FROM node:{c.num(18, 22)}-alpine AS build", "WORKDIR /src",
                 f"ARG {c.env()}={r.choice(['production', 'staging', str(c.num(1, 999))])}",
                 "COPY package.json package-lock.json ./", "RUN npm ci --no-audit --no-fund",
                 "COPY . .",
                 f"RUN npm run {r.choice(['build', 'build:prod', 'compile'])} -- --{r.choice(['base', 'public-path', 'out-dir'])}=/{c.noun()}/", "",
                 f"FROM nginx:1.{c.num(20, 27)}-alpine",
                 f'LABEL org.opencontainers.image.title="{c.app()}" org.opencontainers.image.version="{c.version()}"',
                 f"COPY --from=build /src/{r.choice(['dist', 'build', 'out'])} /usr/share/nginx/html",
                 f"COPY {r.choice(['nginx.conf', 'deploy/nginx.conf'])} /etc/nginx/conf.d/default.conf",
                 f"EXPOSE {r.choice([80, 8080, port])}",
                 'CMD ["nginx", "-g", "daemon off;"]']
        return lines
    binary = c.app()
    lines = [f"FROM golang:1.{c.num(20, 23)} AS builder", "WORKDIR /build",
             "COPY go.mod go.sum ./", "RUN go mod download", "COPY . .",
             f"RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags=\"-s -w\" -o /out/{binary} ./cmd/{c.noun()}", "",
             f"FROM gcr.io/distroless/static-debian12",
             f"COPY --from=builder /out/ /usr/local/bin/",
             f"USER {c.num(1000, 65532)}:{c.num(1000, 65532)}",
             f"EXPOSE {port}",
             f'ENTRYPOINT ["/usr/local/bin/{binary}", "--listen", ":{port}"]']
    return lines


def unique_keys(c: Ctx, n: int) -> list[str]:
    """n distinct adjective_noun keys (duplicate keys are invalid TOML)."""
    keys: list[str] = []
    while len(keys) < n:
        k = f"{c.adj()}_{c.noun()}"
        if k not in keys:
            keys.append(k)
    return keys


# ---- TOML --------------------------------------------------------------------

def gen_toml(c: Ctx, target: int) -> list[str]:
    r = c.r
    kind = r.randrange(3)
    if kind == 0:
        name = c.app()
        deps = r.sample(["requests", "httpx", "fastapi", "pydantic", "sqlalchemy", "rich", "typer",
                         "click", "jinja2", "pyyaml", "orjson", "structlog"], r.randint(2, 6))
        lines = ["[project]", f'name = "{name}"', f'version = "{c.version()}"',
                 f'description = "{c.phrase(3, 7).capitalize()}"',
                 f'requires-python = ">=3.{c.num(9, 12)}"', "dependencies = ["]
        lines += [f'    "{d}>={c.version()}",' for d in deps]
        lines += ["]", "", "[project.optional-dependencies]",
                  f'dev = ["pytest>={c.num(7, 8)}.0", "ruff", "mypy"]', "", "[tool.ruff]",
                  f"line-length = {r.choice([88, 100, 110, 120])}", f'target-version = "py3{c.num(9, 13)}"',
                  "", "[tool.pytest.ini_options]", f'addopts = "-q --strict-markers {r.choice(["-x", "--maxfail=3", "-ra"])}"',
                  f'testpaths = ["{r.choice(["tests", "test", "src/tests"])}"]']
        return lines
    if kind == 1:
        lines = ["[package]", f'name = "{c.noun()}-{c.noun()}"', f'version = "{c.version()}"',
                 f'edition = "{r.choice(["2018", "2021", "2024"])}"', "", "[dependencies]"]
        for d in r.sample(["serde", "serde_json", "tokio", "anyhow", "clap", "reqwest", "tracing", "rayon", "regex", "thiserror"], r.randint(3, 7)):
            if r.random() < 0.3:
                lines.append(f'{d} = {{ version = "{c.num(0, 4)}.{c.num(0, 40)}", features = ["{r.choice(["derive", "full", "json", "std"])}"] }}')
            else:
                lines.append(f'{d} = "{c.num(0, 4)}.{c.num(0, 40)}"')
        lines += ["", "[profile.release]", "lto = " + r.choice(["true", "false", '"thin"']),
                  f"codegen-units = {r.choice([1, 4, 16])}"]
        return lines
    lines = [f"# {c.phrase(3, 6)}", f'title = "{c.phrase(2, 4).title()}"', "", "[server]",
             f'host = "{r.choice(["0.0.0.0", "127.0.0.1"])}"', f"port = {c.port()}",
             f"workers = {c.num(1, 32)}", "", "[database]",
             f'url = "postgres://{c.noun()}@localhost/{c.noun()}"', f"max_connections = {c.num(5, 200)}", "",
             "[limits]"]
    for key in unique_keys(c, r.randint(2, 6)):
        lines.append(f"{key} = {c.num(1, 10000)}")
    lines += ["", "[[jobs]]", f'name = "{c.verb()}-{plural(c.noun())}"', f'schedule = "*/{c.num(2, 59)} * * * *"']
    return lines


# ---- JSON --------------------------------------------------------------------

def gen_json(c: Ctx, target: int) -> list[str]:
    r = c.r
    kind = r.randrange(3)
    if kind == 0:
        obj = {"name": f"@{c.noun()}/{c.app()}", "version": c.version(), "private": True,
               "scripts": {k: v for k, v in r.sample([
                   ("dev", "vite"), ("build", "vite build"), ("test", f"vitest run --coverage"),
                   ("lint", "eslint . --max-warnings 0"), ("format", "prettier --write ."),
                   ("start", f"node dist/{c.noun()}.js")], r.randint(2, 5))},
               "dependencies": {d: f"^{c.version()}" for d in r.sample(["react", "react-dom", "zod", "axios", "dayjs", "lodash", "express"], r.randint(1, 4))},
               "devDependencies": {d: f"^{c.version()}" for d in r.sample(["vite", "vitest", "eslint", "prettier", "typescript"], r.randint(1, 4))}}
    elif kind == 1:
        items = []
        for i in range(r.randint(2, 4)):
            items.append({"id": c.num(1, 99999), "name": f"{c.adj()}-{c.noun()}",
                          "status": r.choice(["active", "pending", "failed", "done"]),
                          "score": c.flt(0, 100), "tags": r.sample(TAGS, r.randint(0, 3))})
        obj = {plural(c.noun()): items, "page": c.num(1, 40), "per_page": r.choice([10, 20, 50]),
               "total": c.num(100, 99999)}
    else:
        obj = {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": camel(c.noun()),
               "type": "object", "required": [], "properties": {}}
        for _ in range(r.randint(2, 5)):
            f = c.snake()
            t = r.choice(["string", "integer", "number", "boolean"])
            prop = {"type": t}
            if t == "integer":
                prop["minimum"] = c.num(0, 10)
            if t == "string" and r.random() < 0.5:
                prop["maxLength"] = c.num(8, 255)
            obj["properties"][f] = prop
            if r.random() < 0.5:
                obj["required"].append(f)
    lines = json.dumps(obj, indent=2).split("\n")
    if len(lines) > CODE_MAX_LINES:
        lines = json.dumps(obj, indent=2, separators=(", ", ": ")).split("\n")
    return lines


# ---- text --------------------------------------------------------------------

def gen_text(c: Ctx, target: int) -> list[str]:
    r = c.r
    kind = r.randrange(3)
    if kind == 0:  # log output
        lines = []
        h, m, s = c.num(0, 23), c.num(0, 59), c.num(0, 59)
        for _ in range(target):
            s += r.randint(0, 9)
            m += s // 60
            s %= 60
            h = (h + m // 60) % 24
            m %= 60
            lvl = r.choices(["INFO", "DEBUG", "WARN", "ERROR"], [6, 3, 2, 1])[0]
            lines.append(f"2024-{c.num(1, 12):02d}-{c.num(1, 28):02d} {h:02d}:{m:02d}:{s:02d} {lvl:<5} "
                         f"{c.app()} {c.verb()} {c.noun()}={c.num(1, 9999)} took {c.num(1, 900)}ms")
        return lines
    if kind == 1:  # directory tree
        root = c.app()
        lines = [f"{root}/"]
        for d in r.sample(["src", "tests", "docs", "config", "scripts", "data"], r.randint(3, 5)):
            lines.append(f"├── {d}/")
            for _ in range(r.randint(1, 5)):
                if len(lines) >= target - 1:
                    break
                lines.append(f"│   ├── {c.snake()}.{r.choice(['py', 'md', 'yaml', 'sh', 'json'])}")
        lines.append(f"└── {r.choice(['README.md', 'pyproject.toml', 'Makefile'])}")
        return lines
    # traceback
    mod = c.noun()
    lines = ["Traceback (most recent call last):"]
    for _ in range(r.randint(3, 8)):
        lines += [f'  File "/srv/{c.app()}/{mod}/{c.snake()}.py", line {c.num(10, 900)}, in {c.snake()}',
                  f"    {c.snake()} = {c.snake()}({c.noun()}, {r.choice(['timeout', 'retries', 'limit'])}={c.num(1, 60)})"]
    lines.append(f"{r.choice(['KeyError', 'ValueError', 'TimeoutError', 'ConnectionResetError'])}: "
                 f"'{c.snake()}' {c.phrase(2, 5)}")
    return lines


# ---- Markdown ------------------------------------------------------------------

def gen_markdown(c: Ctx, target: int) -> list[str]:
    """A README, a lesson skeleton or a changelog, as a course shows one (no fences inside)."""
    r = c.r
    kind = r.randrange(3)
    app = c.app()
    if kind == 0:  # README
        lines = [f"# {app}", "", f"{c.phrase(6, 12).capitalize()}.", "", "## Installation", "",
                 f"1. Clone the repository and enter `{app}/`.",
                 f"2. Run `pip install -e .[{r.choice(['dev', 'test', 'all'])}]`.",
                 f"3. Copy `{r.choice(['.env.example', 'config.example.toml', 'settings.example.yaml'])}` and edit it.",
                 "", "## Usage", "", f"Start the service with `{c.app()} --port {c.port()}`, then open",
                 f"<http://localhost:{c.port()}/{r.choice(['docs', 'health', 'api'])}>.", "",
                 "| Variable | Default | Meaning |", "| --- | --- | --- |"]
        for _ in range(r.randint(2, 5)):
            lines.append(f"| `{c.env()}` | `{r.choice(['true', 'false', str(c.num(1, 900)), c.word()])}` | {c.phrase(3, 6)} |")
        lines += ["", "## License", "", f"{r.choice(['MIT', 'Apache-2.0', 'BSD-3-Clause'])}, see [LICENSE](LICENSE)."]
        return lines
    if kind == 1:  # a lesson's front matter and outline
        lines = ["---", f'title: "{c.verb().capitalize()} {plural(c.noun())} with {r.choice(TOOLS)}"',
                 f"sidebar_position: {c.num(1, 30)}", f"duration_minutes: {r.choice([10, 20, 30, 45])}",
                 "learning_objectives:"]
        for _ in range(r.randint(2, 4)):
            lines.append(f"  - {c.verb().capitalize()} {c.adj()} {plural(c.noun())}")
        lines += ["---", "", f"# {c.phrase(2, 5).capitalize()}", "", f"{c.phrase(8, 14).capitalize()}.", ""]
        for _ in range(r.randint(1, 3)):
            lines += [f"## {r.choice(SECTION_TITLES)}", "", f"- **{c.word()}**: {c.phrase(3, 8)}",
                      f"- *{c.word()}*: {c.phrase(3, 8)}", ""]
        lines.append(f":::{r.choice(['tip', 'note', 'warning'])}")
        lines += [f"{c.phrase(5, 10).capitalize()}.", ":::"]
        return lines
    # changelog
    lines = ["# Changelog", ""]
    while len(lines) < target - 5:
        lines += [f"## [{c.version()}] - 20{c.num(20, 26)}-{c.num(1, 12):02d}-{c.num(1, 28):02d}", ""]
        for _ in range(r.randint(1, 3)):
            lines.append(f"### {r.choice(['Added', 'Changed', 'Fixed', 'Removed', 'Security'])}")
            lines.append("")
            for _ in range(r.randint(1, 3)):
                lines.append(f"- {c.verb().capitalize()} `{c.snake()}` {c.phrase(2, 6)} (#{c.num(10, 999)})")
            lines.append("")
    while lines[-1] == "":
        lines.pop()
    return lines


LANG_GENERATORS = {
    "python": gen_python, "bash": gen_bash, "yaml": gen_yaml, "dockerfile": gen_dockerfile,
    "toml": gen_toml, "json": gen_json, "text": gen_text, "markdown": gen_markdown,
}


def gen_code(c: Ctx, lang: str) -> list[str]:
    """Generate a code block of CODE_MIN_LINES..CODE_MAX_LINES lines."""
    gen = LANG_GENERATORS[lang]
    best = None
    for _ in range(20):
        target = c.r.randint(CODE_MIN_LINES + 2, CODE_MAX_LINES - 4)
        lines = gen(c, target)
        if CODE_MIN_LINES <= len(lines) <= CODE_MAX_LINES:
            return lines
        if best is None or abs(len(lines) - 25) < abs(len(best) - 25):
            best = lines
    # Should not happen with the templates above; keep the size contract anyway.
    lines = best[:CODE_MAX_LINES]
    comment = "" if lang in ("json", "text", "markdown") else "# "
    while len(lines) < CODE_MIN_LINES:
        lines.append(comment + c.phrase(3, 6))
    return lines


# --------------------------------------------------------------------------
# Prose
# --------------------------------------------------------------------------

ALL_WORDS = FUNCTION_WORDS + CONTENT_WORDS
WORD_WEIGHTS = [6] * len(FUNCTION_WORDS) + [1] * len(CONTENT_WORDS)
_cum = []
_acc = 0
for _w in WORD_WEIGHTS:
    _acc += _w
    _cum.append(_acc)
WORD_CUM = _cum


def sentence(c: Ctx, inline_code: list[str] | None = None) -> str:
    r = c.r
    n = r.randint(8, 24)
    words = r.choices(ALL_WORDS, cum_weights=WORD_CUM, k=n)
    # sprinkle inline markup
    roll = r.random()
    if inline_code is not None and roll < 0.22:
        i = r.randrange(1, n)
        words[i] = f"`{r.choice(inline_code)}`"
    elif roll < 0.30:
        i = r.randrange(1, n)
        words[i] = f"**{words[i]}**"
    elif roll < 0.36:
        i = r.randrange(1, n)
        words[i] = f"*{words[i]}*"
    if r.random() < 0.2:
        i = r.randrange(2, n - 2)
        words[i] += ","
    s = " ".join(words)
    end = "?" if r.random() < 0.06 else "."
    return s[0].upper() + s[1:] + end


def paragraph(c: Ctx, inline_code: list[str], lo: int = 3, hi: int = 7) -> str:
    return " ".join(sentence(c, inline_code) for _ in range(c.r.randint(lo, hi)))


def bullet_list(c: Ctx, inline_code: list[str]) -> str:
    r = c.r
    ordered = r.random() < 0.35
    task = not ordered and r.random() < 0.15
    items = []
    for i in range(r.randint(3, 7)):
        text = sentence(c, inline_code)
        if ordered:
            items.append(f"{i + 1}. {text}")
        elif task:
            items.append(f"- [{r.choice([' ', 'x'])}] {text}")
        else:
            items.append(f"- {text}")
        if not ordered and r.random() < 0.15:
            items.append(f"  - {sentence(c, inline_code)}")
    return "\n".join(items)


def table(c: Ctx, inline_code: list[str]) -> str:
    r = c.r
    ncols = r.randint(3, 5)
    headers = r.sample(["Option", "Default", "Description", "Type", "Command", "Effect",
                        "When to use", "Cost", "Example", "Notes", "Status"], ncols)
    rows = ["| " + " | ".join(headers) + " |",
            "| " + " | ".join(r.choice(["---", ":---", "---:", ":---:"]) for _ in headers) + " |"]
    for _ in range(r.randint(4, 8)):
        cells = []
        for h in headers:
            if h in ("Option", "Command", "Example"):
                cells.append(f"`{r.choice(inline_code)}`")
            elif h == "Default":
                cells.append(r.choice(["`true`", "`false`", str(c.num(0, 1000)), "none", f"`{c.word()}`"]))
            elif h == "Cost":
                cells.append(r.choice(["low", "medium", "high", f"{c.num(1, 500)} ms"]))
            elif h == "Status":
                cells.append(r.choice(["stable", "beta", "deprecated", "experimental"]))
            else:
                cells.append(c.phrase(2, 8))
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def blockquote(c: Ctx, inline_code: list[str]) -> str:
    r = c.r
    kind = r.choice(["**Note:**", "**Tip:**", "**Warning:**", "**Remember:**", ""])
    text = paragraph(c, inline_code, 1, 3)
    lines = [f"> {kind} {text}".replace(">  ", "> ")]
    if r.random() < 0.3:
        lines += [">", f"> {sentence(c, inline_code)}"]
    return "\n".join(lines)


def inline_code_pool(c: Ctx) -> list[str]:
    r = c.r
    pool = []
    for _ in range(12):
        k = r.randrange(6)
        if k == 0:
            pool.append(c.snake() + "()")
        elif k == 1:
            pool.append(f"--{c.adj()}-{c.noun()}")
        elif k == 2:
            pool.append(f"{c.noun()}.{r.choice(['yaml', 'toml', 'json', 'py', 'sh', 'md'])}")
        elif k == 3:
            pool.append(c.env())
        elif k == 4:
            pool.append(c.cls())
        else:
            pool.append(f"{c.verb()} {c.noun()}")
    return pool


# --------------------------------------------------------------------------
# Course structure
# --------------------------------------------------------------------------

def plan_structure(n_lessons: int, mix: Mix) -> list[list[int]]:
    """Return parts -> list of lesson counts per chapter, totalling n_lessons.

    classic: lessons per chapter = n / 200 clamped to 10..50, at most 10 parts;
    reference: 11 lessons per chapter, 7 chapters per part, as many parts as that takes."""
    if n_lessons < 1:
        raise ValueError("--lessons must be >= 1")
    per_chapter = mix.lessons_per_chapter or max(10, min(50, n_lessons // 200))
    n_chapters = max(1, math.ceil(n_lessons / per_chapter))
    if mix.chapters_per_part:
        n_parts = math.ceil(n_chapters / mix.chapters_per_part)
    else:
        n_parts = min(mix.max_parts, n_chapters)
    # chapters per part, spread evenly
    cpp = [n_chapters // n_parts + (1 if i < n_chapters % n_parts else 0) for i in range(n_parts)]
    lessons = [n_lessons // n_chapters + (1 if i < n_lessons % n_chapters else 0) for i in range(n_chapters)]
    parts, k = [], 0
    for count in cpp:
        parts.append(lessons[k:k + count])
        k += count
    return parts


def width(n: int) -> int:
    return max(2, len(str(n)))


def lesson_title(c: Ctx) -> str:
    r = c.r
    form = r.randrange(6)
    if form == 0:
        return f"{r.choice(GERUNDS)} {plural(c.noun())} with {r.choice(TOOLS)}"
    if form == 1:
        return f"Understanding {c.adj()} {plural(c.noun())}"
    if form == 2:
        return f"{camel(c.noun())} {plural(c.noun())} in practice"
    if form == 3:
        return f"How to {c.verb()} a {c.adj()} {c.noun()}"
    if form == 4:
        return f"{r.choice(GERUNDS)} the {c.noun()} {c.noun()}"
    return f"{r.choice(TOOLS)}: {r.choice(GERUNDS).lower()} {plural(c.noun())}"


def chapter_title(c: Ctx) -> str:
    r = c.r
    if r.random() < 0.5:
        return f"{r.choice(GERUNDS)} {c.adj()} {plural(c.noun())}"
    return f"{camel(c.noun())} {r.choice(['fundamentals', 'patterns', 'workflows', 'internals', 'in depth', 'basics', 'at scale'])}"


def unique_title(c: Ctx, make, taken: set) -> str:
    """A title from make(c) whose slug is not in taken (which it joins)."""
    for attempt in range(1000):
        title = make(c)
        if attempt >= 100:
            title = f"{title} {attempt - 98}"
        if slugify(title) not in taken:
            taken.add(slugify(title))
            return title
    raise RuntimeError("could not find a unique title")


def front_matter(fields: list[tuple[str, object]]) -> str:
    out = ["---"]
    for key, value in fields:
        if isinstance(value, list):
            out.append(f"{key}:")
            out += [f"  - {yaml_str(v) if isinstance(v, str) else v}" for v in value]
        elif isinstance(value, str):
            out.append(f"{key}: {yaml_str(value)}")
        else:
            out.append(f"{key}: {value}")
    out.append("---")
    return "\n".join(out) + "\n"


class Stats:
    def __init__(self, mix: Mix):
        self.lang_counts = {lang: 0 for lang, _ in mix.lang_weights}
        self.block_lines: list[int] = []
        self.block_hashes: dict[bytes, int] = {}
        self.lesson_sizes: list[int] = []
        self.total_bytes = 0
        self.pages = 0
        self.tables = 0
        self.blockquotes = 0
        self.prev_links = 0

    def add_block(self, lang: str, lines: list[str]):
        self.lang_counts[lang] += 1
        self.block_lines.append(len(lines))
        h = hashlib.blake2b("\n".join(lines).encode(), digest_size=16).digest()
        self.block_hashes[h] = self.block_hashes.get(h, 0) + 1


class SharedBlocks:
    """The course-wide pool of common snippets (the same `pip install`, compose file or
    pyproject in several lessons): block i of a language is made from its own seed, so
    the pool is deterministic and nothing has to be generated ahead."""

    def __init__(self, mix: Mix, n_lessons: int, seed: int):
        self.seed = seed
        self.sizes = {}
        total_w = sum(w for _, w in mix.lang_weights)
        expected = n_lessons * mix.mean_blocks() * mix.shared_fraction
        for lang, w in mix.lang_weights:
            self.sizes[lang] = max(1, round(expected * w / total_w / 6))
        self.blocks: dict[tuple[str, int], list[str]] = {}

    def pick(self, r: random.Random, lang: str) -> list[str]:
        key = (lang, r.randrange(self.sizes[lang]))
        if key not in self.blocks:
            self.blocks[key] = gen_code(Ctx(random.Random(f"shared:{self.seed}:{lang}:{key[1]}")), lang)
        return self.blocks[key]


def make_lesson(rng: random.Random, position: int, title: str, siblings: list[str],
                tool: str, stats: Stats, mix: Mix, shared: SharedBlocks) -> str:
    c = Ctx(rng)
    r = rng
    inline = inline_code_pool(c)
    target = int(mix.lesson_bytes * r.uniform(1 - LESSON_SIZE_JITTER, 1 + LESSON_SIZE_JITTER))

    skills = r.sample(SKILLS, r.randint(2, 4))
    fm = front_matter([
        ("sidebar_position", position),
        ("title", title),
        ("description", sentence(c)),
        ("duration_minutes", r.choice([10, 15, 20, 25, 30, 35, 40, 45, 50, 60])),
        ("learning_objectives", [
            f"Explain how {tool} handles {c.adj()} {plural(c.noun())}",
            f"{c.verb().capitalize()} a {c.noun()} using `{r.choice(inline)}`",
            f"Diagnose {r.choice(['common', 'subtle', 'intermittent'])} {c.noun()} {r.choice(['errors', 'failures', 'slowdowns'])}",
        ]),
        ("skills", skills),
        ("keywords", [c.noun() for _ in range(r.randint(3, 6))]),
        ("tags", r.sample(TAGS, r.randint(2, 4))),
    ])

    # --- sections skeleton ---
    n_sections = r.randint(5, 7)
    titles = r.sample(SECTION_TITLES, n_sections - 1) + ["Summary"]
    sections: list[list[str]] = [[f"## {t}"] for t in titles]

    idx = position - 1  # index within siblings
    prev_text = ""
    if idx > 0:
        prev = siblings[idx - 1]
        prev_text = f"In the [previous lesson](./{prev}) we looked at the basics. "
        stats.prev_links += 1
    intro_par = prev_text + paragraph(c, inline, 3, 5)
    body_head = f"# {title}\n\n{intro_par}"

    # code blocks with a realistic language mix
    if len(mix.blocks_per_lesson) == 1:
        n_blocks = mix.blocks_per_lesson[0][0]
    else:
        n_blocks = r.choices([n for n, _ in mix.blocks_per_lesson],
                             weights=[w for _, w in mix.blocks_per_lesson])[0]
    langs = r.choices([l for l, _ in mix.lang_weights], weights=[w for _, w in mix.lang_weights],
                      k=n_blocks)
    code_blocks = []
    for lang in langs:
        if mix.shared_fraction and r.random() < mix.shared_fraction:
            lines = shared.pick(r, lang)
        else:
            lines = gen_code(c, lang)
        stats.add_block(lang, lines)
        code_blocks.append(f"```{lang}\n" + "\n".join(lines) + "\n```")

    # distribute code blocks over the non-summary sections
    for i, block in enumerate(code_blocks):
        sec = sections[i % (n_sections - 1)]
        sec.append(paragraph(c, inline, 1, 3))
        sec.append(block)
    # one table, optional blockquote, lists, a subsection or two
    sections[r.randrange(n_sections - 1)].append(table(c, inline))
    stats.tables += 1
    if r.random() < 0.35:
        sections[r.randrange(n_sections)].insert(1, blockquote(c, inline))
        stats.blockquotes += 1
    for _ in range(r.randint(2, 3)):
        sections[r.randrange(n_sections)].append(bullet_list(c, inline))
    sub_titles = r.sample(SUB_TITLES, r.randint(2, 4))
    for st in sub_titles:
        sec = sections[r.randrange(n_sections - 1)]
        sec.append(f"### {st}")
        sec.append(paragraph(c, inline, 2, 5))
    recap = paragraph(c, inline, 2, 4)
    if idx > 1 and r.random() < 0.5:
        older = siblings[r.randrange(0, idx - 1)]
        recap = f"If anything here felt unfamiliar, revisit [this earlier lesson](./{older}). " + recap
    sections[-1].append(recap)

    def size() -> int:
        return len(fm) + len(body_head) + sum(len(b) + 2 for s in sections for b in s)

    # fill with prose until the target size is reached
    while size() < target:
        s = r.randrange(n_sections)
        sec = sections[s]
        pos = r.randint(1, len(sec))
        sec.insert(pos, paragraph(c, inline))

    parts = [body_head]
    for s in sections:
        parts.append("\n\n".join(s))
    text = fm + "\n" + "\n\n".join(parts) + "\n"
    return text


def make_index_page(rng: random.Random, title: str, position: int | None, links: list[tuple[str, str]],
                    intro_paras: int) -> str:
    c = Ctx(rng)
    inline = inline_code_pool(c)
    fields: list[tuple[str, object]] = [("title", title)]
    if position is not None:
        fields.append(("sidebar_position", position))
    fields.append(("description", sentence(c)))
    out = [front_matter(fields), f"# {title}", ""]
    for _ in range(intro_paras):
        out += [paragraph(c, inline), ""]
    out += ["## Contents", ""]
    for link_title, href in links:
        out.append(f"- [{link_title}](./{href})")
    out.append("")
    return "\n".join(out)


def make_quiz_page(rng: random.Random, chapter: str, position: int, questions: int) -> str:
    """A chapter's quiz page: `questions` questions in the plain-Markdown quiz form, each with
    four options (some with two right ones), an explanation and a source, like the long quiz
    pages of real course books."""
    c = Ctx(rng)
    lines = ["---", f"title: {json.dumps('Quiz: ' + chapter)}", f"sidebar_position: {position}", "---", "",
             f"Check what you learned in {chapter.lower()}: {c.phrase(6, 12)}.", "",
             f":::quiz {chapter} check"]
    for q in range(questions):
        lines.append(f"{q + 1}. {c.phrase(6, 14).capitalize()}?")
        right = {rng.randrange(4)}
        if rng.random() < 0.2:
            right.add(rng.randrange(4))
        for o in range(4):
            mark = "x" if o in right else " "
            text = c.phrase(2, 7)
            if rng.random() < 0.3:
                text = f"`{text.split()[0]}` {text}"
            lines.append(f"   - [{mark}] {text}")
        lines.append(f"   > {c.phrase(8, 20).capitalize()}.")
        lines.append(f"   Source: {c.phrase(2, 4).capitalize()}")
    lines += [":::", ""]
    return "\n".join(lines)


def generate(n_lessons: int, out_dir: str, seed: int, mix_name: str = DEFAULT_MIX,
             quiz_questions: int = 0) -> dict:
    t0 = time.perf_counter()
    mix = MIXES[mix_name]
    structure = plan_structure(n_lessons, mix)
    master = random.Random(f"syllabus-course:{seed}")
    stats = Stats(mix)
    shared = SharedBlocks(mix, n_lessons, seed)
    content = os.path.join(out_dir, "content")
    os.makedirs(content, exist_ok=True)
    with open(os.path.join(out_dir, "book.toml"), "w", encoding="utf-8") as fh:
        fh.write('[book]\ntitle = "Synthetic course"\n')

    def write(path: str, text: str):
        data = text.encode("utf-8")
        with open(path, "wb") as fh:
            fh.write(data)
        stats.total_bytes += len(data)
        stats.pages += 1
        return len(data)

    pw = width(len(structure))
    part_topics = master.sample(PART_TOPICS, len(structure)) if len(structure) <= len(PART_TOPICS) else \
        [f"{master.choice(PART_TOPICS)} {i + 1}" for i in range(len(structure))]
    home_links = []
    n_chapters = 0
    for pi, chapters in enumerate(structure):
        ptitle = part_topics[pi]
        pdir = f"{pi + 1:0{pw}d}-{slugify(ptitle)}"
        home_links.append((ptitle, f"{pdir}/README.md"))
        cw = width(len(chapters))
        part_links = []
        pc = Ctx(master)
        chapter_slugs: set = set()
        for ci, n_les in enumerate(chapters):
            n_chapters += 1
            # Titles must be unique within a folder: like Docusaurus, Syllabus strips
            # the NN- prefix when it makes URLs, so equal names would collide.
            ctitle = unique_title(pc, chapter_title, chapter_slugs)
            cdir = f"{ci + 1:0{cw}d}-{slugify(ctitle)}"
            part_links.append((ctitle, f"{cdir}/README.md"))
            chapter_path = os.path.join(content, pdir, cdir)
            os.makedirs(chapter_path, exist_ok=True)
            lw = width(n_les)
            lesson_slugs: set = set()
            titles = [unique_title(pc, lesson_title, lesson_slugs) for _ in range(n_les)]
            tool = master.choice(TOOLS)
            files = [f"{li + 1:0{lw}d}-{slugify(t)}.md" for li, t in enumerate(titles)]
            for li, (t, fname) in enumerate(zip(titles, files)):
                lrng = random.Random(f"lesson:{seed}:{pdir}/{cdir}/{fname}")
                text = make_lesson(lrng, li + 1, t, files, tool, stats, mix, shared)
                stats.lesson_sizes.append(write(os.path.join(chapter_path, fname), text))
            crng = random.Random(f"chapter:{seed}:{pdir}/{cdir}")
            write(os.path.join(chapter_path, "README.md"),
                  make_index_page(crng, ctitle, ci + 1, list(zip(titles, files)), 2))
            if quiz_questions:
                qrng = random.Random(f"quiz:{seed}:{pdir}/{cdir}")
                write(os.path.join(chapter_path, f"{n_les + 1:0{lw}d}-quiz.md"),
                      make_quiz_page(qrng, ctitle, n_les + 1, quiz_questions))
        prng = random.Random(f"part:{seed}:{pdir}")
        write(os.path.join(content, pdir, "README.md"), make_index_page(prng, ptitle, pi + 1, part_links, 3))
    hrng = random.Random(f"home:{seed}")
    write(os.path.join(content, "README.md"),
          make_index_page(hrng, "Synthetic course", None, home_links, 4))

    elapsed = time.perf_counter() - t0
    sizes = stats.lesson_sizes
    bl = stats.block_lines
    n_blocks = len(bl)
    dup_blocks = sum(v - 1 for v in stats.block_hashes.values() if v > 1)
    summary = {
        "generator_version": GENERATOR_VERSION,
        "lessons": n_lessons,
        "seed": seed,
        "mix": mix_name,
        "parts": len(structure),
        "chapters": n_chapters,
        "lessons_per_chapter": [min(x for p in structure for x in p), max(x for p in structure for x in p)],
        "pages": stats.pages,
        "total_bytes": stats.total_bytes,
        "lesson_bytes_avg": round(sum(sizes) / len(sizes)),
        "lesson_bytes_min": min(sizes),
        "lesson_bytes_max": max(sizes),
        "code_blocks": n_blocks,
        "code_blocks_by_language": dict(stats.lang_counts),
        "code_lines_min": min(bl),
        "code_lines_avg": round(sum(bl) / n_blocks, 1),
        "code_lines_max": max(bl),
        "code_blocks_distinct": len(stats.block_hashes),
        "code_blocks_duplicates": dup_blocks,
        "tables": stats.tables,
        "blockquotes": stats.blockquotes,
        "prev_lesson_links": stats.prev_links,
        "quiz_questions": quiz_questions,
        "generation_seconds": round(elapsed, 2),
    }
    with open(os.path.join(out_dir, MANIFEST), "w", encoding="utf-8") as fh:
        json.dump(summary, fh, indent=2)
        fh.write("\n")
    return summary


def print_stats(s: dict, out_dir: str) -> None:
    print(f"course:      {out_dir} (mix {s['mix']}, seed {s['seed']})")
    print(f"structure:   {s['parts']} parts, {s['chapters']} chapters, {s['lessons']} lessons "
          f"({s['lessons_per_chapter'][0]}-{s['lessons_per_chapter'][1]} per chapter), {s['pages']} pages")
    print(f"size:        {s['total_bytes'] / 1e6:.1f} MB total; lesson avg {s['lesson_bytes_avg'] / 1024:.1f} KiB "
          f"(min {s['lesson_bytes_min'] / 1024:.1f}, max {s['lesson_bytes_max'] / 1024:.1f})")
    n = s["code_blocks"]
    mix = ", ".join(f"{lang} {cnt} ({100 * cnt / n:.1f}%)" for lang, cnt in s["code_blocks_by_language"].items())
    print(f"code blocks: {n} ({n / s['lessons']:.2f} per lesson): {mix}")
    print(f"code lines:  min {s['code_lines_min']}, avg {s['code_lines_avg']}, max {s['code_lines_max']}")
    print(f"distinct:    {s['code_blocks_distinct']} distinct blocks ({100 * s['code_blocks_distinct'] / n:.1f}%), "
          f"{s['code_blocks_duplicates']} duplicates")
    print(f"other:       {s['tables']} tables, {s['blockquotes']} blockquotes, {s['prev_lesson_links']} previous-lesson links")
    print(f"generated in {s['generation_seconds']} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate a synthetic Docusaurus-layout course for benchmarks.")
    ap.add_argument("--lessons", type=int, required=True, help="number of lessons")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--mix", choices=sorted(MIXES), default=DEFAULT_MIX,
                    help=f"what the course is made of (default {DEFAULT_MIX}: issue 15's course; "
                         "classic: generator version 3's)")
    ap.add_argument("--quiz-questions", type=int, default=0, metavar="N",
                    help="also give every chapter a quiz page of N questions (default 0: none; "
                         "40 makes the long quiz pages of real course books)")
    ap.add_argument("--stats", action="store_true", help="print a summary of the generated course")
    ap.add_argument("--force", action="store_true",
                    help="overwrite OUT even if it is a non-empty directory not made by this script")
    args = ap.parse_args(argv)

    out = args.out
    if os.path.exists(out):
        if not os.path.isdir(out):
            print(f"gen_course: {out} exists and is not a directory", file=sys.stderr)
            return 2
        if os.listdir(out):
            if not (args.force or os.path.exists(os.path.join(out, MANIFEST))):
                print(f"gen_course: {out} is not empty and was not made by gen_course.py "
                      f"(use --force to overwrite)", file=sys.stderr)
                return 2
            for name in ("content", "book.toml", MANIFEST):
                p = os.path.join(out, name)
                if os.path.isdir(p):
                    shutil.rmtree(p)
                elif os.path.exists(p):
                    os.remove(p)
    summary = generate(args.lessons, out, args.seed, args.mix, args.quiz_questions)
    if args.stats:
        print_stats(summary, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
