//! One module per command; [`run`] dispatches.

mod application;
mod apply;
mod calendar;
mod check;
mod corrections;
mod deadline;
mod decide;
mod disposals;
mod duplicates;
mod import;
mod journal;
mod key;
mod policies;
mod record;
mod reply;
mod report;
mod serve;
mod store;

use crate::args::{Cli, Command};
use crate::{CliError, Exit};

/// Runs the command the line names.
pub fn run(cli: Cli) -> Result<Exit, CliError> {
    match cli.command {
        Command::Decide {
            registry,
            journal,
            record,
            key,
            request,
            policy,
            max_clock_skew,
            format,
        } => decide::run(
            &registry,
            journal.as_deref(),
            record.as_deref().map(|r| (r, key.signing_key.as_deref())),
            &request,
            &policy,
            max_clock_skew,
            format,
        ),
        Command::Check {
            registry,
            journal,
            at,
            calendar,
            format,
        } => check::run(
            &registry,
            journal.as_deref(),
            at.as_deref(),
            calendar.as_deref(),
            format,
        ),
        Command::Corrections {
            registry,
            journal,
            at,
            format,
        } => corrections::run(&registry, journal.as_deref(), at.as_deref(), format),
        Command::Deadline {
            received,
            class,
            extension,
            delivery,
            calendar,
            format,
        } => deadline::run(
            &received,
            class.into(),
            extension,
            delivery,
            calendar.as_deref(),
            format,
        ),
        Command::Disposals {
            registry,
            journal,
            at,
            calendar,
            format,
        } => disposals::run(
            &registry,
            journal.as_deref(),
            &at,
            calendar.as_deref(),
            format,
        ),
        Command::Duplicates {
            registry,
            requester,
            items,
            format,
        } => duplicates::run(&registry, requester, items, format),
        Command::Application {
            registry,
            application,
            format,
        } => application::run(&registry, &application, format),
        Command::Reply {
            registry,
            application,
            reply,
            journal,
            key,
            calendar,
        } => reply::run(
            &registry,
            &application,
            &reply,
            journal.as_deref(),
            key.signing_key.as_deref(),
            calendar.as_deref(),
        ),
        Command::Apply {
            registry,
            journal,
            transition,
            key,
        } => apply::run(&registry, &journal, &transition, key.signing_key.as_deref()),
        Command::Record { command } => record::run(command),
        Command::Journal { command } => journal::run(command),
        Command::Key { command } => key::run(command),
        Command::Policies { policy, format } => policies::run(&policy, format),
        Command::Import { command } => import::run(command),
        Command::Report {
            registry,
            journal,
            record,
            applications,
            at,
            out,
            calendar,
            format,
        } => report::run(&report::Inputs {
            registry: &registry,
            journal: journal.as_deref(),
            record: record.as_deref(),
            applications: applications.as_deref(),
            at: &at,
            out: &out,
            calendar: calendar.as_deref(),
            format,
        }),
        Command::Serve {
            registry,
            journal,
            record,
            key,
            staleness,
            poll,
            wait,
            policy,
        } => serve::run(
            &serve::Options {
                registry,
                journal,
                record,
                key: key.signing_key,
                staleness,
                poll,
                wait,
            },
            &policy,
        ),
        Command::Calendar { command } => calendar::run(command),
        Command::Store { command } => store::run(command),
    }
}
