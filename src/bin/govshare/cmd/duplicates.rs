//! `govshare duplicates`: items a department could obtain through sharing
//! instead of collecting them again (Art. 19, 40(1)).

use std::path::Path;

use govshare::lifecycle::duplicate_collection;
use govshare::{DepartmentId, ItemName};

use crate::args::Format;
use crate::io::{emit, print_json, registry_arg};
use crate::{CliError, Exit};

pub fn run(
    registry: &Path,
    requester: String,
    items: Vec<String>,
    format: Format,
) -> Result<Exit, CliError> {
    let registry = registry_arg(registry)?;
    let requester =
        DepartmentId::new(requester).map_err(|e| CliError::input_in("--requester", &e))?;
    let items = items
        .into_iter()
        .map(ItemName::new)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| CliError::input_in("--items", &e))?;
    let found = duplicate_collection(&registry, &requester, &items);
    match format {
        Format::Json => print_json(&found),
        Format::Text => {
            for f in &found {
                emit!(
                    "{}: obtainable from {} ({}, {}) — 不得重复收集 (Art. 19, 40(1))",
                    f.item,
                    f.dataset,
                    f.provider,
                    f.class
                );
            }
            let mut names: Vec<_> = found.iter().map(|f| &f.item).collect();
            names.dedup();
            emit!(
                "{} of {} items obtainable through sharing",
                names.len(),
                items.len()
            );
        }
    }
    Ok(Exit::Done)
}
