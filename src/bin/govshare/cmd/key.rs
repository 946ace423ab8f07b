//! `govshare key generate`: a signing key for a store's checkpoints.

use std::io::Write as _;
use std::path::Path;

use govshare::store::{SignatureAlgorithm, SigningKey};

use crate::args::{AlgorithmArg, KeyCommand};
use crate::io::emit;
use crate::{CliError, Exit};

/// Writes a new file (never over an existing one), readable by its owner
/// only when `secret`.
fn write_new(path: &Path, text: &str, secret: bool) -> Result<(), CliError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        options.mode(if secret { 0o600 } else { 0o644 });
    }
    let _ = secret;
    let mut f = options
        .open(path)
        .map_err(|e| CliError::input_in(path.display(), &e))?;
    f.write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .map_err(|e| CliError::Store(format!("{}: {e}", path.display())))
}

pub fn run(command: KeyCommand) -> Result<Exit, CliError> {
    match command {
        KeyCommand::Generate {
            algorithm,
            private,
            public,
        } => {
            let algorithm = match algorithm {
                AlgorithmArg::Sm2 => SignatureAlgorithm::Sm2,
                AlgorithmArg::Ed25519 => SignatureAlgorithm::Ed25519,
            };
            let key = SigningKey::generate(algorithm).map_err(|e| CliError::input(&e))?;
            let secret = key.to_pkcs8_pem().map_err(|e| CliError::input(&e))?;
            let pem = key.public_key().to_pem().map_err(|e| CliError::input(&e))?;
            write_new(&public, &pem, false)?;
            write_new(&private, &secret, true)?;
            emit!(
                "{} signing key written to {}; its public key to {} (give this one to whoever verifies)",
                algorithm.as_str(),
                private.display(),
                public.display()
            );
            Ok(Exit::Done)
        }
    }
}
