//! Whether another process still runs: how the output swap (`output/leftovers.rs`) and the
//! build cache (`disk_cache.rs`) tell the leftovers of a dead build from a live build's files.

/// True unless process `pid` is known to be gone (where that cannot be asked, it may run).
#[cfg(unix)]
pub(crate) fn running(pid: u32) -> bool {
    use rustix::process::{test_kill_process, Pid};
    let Some(pid) = i32::try_from(pid).ok().and_then(Pid::from_raw) else {
        return false;
    };
    !matches!(test_kill_process(pid), Err(rustix::io::Errno::SRCH))
}

/// True unless process `pid` is known to be gone (where that cannot be asked, it may run).
#[cfg(not(unix))]
pub(crate) fn running(_: u32) -> bool {
    true
}
