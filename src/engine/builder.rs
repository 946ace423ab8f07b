//! Building an engine: which policies (embedded or a folder, optional
//! policies switched on, local forbids) and which working-day calendar.

use std::path::PathBuf;

use super::Engine;
use super::context::CedarNames;
use crate::calendar::Calendar;
use crate::error::LoadError;
use crate::policy::{self, PolicyFile, PolicySources, RuleOrigin, read_policy_file};

#[derive(Debug, Clone)]
enum Source {
    File(PathBuf),
    Text { name: String, text: String },
}

/// Builds an [`Engine`]. Paths are read when [`EngineBuilder::build`] runs.
#[derive(Debug, Clone, Default)]
#[must_use]
pub struct EngineBuilder {
    policies_dir: Option<PathBuf>,
    optional: Vec<String>,
    local: Vec<Source>,
    calendar: Option<Calendar>,
    calendar_dir: Option<PathBuf>,
}

impl EngineBuilder {
    /// Loads the schema, the statutory set and the available optional
    /// policies from a folder laid out like `policies/` instead of the
    /// embedded copies; its `calendar/` sub-folder, when present, replaces the
    /// embedded working-day calendar.
    pub fn policies_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.policies_dir = Some(dir.into());
        self
    }

    /// Switches on a shipped optional policy by name, such as
    /// `block-while-disposal-overdue`.
    pub fn enable_optional(mut self, name: impl Into<String>) -> Self {
        self.optional.push(name.into());
        self
    }

    /// Adds a file of local policies (forbids only).
    pub fn local_policy_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.local.push(Source::File(path.into()));
        self
    }

    /// Adds local policies from text (forbids only); `name` names them in
    /// errors and in the rule list.
    pub fn local_policies(mut self, name: impl Into<String>, text: impl Into<String>) -> Self {
        self.local.push(Source::Text {
            name: name.into(),
            text: text.into(),
        });
        self
    }

    /// Uses this working-day calendar.
    pub fn calendar(mut self, calendar: Calendar) -> Self {
        self.calendar = Some(calendar);
        self
    }

    /// Loads the working-day calendar from a folder of `cn-YYYY.json` files.
    pub fn calendar_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.calendar_dir = Some(dir.into());
        self
    }

    /// Loads, validates and builds.
    ///
    /// # Errors
    ///
    /// [`LoadError`] naming the file, the policy and the problem: a file
    /// that cannot be read or parsed, a policy without `@id`, `@articles`,
    /// `@zh` and `@en`, a duplicate id, a `permit` outside the statutory set,
    /// a statutory rule missing, a strict schema violation, an unknown
    /// optional policy, or a calendar that cannot be loaded.
    pub fn build(self) -> Result<Engine, LoadError> {
        let sources = match &self.policies_dir {
            None => PolicySources::embedded(),
            Some(dir) => PolicySources::read_dir(dir)?,
        };
        let mut files = sources.statutory.clone();
        let mut enabled = self.optional.clone();
        enabled.sort();
        enabled.dedup();
        for name in &enabled {
            files.push(sources.optional(name)?);
        }
        for source in &self.local {
            let (name, text) = match source {
                Source::File(p) => (p.display().to_string(), read_policy_file(p, "policy file")?),
                Source::Text { name, text } => (name.clone(), text.clone()),
            };
            files.push(PolicyFile {
                name,
                text,
                origin: RuleOrigin::Local,
            });
        }
        // The result must not depend on the order files were named in.
        files.sort_by(|a, b| (a.origin as u8, &a.name).cmp(&(b.origin as u8, &b.name)));
        let (schema_name, schema_text) = &sources.schema;
        let policies = policy::load((schema_name, schema_text), &files)?;

        let calendar = match (self.calendar, &self.calendar_dir, &self.policies_dir) {
            (Some(c), _, _) => c,
            (None, Some(dir), _) => Calendar::load_dir(dir)?,
            (None, None, Some(dir)) if dir.join("calendar").is_dir() => {
                Calendar::load_dir(&dir.join("calendar"))?
            }
            _ => Calendar::embedded()?,
        };
        let names = CedarNames::new().map_err(|source| LoadError::Schema {
            origin: schema_name.clone(),
            source,
        })?;
        Ok(Engine::from_parts(policies, calendar, names))
    }
}
