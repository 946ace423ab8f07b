//! `govshare journal import`: a JSON-lines journal into a store.

use crate::args::JournalCommand;
use crate::io::{AnyStore, emit, redacted, registry_arg};
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
            let imported = match AnyStore::writable(&store, key.signing_key.as_deref())? {
                AnyStore::File(s) => s.import_journal(&from, &base),
                #[cfg(feature = "postgres")]
                AnyStore::Postgres(s) => s.import_journal(&from, &base),
            }
            .map_err(|e| CliError::journal(&e))?;
            emit!(
                "imported {} changes from {} (file digest {}) into {}; journal head {} `{}`",
                imported.entries,
                from.display(),
                imported.source_head,
                redacted(&store),
                imported.head.seq,
                imported.head.head
            );
            Ok(Exit::Done)
        }
    }
}
