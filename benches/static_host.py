#!/usr/bin/env python3
"""A small static file server that behaves like a real static host, for Lighthouse runs.

    python3 benches/static_host.py SITE_DIR [--port 8000] [--compress precompressed]

What it does, as nginx with `gzip_static`/`brotli_static`, Caddy's `file_server
{ precompressed }` or a CDN in front of a static site does:

* hashed assets (a name like `syllabus.3f2a1c9e.css`: a dot, 8 or more hex digits, a dot)
  get `Cache-Control: public, max-age=31536000, immutable`; HTML gets `no-cache` (revalidate
  each time); every other file `max-age=600` (GitHub Pages' lifetime);
* with `--compress precompressed` (the default), a request whose `Accept-Encoding` allows
  `br` or `gzip` gets `FILE.br` / `FILE.gz` when that file exists beside FILE, with
  `Content-Encoding` and `Vary: Accept-Encoding`; nothing is compressed on the fly.
  `--compress dynamic` gzips text files on the fly when no precompressed file exists (as
  Netlify, Cloudflare or GitHub Pages do); `--compress none` never compresses;
* a folder URL serves its `index.html`, `/a` redirects to `/a/` for a folder, a missing file
  gets the site's `404.html` with status 404; `ETag` and `If-None-Match` (304).

Standard library only. Prints `serving SITE_DIR at http://127.0.0.1:PORT/` once ready.
"""
import argparse
import gzip
import hashlib
import http.server
import mimetypes
import os
import re
import sys
import urllib.parse

HASHED = re.compile(r"\.[0-9a-f]{8,}\.[A-Za-z0-9]+$")
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml",
              "application/xml")
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))


def accepted(header: str) -> set:
    """The codings an `Accept-Encoding` header allows (q=0 excluded)."""
    out = set()
    for part in header.split(","):
        bits = [b.strip() for b in part.split(";")]
        if not bits[0]:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        if q > 0:
            out.add(bits[0].lower())
    return out


def cache_control(path: str) -> str:
    if path.endswith(".html"):
        return "no-cache"
    if HASHED.search(os.path.basename(path)):
        return "public, max-age=31536000, immutable"
    return "public, max-age=600"


def content_type(path: str) -> str:
    ctype = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if ctype.startswith("text/") or ctype in ("application/javascript", "image/svg+xml"):
        ctype += "; charset=utf-8"
    return ctype


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    root = "."
    compress = "precompressed"

    def log_message(self, fmt, *args):  # quiet
        pass

    def do_HEAD(self):
        self.respond(head=True)

    def do_GET(self):
        self.respond(head=False)

    def resolve(self):
        """The file a request names, or a redirect target, or None."""
        url = urllib.parse.urlsplit(self.path)
        rel = urllib.parse.unquote(url.path)
        parts = [p for p in rel.split("/") if p]
        if any(p in (".", "..") or "\\" in p or "\0" in p for p in parts):
            return None, None
        path = os.path.join(self.root, *parts)
        if os.path.isdir(path):
            if not url.path.endswith("/"):
                return None, url.path + "/"
            path = os.path.join(path, "index.html")
        return (path if os.path.isfile(path) else None), None

    def respond(self, head: bool):
        path, redirect = self.resolve()
        if redirect:
            self.send_response(301)
            self.send_header("Location", redirect)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = 200
        if path is None:
            status = 404
            path = os.path.join(self.root, "404.html")
            if not os.path.isfile(path):
                self.send_error(404)
                return
        ctype = content_type(path)
        with open(path, "rb") as fh:
            body = fh.read()
        encoding = None
        allowed = accepted(self.headers.get("Accept-Encoding", ""))
        is_text = ctype.startswith(TEXT_TYPES)
        if self.compress != "none":
            for name, ext in ENCODINGS:
                if name in allowed and os.path.isfile(path + ext):
                    with open(path + ext, "rb") as fh:
                        body = fh.read()
                    encoding = name
                    break
            if encoding is None and self.compress == "dynamic" and is_text and "gzip" in allowed:
                body = gzip.compress(body, mtime=0)
                encoding = "gzip"
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        if status == 200 and self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", cache_control(path))
            self.end_headers()
            return
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache_control(path) if status == 200 else "no-cache")
        self.send_header("ETag", etag)
        self.send_header("X-Content-Type-Options", "nosniff")
        if is_text and self.compress != "none":
            self.send_header("Vary", "Accept-Encoding")
        if encoding:
            self.send_header("Content-Encoding", encoding)
        self.end_headers()
        if not head:
            self.wfile.write(body)


def make_server(root: str, port: int, compress: str) -> http.server.ThreadingHTTPServer:
    handler = type("SiteHandler", (Handler,), {"root": os.path.abspath(root), "compress": compress})
    return http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("site", help="the built site's directory")
    ap.add_argument("--port", type=int, default=8000, help="port (0: a free one); default 8000")
    ap.add_argument("--compress", choices=["precompressed", "dynamic", "none"],
                    default="precompressed", help="see above (default precompressed)")
    args = ap.parse_args(argv)
    if not os.path.isdir(args.site):
        print(f"static_host: {args.site} is not a directory", file=sys.stderr)
        return 2
    server = make_server(args.site, args.port, args.compress)
    print(f"serving {args.site} at http://127.0.0.1:{server.server_address[1]}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
