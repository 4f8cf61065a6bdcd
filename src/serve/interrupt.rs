//! Saves come first: the watcher's messages reach the build loop through a relay that raises
//! a flag when one of them changes the project, so that a search index being rebuilt in the
//! background stops at the next page and the save is built at once (issue 15: a save never
//! waits for background work).

use super::watch::{self, Message, Scope};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, Mutex};

/// Raised when a message that a build must see arrived.
pub(super) struct Interrupt {
    raised: AtomicBool,
    /// What the project's files are (a change outside it raises nothing).
    scope: Mutex<Scope>,
}

impl Interrupt {
    pub(super) fn new(scope: Scope) -> Arc<Interrupt> {
        Arc::new(Interrupt {
            raised: AtomicBool::new(false),
            scope: Mutex::new(scope),
        })
    }

    /// True once a change arrived since [`Interrupt::lower`].
    pub(super) fn raised(&self) -> bool {
        self.raised.load(Ordering::Acquire)
    }

    pub(super) fn lower(&self) {
        self.raised.store(false, Ordering::Release);
    }

    /// Follows the project's new shape (a moved content directory, say).
    pub(super) fn set_scope(&self, scope: &Scope) {
        *self.scope.lock().unwrap_or_else(|e| e.into_inner()) = scope.clone();
    }

    /// True when `message` asks for a build (a change in the project, or the end).
    fn is_urgent(&self, message: &Message) -> bool {
        match message {
            Message::Events(events) => {
                let scope = self.scope.lock().unwrap_or_else(|e| e.into_inner());
                !watch::changes(&scope, events).is_empty()
            }
            Message::Stop => true,
            Message::Error(_) | Message::IndexSearch => false,
        }
    }
}

/// Passes `from`'s messages on, in order, to the receiver it returns, raising `interrupt`
/// before each one a build must see. The relay ends when either side goes away.
pub(super) fn relay(from: Receiver<Message>, interrupt: Arc<Interrupt>) -> Receiver<Message> {
    let (tx, rx) = channel();
    // Handed to the thread through a slot, so that it comes back if no thread can start.
    let slot = Arc::new(Mutex::new(Some(from)));
    let taken = slot.clone();
    let spawned = std::thread::Builder::new()
        .name("syllabus-relay".into())
        .spawn(move || {
            let Some(from) = taken.lock().unwrap_or_else(|e| e.into_inner()).take() else {
                return;
            };
            for message in from {
                if interrupt.is_urgent(&message) {
                    interrupt.raised.store(true, Ordering::Release);
                }
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
    // Without a thread (the system refused one) the loop reads the watcher itself: saves
    // are still built, only after the background work.
    if spawned.is_err() {
        if let Some(from) = slot.lock().unwrap_or_else(|e| e.into_inner()).take() {
            return from;
        }
    }
    rx
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::builder::tests::save;
    use std::path::Path;

    #[test]
    fn a_save_raises_the_flag_and_is_passed_on_in_order() {
        let scope = Scope::new(Path::new("/p"), &crate::config::Config::default());
        let interrupt = Interrupt::new(scope);
        let (tx, from) = channel();
        let rx = relay(from, interrupt.clone());
        // An editor's temporary file and a search request are no reason to stop.
        tx.send(save("/p/content/.a.md.swp")).unwrap();
        tx.send(Message::IndexSearch).unwrap();
        assert!(matches!(rx.recv().unwrap(), Message::Events(_)));
        assert!(matches!(rx.recv().unwrap(), Message::IndexSearch));
        assert!(!interrupt.raised());
        tx.send(save("/p/content/a.md")).unwrap();
        assert!(matches!(rx.recv().unwrap(), Message::Events(_)));
        assert!(interrupt.raised());
        interrupt.lower();
        assert!(!interrupt.raised());
        drop(tx);
        assert!(rx.recv().is_err(), "the relay ends with its sender");
    }
}
