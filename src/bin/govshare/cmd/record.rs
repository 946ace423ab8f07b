//! `govshare record verify|query|export|checkpoint|checkpoints|prune|import`: the
//! Art. 29 usage record in a store.

use std::io::Read as _;
use std::path::Path;

use govshare::audit::Query;
use govshare::store::{PublicKey, SignatureCheck, VerifyReport, verify_export};
use govshare::{DatasetId, DepartmentId, GrantId, RecordError, StoreError};

use crate::args::{Format, RecordCommand};
use crate::io::{AnyStore, emit, is_postgres, print_json, redacted, time_arg, writable_store};
use crate::{CliError, Exit};

/// Whether a file is an SQLite database (a store) rather than an export.
fn is_database(path: &Path) -> Result<bool, CliError> {
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(path).map_err(|e| CliError::input_in(path.display(), &e))?;
    let mut n = 0;
    while n < head.len() {
        match f.read(head.get_mut(n..).unwrap_or_default()) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) => return Err(CliError::input_in(path.display(), &e)),
        }
    }
    Ok(&head == b"SQLite format 3\0")
}

fn read_only(path: &Path) -> Result<AnyStore, CliError> {
    AnyStore::open_read_only(path).map_err(|e| CliError::store(&e))
}

fn print_report(file: &Path, report: &VerifyReport, format: Format) {
    match format {
        Format::Json => print_json(report),
        Format::Text => {
            let keys = match report.signatures {
                SignatureCheck::GivenKey => "checked against the key given",
                SignatureCheck::StoreKey => {
                    "checked against the store's own key (pass --public-key to check who signed)"
                }
                SignatureCheck::Unsigned => "none: the store is unsigned",
            };
            let log = |name: &str, s: &govshare::store::LogSummary| {
                format!(
                    "{name} {} entries through {} (head {})",
                    s.entries,
                    s.last.seq,
                    if s.last.head.is_empty() {
                        "-"
                    } else {
                        &s.last.head
                    }
                )
            };
            let summary = format!(
                "{}; {}; {} checkpoints, signatures {keys}; hash {}",
                log("journal", &report.journal),
                log("record", &report.record),
                report.checkpoints,
                report.hash.as_str()
            );
            match &report.broken {
                None => emit!("{}: intact; {summary}", redacted(file)),
                Some(b) => emit!(
                    "{}: DAMAGED at {b}; verified before it: {summary}",
                    redacted(file)
                ),
            }
        }
    }
}

pub fn run(command: RecordCommand) -> Result<Exit, CliError> {
    match command {
        RecordCommand::Verify {
            file,
            public_key,
            format,
        } => {
            let key = public_key
                .map(|p| PublicKey::from_pem_file(p).map_err(|e| CliError::input(&e)))
                .transpose()?;
            // A damaged header is found while opening: it is a finding too.
            let result = if is_postgres(&file) || is_database(&file)? {
                AnyStore::open_read_only(&file)
                    .and_then(|s| {
                        let mut bars = crate::progress::Bars::stderr();
                        let report = s.verify_with_progress(key.as_ref(), &mut |p| bars.update(p));
                        bars.clear();
                        report
                    })
                    .map_err(RecordError::Store)
            } else {
                verify_export(&file, key.as_ref())
            };
            let report = match result {
                Ok(r) => r,
                Err(
                    RecordError::Store(StoreError::Broken { broken, .. })
                    | RecordError::Broken { broken, .. },
                ) => {
                    match format {
                        Format::Json => print_json(&serde_json::json!({"broken": broken})),
                        Format::Text => emit!("{}: DAMAGED at {broken}", redacted(&file)),
                    }
                    return Ok(Exit::Findings);
                }
                Err(e) => return Err(CliError::record(&e)),
            };
            print_report(&file, &report, format);
            Ok(if report.is_intact() {
                Exit::Done
            } else {
                Exit::Findings
            })
        }
        RecordCommand::Query {
            file,
            grant,
            requester,
            dataset,
            from,
            until,
        } => {
            let q = Query {
                grant: grant
                    .map(GrantId::new)
                    .transpose()
                    .map_err(|e| CliError::input_in("--grant", &e))?,
                requester: requester
                    .map(DepartmentId::new)
                    .transpose()
                    .map_err(|e| CliError::input_in("--requester", &e))?,
                dataset: dataset
                    .map(DatasetId::new)
                    .transpose()
                    .map_err(|e| CliError::input_in("--dataset", &e))?,
                from: from.map(|f| time_arg("from", &f)).transpose()?,
                until: until.map(|u| time_arg("until", &u)).transpose()?,
            };
            for entry in read_only(&file)?
                .query(&q)
                .map_err(|e| CliError::record(&e))?
            {
                emit!("{}", serde_json::to_string(&entry).unwrap_or_default());
            }
            Ok(Exit::Done)
        }
        RecordCommand::Export { file, output } => {
            let store = read_only(&file)?;
            let report = match &output {
                Some(path) => {
                    let mut f = std::fs::OpenOptions::new()
                        .write(true)
                        .create_new(true)
                        .open(path)
                        .map_err(|e| CliError::input_in(path.display(), &e))?;
                    let r = store.export(&mut f).map_err(|e| CliError::store(&e))?;
                    f.sync_all()
                        .map_err(|e| CliError::Store(format!("{}: {e}", path.display())))?;
                    r
                }
                None => {
                    let mut out = std::io::stdout().lock();
                    store.export(&mut out).map_err(|e| CliError::store(&e))?
                }
            };
            if let Some(path) = output {
                emit!(
                    "exported {} journal changes and {} records of {} to {}",
                    report.journal.entries,
                    report.record.entries,
                    redacted(&file),
                    path.display()
                );
            }
            Ok(Exit::Done)
        }
        RecordCommand::Checkpoints { file, format } => {
            let store = read_only(&file)?;
            let checkpoints = store.checkpoints().map_err(|e| CliError::store(&e))?;
            let id = store.id();
            match format {
                Format::Json => {
                    for c in &checkpoints {
                        emit!("{}", serde_json::json!({"store": id, "checkpoint": c}));
                    }
                }
                Format::Text => {
                    for c in &checkpoints {
                        emit!(
                            "checkpoint {} ({:?}) at {}: journal {} {}, record {} {}{}; signature {}",
                            c.id,
                            c.kind,
                            c.at,
                            c.journal.seq,
                            if c.journal.head.is_empty() {
                                "-"
                            } else {
                                &c.journal.head
                            },
                            c.record.seq,
                            if c.record.head.is_empty() {
                                "-"
                            } else {
                                &c.record.head
                            },
                            c.pruned
                                .as_ref()
                                .map(|p| format!("; pruned through {} before {}", p.seq, p.cutoff))
                                .unwrap_or_default(),
                            c.signature
                        );
                    }
                    emit!("{} checkpoints of store {id}", checkpoints.len());
                }
            }
            Ok(Exit::Done)
        }
        RecordCommand::Checkpoint { file, key } => {
            let store = AnyStore::writable(&file, key.signing_key.as_deref())?;
            let c = store.checkpoint().map_err(|e| CliError::store(&e))?;
            emit!(
                "checkpoint {} signed at {}: journal through {}, record through {} (head {})",
                c.id,
                c.at,
                c.journal.seq,
                c.record.seq,
                if c.record.head.is_empty() {
                    "-"
                } else {
                    &c.record.head
                }
            );
            Ok(Exit::Done)
        }
        RecordCommand::Prune { file, before, key } => {
            let cutoff = time_arg("before", &before)?;
            let pruned = match AnyStore::writable(&file, key.signing_key.as_deref())? {
                AnyStore::File(s) => s.prune(cutoff),
                #[cfg(feature = "postgres")]
                AnyStore::Postgres(s) => s.prune(cutoff),
            }
            .map_err(|e| CliError::record(&e))?;
            match &pruned.anchor {
                Some(a) => emit!(
                    "pruned {} records appended before {before}; signed anchor: checkpoint {}",
                    pruned.records,
                    a.id
                ),
                None => emit!("nothing to prune: no record was appended before {before}"),
            }
            Ok(Exit::Done)
        }
        RecordCommand::Import { from, store, key } => {
            let s = writable_store(&store, key.signing_key.as_deref())?;
            let imported = s.import_records(&from).map_err(|e| CliError::record(&e))?;
            emit!(
                "imported {} records from {} (their chain verified, head {}) into {}; record head {} `{}`",
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
