//! `govshare policies`: the loaded rules with their articles.

use crate::args::{Format, PolicyArgs};
use crate::io::emit;
use crate::{CliError, Exit};

pub fn run(policy: &PolicyArgs, format: Format) -> Result<Exit, CliError> {
    let engine = policy.engine(None)?;
    match format {
        Format::Json => {
            let out = serde_json::json!({
                "policy_digest": engine.policy_digest(),
                "rules": engine.rules(),
            });
            emit!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        }
        Format::Text => {
            emit!("policy digest: {}", engine.policy_digest());
            for rule in engine.rules() {
                emit!("{rule}");
            }
        }
    }
    Ok(Exit::Done)
}
