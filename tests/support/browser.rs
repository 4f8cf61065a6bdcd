//! Real-browser tests: headless Chromium driven over the DevTools protocol, and a static file
//! server for a built site.
//!
//! ```ignore
//! let Some(browser) = Browser::launch() else { return };   // no Chromium: skipped
//! let site = SiteServer::start(&out_dir, "/");
//! let page = browser.open(&site.url("lesson/"), Viewport::PHONE);
//! assert_eq!(page.eval::<bool>("!!document.querySelector('main')"), true);
//! page.assert_no_problems();
//! ```
//!
//! Chromium is `/usr/bin/chromium`. Without it, `Browser::launch` prints why and returns `None`
//! so the test passes as skipped, unless `SYLLABUS_BROWSER_TESTS=1` is set (CI sets it), in
//! which case it panics. The browser process and its temporary profile live as long as the
//! `Browser`; every `Page` gets a fresh browser context, so storage never leaks between pages.

use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Emulation, Input, Log, Network, Page as Cdp, Runtime};
use headless_chrome::Tab;
use serde::de::DeserializeOwned;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The browser the tests drive: Debian's package.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Set to `1` to make a missing Chromium a failure instead of a skip.
pub const REQUIRED_ENV: &str = "SYLLABUS_BROWSER_TESTS";

/// Exactly these flags (plus a fresh `--user-data-dir` and the DevTools port).
const FLAGS: [&str; 7] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
];

/// How long any single wait (launch, page load, condition) may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// A page size, and whether the browser pretends to be a phone.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    pub name: &'static str,
    pub width: u32,
    pub height: u32,
    pub scale: f64,
    pub mobile: bool,
}

impl Viewport {
    pub const DESKTOP: Viewport = Viewport {
        name: "desktop",
        width: 1280,
        height: 900,
        scale: 1.0,
        mobile: false,
    };
    pub const PHONE: Viewport = Viewport {
        name: "phone",
        width: 390,
        height: 844,
        scale: 2.0,
        mobile: true,
    };
    pub const ALL: [Viewport; 2] = [Viewport::DESKTOP, Viewport::PHONE];
}

/// The `prefers-color-scheme` a page is shown with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColorScheme {
    Light,
    Dark,
}

impl ColorScheme {
    pub fn name(self) -> &'static str {
        match self {
            ColorScheme::Light => "light",
            ColorScheme::Dark => "dark",
        }
    }
}

/// A headless Chromium process. Killed, and its profile deleted, on drop.
pub struct Browser {
    // Field order matters: disconnect before the process goes, the profile last.
    devtools: headless_chrome::Browser,
    process: Child,
    profile: tempfile::TempDir,
}

impl Browser {
    /// Starts Chromium, or returns `None` (having said why) when it is not installed and
    /// `SYLLABUS_BROWSER_TESTS=1` is not set. Panics on any other failure.
    pub fn launch() -> Option<Browser> {
        if !Path::new(CHROMIUM).exists() {
            let why = format!("{CHROMIUM} not found (apt-get install -y chromium chromium-driver)");
            if std::env::var(REQUIRED_ENV).is_ok_and(|v| v == "1") {
                panic!("{REQUIRED_ENV}=1 but {why}");
            }
            // Straight to stderr, past the test harness's capture, so a skip is never silent.
            let _ = writeln!(
                std::io::stderr(),
                "skipping browser test: {why}; set {REQUIRED_ENV}=1 to make this an error"
            );
            return None;
        }
        Some(Browser::start().unwrap_or_else(|e| panic!("launching {CHROMIUM}: {e}")))
    }

    fn start() -> Result<Browser, String> {
        let profile = tempfile::Builder::new()
            .prefix("syllabus-chromium-")
            .tempdir()
            .map_err(|e| e.to_string())?;
        let mut process = Command::new(CHROMIUM)
            .args(FLAGS)
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("--remote-debugging-port=0")
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| e.to_string())?;
        let ws_url = match devtools_url(&mut process) {
            Ok(url) => url,
            Err(e) => {
                let _ = process.kill();
                let _ = process.wait();
                return Err(e);
            }
        };
        // Also the longest a DevTools call may wait for its answer (and the connection may stay
        // silent): a stuck call fails the test instead of hanging it.
        let devtools = headless_chrome::Browser::connect_with_timeout(ws_url, 2 * TIMEOUT)
            .map_err(|e| e.to_string())?;
        Ok(Browser {
            devtools,
            process,
            profile,
        })
    }

    /// A new tab, in a fresh browser context (own storage), at this size, showing `url`.
    pub fn open(&self, url: &str, viewport: Viewport) -> Page {
        let page = self.blank_page(viewport);
        page.goto(url);
        page
    }

    /// A new tab as `open` makes, still on about:blank (set things up before navigating).
    pub fn blank_page(&self, viewport: Viewport) -> Page {
        let context = self.devtools.new_context().expect("new browser context");
        let tab = context.new_tab().expect("new tab");
        tab.set_default_timeout(TIMEOUT);
        Page::attach(tab, viewport)
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
        // Chromium's helper processes may still write to the profile for a moment.
        let profile = self.profile.path();
        for _ in 0..50 {
            if std::fs::remove_dir_all(profile).is_ok() || !profile.exists() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Reads Chromium's stderr until it prints its DevTools URL, then keeps draining it in the
/// background so the pipe never fills.
fn devtools_url(process: &mut Child) -> Result<String, String> {
    let stderr = process.stderr.take().expect("piped stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut seen = Vec::new();
        let mut tx = Some(tx);
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(at) = line.find("ws://") {
                if let Some(tx) = tx.take() {
                    let _ = tx.send(Ok(line[at..].trim().to_string()));
                }
            } else if tx.is_some() && seen.len() < 50 {
                seen.push(line);
            }
        }
        if let Some(tx) = tx {
            let _ = tx.send(Err(format!("Chromium exited:\n{}", seen.join("\n"))));
        }
    });
    rx.recv_timeout(TIMEOUT)
        .map_err(|_| "Chromium printed no DevTools URL".to_string())?
}

/// One tab, with what went wrong in it collected as it happens.
pub struct Page {
    tab: Arc<Tab>,
    pub viewport: Viewport,
    problems: Arc<Mutex<Vec<String>>>,
    loads: Arc<AtomicUsize>,
}

impl Page {
    fn attach(tab: Arc<Tab>, viewport: Viewport) -> Page {
        let problems = Arc::new(Mutex::new(Vec::new()));
        let loads = Arc::new(AtomicUsize::new(0));
        let urls = Mutex::new(HashMap::<String, String>::new());
        let (sink, counter) = (Arc::clone(&problems), Arc::clone(&loads));
        tab.add_event_listener(Arc::new(move |event: &Event| {
            let problem = match event {
                Event::PageLoadEventFired(_) => {
                    counter.fetch_add(1, Ordering::SeqCst);
                    None
                }
                Event::NetworkRequestWillBeSent(e) => {
                    let p = &e.params;
                    let mut urls = urls.lock().unwrap();
                    urls.insert(p.request_id.clone(), p.request.url.clone());
                    None
                }
                Event::NetworkResponseReceived(e) if e.params.response.status >= 400 => {
                    let r = &e.params.response;
                    Some(format!("HTTP {} for {}", r.status, r.url))
                }
                Event::NetworkLoadingFailed(e) if e.params.canceled != Some(true) => {
                    let p = &e.params;
                    let urls = urls.lock().unwrap();
                    let url = urls.get(&p.request_id).map_or("?", String::as_str);
                    Some(format!("request failed ({}): {url}", p.error_text))
                }
                // Failed loads are reported by the Network events; their log lines would repeat them.
                Event::LogEntryAdded(e)
                    if e.params.entry.level == Log::LogEntryLevel::Error
                        && e.params.entry.source != Log::LogEntrySource::Network =>
                {
                    let entry = &e.params.entry;
                    let url = entry.url.as_deref().unwrap_or("");
                    Some(format!("console error: {} {url}", entry.text))
                }
                Event::RuntimeConsoleAPICalled(e)
                    if e.params.Type == Runtime::ConsoleAPICalledEventTypeOption::Error =>
                {
                    let args: Vec<String> = e.params.args.iter().map(describe).collect();
                    Some(format!("console.error: {}", args.join(" ")))
                }
                Event::RuntimeExceptionThrown(e) => {
                    let d = &e.params.exception_details;
                    let what = d.exception.as_ref().map_or(d.text.clone(), describe);
                    let at = d.url.as_deref().unwrap_or("");
                    Some(format!(
                        "uncaught exception: {what} at {at}:{}",
                        d.line_number + 1
                    ))
                }
                _ => None,
            };
            if let Some(problem) = problem {
                sink.lock().unwrap().push(problem);
            }
        }))
        .expect("listen to tab events");
        tab.enable_log().expect("Log.enable");
        tab.enable_runtime().expect("Runtime.enable");
        tab.call_method(Network::Enable {
            max_total_buffer_size: None,
            max_resource_buffer_size: None,
            max_post_data_size: None,
            report_direct_socket_traffic: None,
            enable_durable_messages: None,
        })
        .expect("Network.enable");
        let page = Page {
            tab,
            viewport,
            problems,
            loads,
        };
        page.set_viewport(viewport);
        page
    }

    /// The headless_chrome tab, for anything this wrapper does not cover.
    pub fn tab(&self) -> &Tab {
        &self.tab
    }

    /// Resizes the page; a mobile viewport also emulates a phone (touch, mobile layout).
    pub fn set_viewport(&self, viewport: Viewport) {
        self.tab
            .call_method(Emulation::SetDeviceMetricsOverride {
                width: viewport.width,
                height: viewport.height,
                device_scale_factor: viewport.scale,
                mobile: viewport.mobile,
                scale: None,
                screen_width: None,
                screen_height: None,
                position_x: None,
                position_y: None,
                dont_set_visible_size: None,
                screen_orientation: None,
                viewport: None,
                display_feature: None,
                device_posture: None,
            })
            .expect("Emulation.setDeviceMetricsOverride");
        self.tab
            .call_method(Emulation::SetTouchEmulationEnabled {
                enabled: viewport.mobile,
                max_touch_points: viewport.mobile.then_some(5),
            })
            .expect("Emulation.setTouchEmulationEnabled");
    }

    /// Emulates `prefers-color-scheme` (it applies to this page and later navigations).
    pub fn set_color_scheme(&self, scheme: ColorScheme) {
        self.tab
            .call_method(Emulation::SetEmulatedMedia {
                media: None,
                features: Some(vec![Emulation::MediaFeature {
                    name: "prefers-color-scheme".into(),
                    value: scheme.name().into(),
                }]),
            })
            .expect("Emulation.setEmulatedMedia");
    }

    /// Navigates and waits for the load event (deferred scripts have run by then).
    pub fn goto(&self, url: &str) {
        let before = self.loads.load(Ordering::SeqCst);
        let navigation = self
            .tab
            .call_method(Cdp::Navigate {
                url: url.to_string(),
                referrer: None,
                transition_Type: None,
                frame_id: None,
                referrer_policy: None,
            })
            .unwrap_or_else(|e| panic!("navigate to {url}: {e}"));
        if let Some(error) = navigation.error_text {
            panic!("navigate to {url}: {error}");
        }
        self.wait_for_load(before, url);
    }

    /// Reloads the page and waits for the load event.
    pub fn reload(&self) {
        let before = self.loads.load(Ordering::SeqCst);
        self.tab.reload(false, None).expect("Page.reload");
        self.wait_for_load(before, "reload");
    }

    /// Runs `action` (a click on a link, say) and waits for the navigation it starts.
    pub fn expect_navigation(&self, action: impl FnOnce()) {
        let before = self.loads.load(Ordering::SeqCst);
        action();
        self.wait_for_load(before, "navigation");
    }

    fn wait_for_load(&self, before: usize, what: &str) {
        let loaded = || self.loads.load(Ordering::SeqCst) > before;
        assert!(
            wait_until(loaded),
            "{what}: no load event within {TIMEOUT:?}"
        );
        // The theme does what a reader does not need before the first paint afterwards,
        // when the browser is idle (syllabus.js's queue); a page of the theme says when that
        // is done. Pages without the theme's script are ready at their load event.
        let ready: bool = self.eval(
            "new Promise(done => {
               const root = document.documentElement;
               if (!window.syllabusLater || root.hasAttribute('data-syllabus-ready')) return done(true);
               document.addEventListener('syllabus:ready', () => done(true));
               setTimeout(() => done(root.hasAttribute('data-syllabus-ready')), 10000);
             })",
        );
        assert!(
            ready,
            "{what}: the theme's deferred start-up did not finish"
        );
    }

    /// The page's current URL.
    pub fn url(&self) -> String {
        self.eval("location.href")
    }

    /// Evaluates JS (an expression or statements, in the page's global scope; a promise is
    /// awaited, for at most the timeout) and returns its JSON value. Panics with the exception's
    /// text if it throws.
    pub fn eval<T: DeserializeOwned>(&self, js: &str) -> T {
        let source = serde_json::to_string(js).unwrap();
        let ms = TIMEOUT.as_millis();
        let bounded = format!(
            "(() => {{ const value = (0, eval)({source});
                if (!(value instanceof Promise)) return value;
                let timer;
                const late = new Promise((_, reject) => {{
                  timer = setTimeout(() => reject(new Error('no answer within {ms} ms')), {ms});
                }});
                return Promise.race([value, late]).finally(() => clearTimeout(timer)); }})()"
        );
        let answer = self
            .tab
            .call_method(Runtime::Evaluate {
                expression: bounded,
                return_by_value: Some(true),
                await_promise: Some(true),
                user_gesture: Some(true),
                object_group: None,
                include_command_line_api: None,
                silent: None,
                context_id: None,
                generate_preview: None,
                throw_on_side_effect: None,
                timeout: None,
                disable_breaks: None,
                repl_mode: None,
                allow_unsafe_eval_blocked_by_csp: Some(true),
                unique_context_id: None,
                serialization_options: None,
            })
            .unwrap_or_else(|e| panic!("evaluate `{js}`: {e}"));
        if let Some(d) = answer.exception_details {
            let what = d.exception.as_ref().map_or(d.text.clone(), describe);
            panic!("evaluate `{js}` threw: {what}");
        }
        let value = answer.result.value.unwrap_or(serde_json::Value::Null);
        serde_json::from_value(value.clone())
            .unwrap_or_else(|e| panic!("evaluate `{js}`: unexpected result {value}: {e}"))
    }

    /// Runs JS for its effect, as `eval` does, ignoring its value.
    pub fn run(&self, js: &str) {
        let _: serde_json::Value = self.eval(js);
    }

    /// Polls a JS condition until it is true; panics after the timeout.
    pub fn wait_for(&self, js: &str) {
        assert!(
            wait_until(|| self.eval::<bool>(js)),
            "waited {TIMEOUT:?} for `{js}`"
        );
    }

    /// Waits until the search results shown are all those of the whole `query` (not of a
    /// prefix typed on the way, nor the first few shown while typing).
    pub fn wait_for_search_results(&self, query: &str) {
        self.wait_for(&format!(
            "(() => {{ const s = document.getElementById('search').dataset;\
               return document.getElementById('search-input').getAttribute('aria-expanded') === 'true'\
                 && s.shown === {query:?} && s.complete === 'true'; }})()"
        ));
    }

    /// Presses and releases a key, as a keyboard would ("Tab", "Enter", "Escape", "a", …).
    pub fn press_key(&self, key: &str) {
        self.tab
            .press_key(key)
            .unwrap_or_else(|e| panic!("press {key}: {e}"));
    }

    /// Clicks the first element matching `selector` with a real mouse press and release (so the
    /// page gets user activation), scrolling it to the middle of the viewport first.
    pub fn click(&self, selector: &str) {
        self.click_nth(selector, 0);
    }

    /// Clicks the `index`th element matching `selector`, as `click` does.
    pub fn click_nth(&self, selector: &str, index: usize) {
        let selector_js = serde_json::to_string(selector).unwrap();
        // Scrolled to, then measured once it stays put: blocks that come into view are laid
        // out only then (`content-visibility: auto`) and may move it, as a reader sees them
        // settle before clicking.
        let (x, y): (f64, f64) = self.eval(&format!(
            "(async e => {{ if (!e) throw new Error('no element {index} of ' + {selector_js});
                const frame = () => new Promise(done => requestAnimationFrame(() => done()));
                let last = null;
                for (let i = 0; i < 20; i++) {{
                  e.scrollIntoView({{block: 'center', inline: 'center', behavior: 'instant'}});
                  await frame(); await frame();
                  const r = e.getBoundingClientRect();
                  const at = [r.left + r.width / 2, r.top + r.height / 2];
                  if (last && Math.abs(at[0] - last[0]) < 0.5 && Math.abs(at[1] - last[1]) < 0.5) return at;
                  last = at;
                }}
                return last; }})
             (document.querySelectorAll({selector_js})[{index}])"
        ));
        for event in [
            Input::DispatchMouseEventTypeOption::MousePressed,
            Input::DispatchMouseEventTypeOption::MouseReleased,
        ] {
            self.tab
                .call_method(Input::DispatchMouseEvent {
                    Type: event,
                    x,
                    y,
                    button: Some(Input::MouseButton::Left),
                    click_count: Some(1),
                    modifiers: None,
                    timestamp: None,
                    buttons: None,
                    force: None,
                    tangential_pressure: None,
                    tilt_x: None,
                    tilt_y: None,
                    twist: None,
                    delta_x: None,
                    delta_y: None,
                    pointer_Type: None,
                })
                .unwrap_or_else(|e| panic!("click {selector} [{index}]: {e}"));
        }
    }

    /// Saves a PNG of the viewport, or of the whole page when `full_page` is set.
    pub fn screenshot(&self, path: &Path, full_page: bool) {
        let clip = full_page.then(|| {
            let (width, height): (f64, f64) = self.eval(
                "[document.documentElement.clientWidth, document.documentElement.scrollHeight]",
            );
            Cdp::Viewport {
                x: 0.0,
                y: 0.0,
                width,
                height,
                scale: 1.0,
            }
        });
        let shot = self
            .tab
            .call_method(Cdp::CaptureScreenshot {
                format: Some(Cdp::CaptureScreenshotFormatOption::Png),
                quality: None,
                capture_beyond_viewport: Some(full_page),
                clip,
                from_surface: Some(true),
                optimize_for_speed: None,
            })
            .expect("Page.captureScreenshot");
        use base64::Engine as _;
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot.data)
            .expect("screenshot is base64");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("screenshot dir");
        }
        std::fs::write(path, png).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }

    /// Console errors, uncaught exceptions and failed requests since the last call.
    pub fn take_problems(&self) -> Vec<String> {
        std::mem::take(&mut *self.problems.lock().unwrap())
    }

    /// Imports `text` into reading progress as if the reader had picked a file with it;
    /// returns the message the page shows.
    pub fn import_progress(&self, text: &str) -> String {
        self.run("document.querySelector('.progress-message').textContent = ''");
        self.run(&format!(
            "const input = document.getElementById('progress-import');\
             const files = new DataTransfer();\
             files.items.add(new File([{}], 'progress.json', {{type: 'application/json'}}));\
             input.files = files.files;\
             input.dispatchEvent(new Event('change'))",
            serde_json::to_string(text).unwrap()
        ));
        self.wait_for("document.querySelector('.progress-message').textContent !== ''");
        self.eval("document.querySelector('.progress-message').textContent")
    }

    /// Panics, listing them, if anything went wrong since the last call.
    pub fn assert_no_problems(&self) {
        let problems = self.take_problems();
        assert!(
            problems.is_empty(),
            "{} ({}):\n  {}",
            self.url(),
            self.viewport.name,
            problems.join("\n  ")
        );
    }
}

impl Drop for Page {
    fn drop(&mut self) {
        let _ = self.tab.close(false);
    }
}

/// A readable form of a JS value from the protocol.
fn describe(object: &Runtime::RemoteObject) -> String {
    match (&object.value, &object.description) {
        (Some(serde_json::Value::String(s)), _) => s.clone(),
        (Some(v), _) => v.to_string(),
        (None, Some(d)) => d.clone(),
        (None, None) => format!("{:?}", object.Type),
    }
}

fn wait_until(mut condition: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < TIMEOUT {
        if condition() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    false
}

/// Serves a built site over HTTP on 127.0.0.1, as a static host would: tower-http's
/// `ServeDir` under `prefix` (`/` or a sub-path such as `/course/`), `dir/` → `dir/index.html`,
/// a directory without its slash redirected, and the site's `404.html` (status 404) for
/// anything missing. It runs on its own thread and runtime until dropped.
pub struct SiteServer {
    origin: String,
    prefix: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl SiteServer {
    pub fn start(dir: &Path, prefix: &str) -> SiteServer {
        SiteServer::start_sites(&[(dir, prefix)])
    }

    /// Several sites on one origin, each under its own prefix (two courses on one host);
    /// `url` is relative to the first one's prefix.
    pub fn start_sites(sites: &[(&Path, &str)]) -> SiteServer {
        SiteServer::start_inner(sites, std::time::Duration::ZERO)
    }

    /// The site with its stylesheets (`*.css`) answered `delay` late and its scripts
    /// (`*.js`) twice as late, as on a slow network: the page is read in whole before the
    /// stylesheets let it be painted, and painted before its deferred scripts run, so
    /// whatever the scripts move shows as a layout shift.
    pub fn start_with_late_assets(
        dir: &Path,
        prefix: &str,
        delay: std::time::Duration,
    ) -> SiteServer {
        SiteServer::start_inner(&[(dir, prefix)], delay)
    }

    fn start_inner(sites: &[(&Path, &str)], late: std::time::Duration) -> SiteServer {
        for (_, prefix) in sites {
            assert!(
                prefix.starts_with('/') && prefix.ends_with('/'),
                "prefix must start and end with /: {prefix}"
            );
        }
        let prefix = sites.first().expect("at least one site").1;
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        listener.set_nonblocking(true).expect("non-blocking socket");
        let addr = listener.local_addr().expect("bound address");
        let mut app = None;
        for (dir, site_prefix) in sites.iter().rev() {
            app = Some(static_site(dir, site_prefix, app, late));
        }
        let app = app.expect("a router");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a runtime for the site server");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
                axum::serve(listener, app)
                    .with_graceful_shutdown(async {
                        let _ = stopped.await;
                    })
                    .await
                    .expect("serve the site");
            });
        });
        SiteServer {
            origin: format!("http://{addr}"),
            prefix: prefix.to_string(),
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    /// The origin, `http://127.0.0.1:PORT`.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The full URL of a path relative to the prefix: `url("lesson/")`.
    pub fn url(&self, path: &str) -> String {
        format!(
            "{}{}{}",
            self.origin,
            self.prefix,
            path.trim_start_matches('/')
        )
    }
}

impl Drop for SiteServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The site in `dir` served under `prefix`, anything else handed to `others`. `ServeDir`
/// serves from the root, so the prefix is taken off the path before it sees the request and
/// put back on the redirects it makes.
fn static_site(
    dir: &Path,
    prefix: &str,
    others: Option<axum::Router>,
    late: std::time::Duration,
) -> axum::Router {
    use axum::extract::Request;
    use axum::http::{header, HeaderValue, StatusCode, Uri};
    use axum::response::{IntoResponse, Redirect, Response};
    use tower::ServiceExt;
    use tower_http::services::{ServeDir, ServeFile};

    let not_found = ServeFile::new(dir.join("404.html"));
    let files = ServeDir::new(dir).not_found_service(not_found.clone());
    let mount = prefix.trim_end_matches('/').to_string();
    axum::Router::new().fallback(move |mut request: Request| {
        let (files, not_found, mount) = (files.clone(), not_found.clone(), mount.clone());
        let others = others.clone();
        async move {
            let path = request.uri().path().to_string();
            if path.ends_with(".css") {
                tokio::time::sleep(late).await;
            } else if path.ends_with(".js") {
                tokio::time::sleep(2 * late).await;
            }
            if path == mount {
                return Redirect::permanent(&format!("{mount}/")).into_response();
            }
            let Some(rest) = path.strip_prefix(&mount).filter(|r| r.starts_with('/')) else {
                if let Some(others) = others {
                    return others.oneshot(request).await.into_response();
                }
                let page = not_found.oneshot(request).await.into_response();
                return (StatusCode::NOT_FOUND, page).into_response();
            };
            let target = match request.uri().query() {
                Some(query) => format!("{rest}?{query}"),
                None => rest.to_string(),
            };
            *request.uri_mut() = target.parse::<Uri>().expect("a path");
            let mut response: Response = files.oneshot(request).await.into_response();
            if let Some(location) = response.headers().get(header::LOCATION) {
                let moved = format!("{mount}{}", location.to_str().unwrap_or("/"));
                if let Ok(value) = HeaderValue::from_str(&moved) {
                    response.headers_mut().insert(header::LOCATION, value);
                }
            }
            response
        }
    })
}

/// Where a test writes screenshots it wants a person to look at: `target/screenshots/`.
pub fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots")
}
