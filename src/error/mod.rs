//! Every error of the library, in one place. A bad deployment
//! ([`LoadError`]) is told apart from a bad call ([`RequestError`]);
//! lifecycle, store and wire errors have types of their own. Deciding never
//! fails: errors while deciding become a deny that says why.
//!
//! These types sit below every other module: they name records by their id
//! as text and keep the underlying cause as their `source`, so no error type
//! depends on the domain types it reports on.

mod calendar;
mod fact;
mod id;
mod import;
mod lifecycle;
mod load;
mod request;
mod store;
mod time;
mod wire;

pub use calendar::CalendarError;
pub use fact::FactError;
pub use id::IdError;
pub use import::ImportError;
pub use lifecycle::{ReplyError, TransitionError};
pub use load::LoadError;
pub use request::RequestError;
pub use store::{Break, JournalError, RecordError};
pub use time::InstantError;
pub use wire::WireError;

/// A boxed error from outside the library (a Cedar parser, a host's
/// database), kept as the `source` of one of ours.
pub(crate) type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// An error and each of its causes, joined by `: ` (the form the CLI
/// prints and the C ABI hands out as `message`). Displays never repeat
/// their source, so each cause appears once.
///
/// # Example
///
/// ```
/// use govshare::{Registry, error_report};
///
/// let err = Registry::from_json_str(r#"{"departments": 1, "datasets": [], "grants": []}"#).unwrap_err();
/// let report = error_report(&err);
/// assert!(report.starts_with("registry `<memory>`: `departments`: invalid type"), "{report}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Characters a reader cannot see as they are (bidi controls, zero-width
/// and other invisible characters; the README's Hostile input section
/// lists them) are written as `\u{…}`, so a message quoting hostile input
/// shows what is there.
pub fn error_report(error: &dyn std::error::Error) -> String {
    let report = report_raw(error);
    crate::text::escape_hidden(&report, true).into_owned()
}

fn report_raw(error: &dyn std::error::Error) -> String {
    let mut out = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        let text = e.to_string();
        if !text.is_empty() && !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        cause = e.source();
    }
    out
}
