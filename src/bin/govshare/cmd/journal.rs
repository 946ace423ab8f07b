//! `govshare journal import`: a JSON-lines journal into a store.

use crate::args::JournalCommand;
use crate::io::{emit, registry_arg, writable_store};
use crate::{CliError, Exit};

pub fn run(command: JournalCommand) -> Result<Exit, CliError> {
    match command {
        JournalCommand::Import {
            registry,
            from,
            store,
            key,
        } => {
            let base = registry_arg(&registry)?;
            let s = writable_store(&store, key.signing_key.as_deref())?;
            let imported = s
                .import_journal(&from, &base)
                .map_err(|e| CliError::journal(&e))?;
            emit!(
                "imported {} changes from {} (file digest {}) into {}; journal head {} `{}`",
                imported.entries,
                from.display(),
                imported.source_head,
                store.display(),
                imported.head.seq,
                imported.head.head
            );
            Ok(Exit::Done)
        }
    }
}
