//! `syllabus serve`: builds the project into memory and serves it over HTTP from there,
//! watches the project, rebuilds on every save (the ordinary `build`, memoised) and tells
//! open pages to reload. Nothing is written to disk. The library reports what happens
//! through a callback; the CLI prints it.

mod builder;
mod compress;
mod conditional;
mod interrupt;
mod live;
pub mod router;
pub mod state;
mod watch;

pub use builder::BuildSummary;
use state::State;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

/// What to serve and where.
#[derive(Debug, Clone)]
pub struct Options {
    /// The project directory.
    pub root: PathBuf,
    /// The address to listen on (`127.0.0.1` serves this machine only). Requests are answered
    /// only when their `Host` names this address or `localhost`.
    pub host: String,
    /// 0 takes a free port.
    pub port: u16,
}

/// What the server tells whoever runs it.
#[derive(Debug, Clone)]
pub enum Report {
    /// The first build finished; the site is at `url`.
    Ready {
        /// The site's address, with its base path.
        url: String,
        /// What the first build did.
        first: BuildSummary,
    },
    /// A rebuild finished.
    Rebuilt {
        /// How long the rebuild took, from the save.
        elapsed: Duration,
        /// Pages in the site.
        pages: usize,
        /// Pages whose HTML was made anew.
        rendered: usize,
        /// Errors of this build (it is then not served).
        errors: usize,
        /// Whether open pages were told to reload (false when the output did not change).
        reloaded: bool,
    },
    /// Diagnostics that the previous build did not have, warnings and errors.
    Diagnostics(Vec<crate::diagnostic::Diagnostic>),
    /// The watcher failed; saves may go unnoticed.
    WatchError(String),
}

/// Where reports go; called from the server's threads.
pub type Reporter = Arc<dyn Fn(Report) + Send + Sync>;

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The project directory does not exist.
    #[error("project directory `{0}` not found")]
    NoProject(PathBuf),
    /// The address could not be bound (say, the port is in use).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// `host:port` as asked for.
        addr: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The async runtime could not start.
    #[error("cannot start the server: {0}")]
    Runtime(#[from] std::io::Error),
}

impl ServeError {
    /// A hint for the user, where one helps.
    pub fn help(&self) -> Option<String> {
        match self {
            ServeError::Bind { source, .. }
                if source.kind() == std::io::ErrorKind::AddrInUse =>
            {
                Some("another program uses this port: pass `--port 0` to take a free one, or choose another with `--port N`".into())
            }
            ServeError::Bind { source, .. }
                if source.kind() == std::io::ErrorKind::PermissionDenied =>
            {
                Some("ports below 1024 need special rights: choose a port above 1024, or `--port 0`".into())
            }
            ServeError::Bind { .. } => Some("check `--host`; `127.0.0.1` serves this machine only".into()),
            _ => None,
        }
    }
}

/// A running server: HTTP on a bound port, the watcher and the build loop.
pub struct Server {
    addr: SocketAddr,
    state: Arc<State>,
    tx: mpsc::Sender<watch::Message>,
    builder: Option<std::thread::JoinHandle<()>>,
    http: tokio::task::JoinHandle<std::io::Result<()>>,
    first: Option<tokio::sync::oneshot::Receiver<BuildSummary>>,
}

impl Server {
    /// Binds the port, then starts the build loop and the HTTP server; returns at once.
    /// Requests before the first build is done get a "Building…" page that reloads itself.
    pub async fn start(options: &Options, reporter: Reporter) -> Result<Server, ServeError> {
        let root = project_root(&options.root)?;
        let addr = format!("{}:{}", options.host, options.port);
        let listener = tokio::net::TcpListener::bind((options.host.as_str(), options.port))
            .await
            .map_err(|source| ServeError::Bind {
                addr: addr.clone(),
                source,
            })?;
        let addr = listener.local_addr()?;
        let state = Arc::new(State::new());
        let (tx, rx) = mpsc::channel();
        state.set_requests(tx.clone());
        let (first_tx, first_rx) = tokio::sync::oneshot::channel();
        let loop_state = state.clone();
        let loop_tx = tx.clone();
        let builder = std::thread::Builder::new()
            .name("syllabus-build".into())
            .spawn(move || {
                builder::Builder::new(&root, loop_state, reporter, loop_tx).run(rx, first_tx)
            })?;
        let mut stop = state.shutdown_signal();
        let allowed = router::AllowedHosts::new(&options.host, addr.ip());
        let app = router::guarded(state.clone(), allowed);
        let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
            // Live-reload events are small writes that must not wait for Nagle.
            let _ = tcp.set_nodelay(true);
        });
        let http = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = stop.wait_for(|s| *s).await;
                })
                .await
        });
        Ok(Server {
            addr,
            state,
            tx,
            builder: Some(builder),
            http,
            first: Some(first_rx),
        })
    }

    /// The bound address (with the real port when started on port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The served state: the published site and its live-reload clients.
    pub fn state(&self) -> &Arc<State> {
        &self.state
    }

    /// The site's URL: the bound address and the base path.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.addr, self.state.site().base)
    }

    /// Waits for the first build to be published.
    pub async fn ready(&mut self) -> BuildSummary {
        match self.first.take() {
            Some(rx) => rx.await.unwrap_or_default(),
            None => BuildSummary::default(),
        }
    }

    /// Ends live-reload streams, stops the watcher and the build loop, and waits (briefly)
    /// for open connections to finish.
    pub async fn shutdown(mut self) {
        self.state.shut_down();
        let _ = self.tx.send(watch::Message::Stop);
        if let Some(builder) = self.builder.take() {
            // A build in progress finishes first; do not wait for a long one.
            for _ in 0..100 {
                if builder.is_finished() {
                    let _ = builder.join();
                    break;
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        let _ = tokio::time::timeout(Duration::from_secs(3), &mut self.http).await;
        self.http.abort();
    }
}

/// True when `host` listens on every interface (`0.0.0.0`, `::`): the preview, drafts
/// included, is then open to every machine that can reach this one.
pub fn is_every_interface(host: &str) -> bool {
    host.trim_matches(|c| c == '[' || c == ']')
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_unspecified())
}

fn project_root(root: &Path) -> Result<PathBuf, ServeError> {
    match std::fs::canonicalize(root) {
        Ok(p) if p.is_dir() => Ok(p),
        _ => Err(ServeError::NoProject(root.to_path_buf())),
    }
}

/// Runs the server until Ctrl-C (or SIGTERM): the whole of `syllabus serve`.
pub fn run(options: &Options, reporter: Reporter) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("syllabus-serve")
        .build()?;
    runtime.block_on(async {
        let mut server = Server::start(options, reporter.clone()).await?;
        tokio::select! {
            first = server.ready() => {
                reporter(Report::Ready { url: server.url(), first });
                stop_signal().await;
            }
            _ = stop_signal() => {}
        }
        server.shutdown().await;
        Ok(())
    })
}

/// Ctrl-C, or SIGTERM on Unix.
async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}
