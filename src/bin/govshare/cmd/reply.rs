//! `govshare reply`: the provider's answer to an application; with a
//! journal, an approval is recorded as a new grant.

use std::path::Path;

use govshare::Registry;
use govshare::lifecycle::{Application, Change, Reply, Transition, reply};

use crate::io::{calendar, open_durable, print_json, read_json, registry_arg};
use crate::{CliError, Exit};

pub fn run(
    registry: &Path,
    application: &Path,
    reply_path: &Path,
    journal: Option<&Path>,
    key: Option<&Path>,
    calendar_dir: Option<&Path>,
) -> Result<Exit, CliError> {
    let calendar = calendar(calendar_dir)?;
    let base = registry_arg(registry)?;
    let app: Application = read_json(application, "application")?;
    let answer: Reply = read_json(reply_path, "reply")?;
    let answered = |registry: &Registry| {
        reply(&app, registry, &calendar, &answer).map_err(|e| CliError::input(&e))
    };
    let (outcome, durable) = match journal {
        Some(path) => {
            let durable = open_durable(path, base, key)?;
            let outcome = answered(&durable.registry())?;
            (outcome, Some(durable))
        }
        None => (answered(&base)?, None),
    };
    if let (Some(durable), Some(grant)) = (&durable, &outcome.grant) {
        // The provider approves (Art. 21); its sharing-office head signs.
        let provider = durable
            .registry()
            .get_dataset(&grant.dataset)
            .map(|d| d.provider.clone())
            .ok_or_else(|| {
                CliError::Input(format!("dataset `{}` is not in the catalog", grant.dataset))
            })?;
        let mut t = Transition::new(
            answer.replied_at,
            provider,
            answer.approval.by.clone(),
            format!("approval of application `{}`", app.id),
            Change::GrantApproved {
                grant: Box::new(grant.clone()),
            },
        );
        // One approval per application: replying again is recognised.
        t.idempotency_key = Some(format!("application:{}", app.id));
        durable.apply(&t).map_err(|e| CliError::journal(&e))?;
    }
    print_json(&outcome);
    Ok(if outcome.violations.is_empty() {
        Exit::Done
    } else {
        Exit::Findings
    })
}
