//! `govshare store migrate`: bring a store's schema up to date.

use govshare::store::{Store, StoreOptions};

use crate::args::StoreCommand;
use crate::io::{emit, is_postgres, redacted, signing_key};
use crate::{CliError, Exit};

pub fn run(command: StoreCommand) -> Result<Exit, CliError> {
    match command {
        StoreCommand::Migrate { store, key } => {
            let mut options = StoreOptions::new();
            if let Some(k) = signing_key(key.signing_key.as_deref())? {
                options = options.signing_key(k);
            }
            if is_postgres(&store) {
                return migrate_postgres(&store, options);
            }
            // Opening a store for writing applies its pending migrations.
            let s = Store::open_with(&store, options).map_err(|e| CliError::store(&e))?;
            emit!("store {} ({}): schema up to date", store.display(), s.id());
            Ok(Exit::Done)
        }
    }
}

#[cfg(feature = "postgres")]
fn migrate_postgres(store: &std::path::Path, options: StoreOptions) -> Result<Exit, CliError> {
    let migrated = govshare::store::PgStore::migrate(&store.to_string_lossy(), options)
        .map_err(|e| CliError::store(&e))?;
    if migrated.applied.is_empty() {
        emit!(
            "store {}: schema up to date; nothing applied",
            redacted(store)
        );
    } else {
        emit!(
            "store {}: applied {}",
            redacted(store),
            migrated.applied.join(", ")
        );
    }
    Ok(Exit::Done)
}

#[cfg(not(feature = "postgres"))]
fn migrate_postgres(store: &std::path::Path, options: StoreOptions) -> Result<Exit, CliError> {
    let _ = options;
    Err(CliError::Input(format!(
        "{}: this govshare was built without PostgreSQL support (cargo feature `postgres`)",
        redacted(store)
    )))
}
