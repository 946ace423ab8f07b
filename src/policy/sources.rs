//! Where policy text comes from: the copies embedded in the library, or a
//! folder laid out like `policies/` (the schema, `statutory/*.cedar`,
//! `optional/*.cedar`), and local policy files.

use std::path::{Path, PathBuf};

use super::{PolicyFile, RuleOrigin, embedded};
use crate::error::LoadError;
use crate::input::read_text;
use crate::limits::MAX_POLICY_FILE_BYTES;

/// The schema, the statutory files and the optional policies available.
#[derive(Debug)]
pub(crate) struct PolicySources {
    /// (name, text) of the Cedar schema.
    pub schema: (String, String),
    /// The statutory set.
    pub statutory: Vec<PolicyFile>,
    /// (name, text) of each optional policy that can be switched on.
    pub optional: Vec<(String, String)>,
}

impl PolicySources {
    /// The copies compiled into the library.
    pub(crate) fn embedded() -> Self {
        Self {
            schema: (embedded::SCHEMA.0.to_owned(), embedded::SCHEMA.1.to_owned()),
            statutory: embedded::STATUTORY
                .iter()
                .map(|(name, text)| PolicyFile {
                    name: format!("statutory/{name}"),
                    text: (*text).to_owned(),
                    origin: RuleOrigin::Statutory,
                })
                .collect(),
            optional: embedded::OPTIONAL
                .iter()
                .map(|(name, text)| (format!("optional/{name}"), (*text).to_owned()))
                .collect(),
        }
    }

    /// Whether `schema` and `files` are exactly the embedded schema and
    /// statutory set (in any order, under any names): the policies for
    /// which the engine's decision cache is exact.
    pub(crate) fn is_embedded_statutory(schema: &str, files: &[PolicyFile]) -> bool {
        let mut loaded: Vec<&str> = files.iter().map(|f| f.text.as_str()).collect();
        let mut shipped: Vec<&str> = embedded::STATUTORY.iter().map(|(_, t)| *t).collect();
        loaded.sort_unstable();
        shipped.sort_unstable();
        schema == embedded::SCHEMA.1
            && files.iter().all(|f| f.origin == RuleOrigin::Statutory)
            && loaded == shipped
    }

    /// A folder laid out like `policies/`; `optional/` may be absent.
    pub(crate) fn read_dir(dir: &Path) -> Result<Self, LoadError> {
        let schema_path = dir.join(embedded::SCHEMA.0);
        let schema = (
            schema_path.display().to_string(),
            read_policy_file(&schema_path, "schema")?,
        );
        let statutory = cedar_files(&dir.join("statutory"))?
            .into_iter()
            .map(|p| {
                Ok(PolicyFile {
                    name: p.display().to_string(),
                    text: read_policy_file(&p, "policy file")?,
                    origin: RuleOrigin::Statutory,
                })
            })
            .collect::<Result<Vec<_>, LoadError>>()?;
        let optional_dir = dir.join("optional");
        let optional = if optional_dir.is_dir() {
            cedar_files(&optional_dir)?
                .into_iter()
                .map(|p| {
                    Ok((
                        p.display().to_string(),
                        read_policy_file(&p, "policy file")?,
                    ))
                })
                .collect::<Result<Vec<_>, LoadError>>()?
        } else {
            Vec::new()
        };
        Ok(Self {
            schema,
            statutory,
            optional,
        })
    }

    /// The optional policy whose file stem is `name`, as a file to load.
    pub(crate) fn optional(&self, name: &str) -> Result<PolicyFile, LoadError> {
        match self.optional.iter().find(|(file, _)| stem(file) == name) {
            Some((file, text)) => Ok(PolicyFile {
                name: file.clone(),
                text: text.clone(),
                origin: RuleOrigin::Optional,
            }),
            None => Err(LoadError::UnknownOptionalPolicy {
                name: name.to_owned(),
                available: self
                    .optional
                    .iter()
                    .map(|(n, _)| stem(n))
                    .collect::<Vec<_>>()
                    .join(", "),
            }),
        }
    }
}

fn stem(name: &str) -> String {
    Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Reads a policy or schema file (`what`): a regular file of at most
/// [`MAX_POLICY_FILE_BYTES`], read no further than that.
pub(crate) fn read_policy_file(path: &Path, what: &'static str) -> Result<String, LoadError> {
    read_text(path, MAX_POLICY_FILE_BYTES)
        .map_err(|e| e.into_load(what, path, MAX_POLICY_FILE_BYTES))
}

/// `*.cedar` files of a folder, sorted by name.
fn cedar_files(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let io = |source| LoadError::Io {
        path: dir.to_owned(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        if path.extension().is_some_and(|e| e == "cedar") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}
