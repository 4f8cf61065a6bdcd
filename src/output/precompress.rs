//! `[build] precompress` (issue 18): beside every text file above 1 KB, a Brotli (`.br`)
//! and/or gzip (`.gz`) copy that a static host serves to browsers that accept it (nginx
//! `gzip_static`/`brotli_static`, Caddy `precompressed`, …). Deterministic: the same bytes
//! give the same copies (no time or file name in the gzip header).

use super::Sink;
use crate::site_path::SitePath;
use std::io::Write;
use std::sync::Arc;

/// Files smaller than this are not worth a compressed copy.
const MIN_BYTES: usize = 1024;

/// Extensions of the text files that get compressed copies.
const TEXT: [&str; 11] = [
    "html",
    "css",
    "js",
    "mjs",
    "json",
    "svg",
    "xml",
    "txt",
    "map",
    "webmanifest",
    "md",
];

/// Brotli's quality: 11 (the best) is several times slower for a percent or two.
const BROTLI_QUALITY: u32 = 10;

/// A sink that hands every file on to `inner`, with its compressed copies.
pub struct Precompress<'a> {
    inner: &'a dyn Sink,
    brotli: bool,
    gzip: bool,
    pages: bool,
}

impl<'a> Precompress<'a> {
    /// Copies in Brotli and/or gzip beside each text file `inner` receives.
    pub fn new(inner: &'a dyn Sink, brotli: bool, gzip: bool) -> Precompress<'a> {
        Precompress {
            inner,
            brotli,
            gzip,
            pages: true,
        }
    }

    /// Copies of every text file but the HTML pages: what `serve` keeps, since it puts the
    /// live-reload script into each page it sends (a copy made before would lack it).
    pub fn except_pages(self) -> Precompress<'a> {
        Precompress {
            pages: false,
            ..self
        }
    }

    fn copies(&self, path: &SitePath, bytes: &[u8]) {
        if bytes.len() < MIN_BYTES
            || !is_text(path.as_str())
            || (!self.pages && super::is_packed_path(path.as_str()))
        {
            return;
        }
        if self.brotli {
            self.inner
                .put(&SitePath::generated(&format!("{path}.br")), brotli(bytes));
        }
        if self.gzip {
            self.inner
                .put(&SitePath::generated(&format!("{path}.gz")), gzip(bytes));
        }
    }
}

impl Sink for Precompress<'_> {
    fn put(&self, path: &SitePath, bytes: Vec<u8>) {
        self.copies(path, &bytes);
        self.inner.put(path, bytes);
    }

    fn put_shared(&self, path: &SitePath, bytes: Arc<Vec<u8>>) {
        self.copies(path, &bytes);
        self.inner.put_shared(path, bytes);
    }

    fn put_packed(&self, path: &SitePath, bytes: Arc<Vec<u8>>) {
        if self.pages {
            self.copies(path, &super::unpack(&bytes));
        }
        self.inner.put_packed(path, bytes);
    }

    fn put_kept(&self, path: &SitePath, kept: &super::KeptFile) {
        // This sink wants the bytes (the default), so they are held: no read fails.
        if let Ok(bytes) = kept.read() {
            self.copies(path, &bytes);
        }
        self.inner.put_kept(path, kept);
    }
}

/// True for the files that get compressed copies.
pub fn is_text(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| TEXT.contains(&ext.to_ascii_lowercase().as_str()))
}

/// `bytes` in Brotli.
pub fn brotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 3);
    let params = brotli::enc::BrotliEncoderParams {
        quality: BROTLI_QUALITY as i32,
        lgwin: 22,
        ..Default::default()
    };
    let mut input = bytes;
    // Writing into a Vec cannot fail.
    let _ = brotli::BrotliCompress(&mut input, &mut out, &params);
    out
}

/// `bytes` in gzip at the best level, with no file name and a zero time in the header.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    gzip_at(bytes, flate2::Compression::best())
}

/// `bytes` in gzip at `level`, with no file name and a zero time in the header
/// (deterministic: also what `pack` and serve's on-the-fly compression use).
pub(crate) fn gzip_at(bytes: &[u8], level: flate2::Compression) -> Vec<u8> {
    let mut enc = flate2::GzBuilder::new()
        .mtime(0)
        .operating_system(255)
        .write(Vec::with_capacity(bytes.len() / 3), level);
    // Writing into a Vec cannot fail.
    let _ = enc.write_all(bytes);
    enc.finish().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Output;
    use std::io::Read;

    #[test]
    fn text_files_above_the_threshold_get_both_copies_that_decompress_to_them() {
        let out = Output::default();
        let sink = Precompress::new(&out, true, true);
        let page = "<p>hello, course</p>\n".repeat(100).into_bytes();
        sink.put(&SitePath::generated("a/index.html"), page.clone());
        sink.put(&SitePath::generated("small.css"), b"a{}".to_vec());
        sink.put(&SitePath::generated("font.woff2"), vec![0; 4096]);
        let files = out.into_files();
        let keys: Vec<&str> = files.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "a/index.html",
                "a/index.html.br",
                "a/index.html.gz",
                "font.woff2",
                "small.css"
            ]
        );
        let mut unzipped = Vec::new();
        flate2::read::GzDecoder::new(&files["a/index.html.gz"][..])
            .read_to_end(&mut unzipped)
            .unwrap();
        assert_eq!(unzipped, page);
        let mut unbrotli = Vec::new();
        brotli::Decompressor::new(&files["a/index.html.br"][..], 4096)
            .read_to_end(&mut unbrotli)
            .unwrap();
        assert_eq!(unbrotli, page);
        assert!(files["a/index.html.br"].len() < page.len() / 10);
    }

    #[test]
    fn serve_copies_assets_but_not_pages_and_a_packed_page_is_copied_unpacked() {
        let script = "console.log('a course');\n".repeat(100).into_bytes();
        let page = "<p>hello, course</p>\n".repeat(100).into_bytes();
        let packed = Arc::new(crate::output::pack(&page));
        let served = Output::packed();
        let sink = Precompress::new(&served, true, true).except_pages();
        sink.put(&SitePath::generated("a.js"), script.clone());
        sink.put(&SitePath::generated("b/index.html"), page.clone());
        sink.put_packed(&SitePath::generated("c/index.html"), packed.clone());
        let files = served.into_files();
        let keys: Vec<&str> = files.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            ["a.js", "a.js.br", "a.js.gz", "b/index.html", "c/index.html"]
        );
        assert_eq!(
            files["c/index.html"], page,
            "kept packed, handed over as is"
        );
        // A build's sink copies a page it gets packed from its text, not from the packing.
        let built = Output::default();
        Precompress::new(&built, false, true)
            .put_packed(&SitePath::generated("c/index.html"), packed);
        let files = built.into_files();
        assert_eq!(files["c/index.html"], page);
        assert_eq!(files["c/index.html.gz"], gzip(&page));
    }

    #[test]
    fn copies_are_deterministic_and_the_gzip_header_has_no_time_or_name() {
        let text = b"abc".repeat(1000);
        assert_eq!(gzip(&text), gzip(&text));
        assert_eq!(brotli(&text), brotli(&text));
        let gz = gzip(&text);
        // ID1 ID2 CM FLG MTIME(4) XFL OS: no FNAME flag, zero time.
        assert_eq!(&gz[..3], &[0x1f, 0x8b, 8]);
        assert_eq!(gz[3] & 0x08, 0, "no file name");
        assert_eq!(&gz[4..8], &[0, 0, 0, 0]);
    }

    #[test]
    fn only_text_files_are_compressed() {
        assert!(is_text("a/b.HTML") && is_text("assets/x.0123.js") && is_text("s.svg"));
        assert!(!is_text("a.png") && !is_text("x.woff2") && !is_text("gz"));
    }
}
