//! Building an engine: which policies (embedded or a folder, optional
//! policies switched on, local forbids), which working-day calendar, and
//! whether a clock guard checks the time of live requests.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use super::Engine;
use super::cache::{CacheLimits, DecisionCache};
use super::context::CedarNames;
use super::guard::ClockGuard;
use super::records::RecordCache;
use crate::calendar::Calendar;
use crate::error::LoadError;
use crate::policy::{self, PolicyFile, PolicySources, RuleOrigin, read_policy_file};
use crate::time::{Clock, SystemClock};

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
    max_clock_skew: Option<Duration>,
    clock: Option<Arc<dyn Clock>>,
    decision_cache: Option<CacheLimits>,
    record_cache: Option<CacheLimits>,
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

    /// Switches on the clock guard for live use: a request whose `at` lies
    /// farther than `skew` from the engine's clock (before or after) is
    /// denied with `GS-CLOCK-SKEW`, naming both times. A gateway deciding
    /// requests as they happen sets it, so a caller cannot choose the time
    /// it is judged at. Without it (the default) any `at` is judged, which
    /// is what replaying past uses needs.
    ///
    /// # Example
    ///
    /// ```
    /// use std::time::Duration;
    /// use govshare::{Engine, Registry, UsageRequest};
    /// use govshare::time::{ManualClock, parse_rfc3339};
    ///
    /// let clock = ManualClock::new(parse_rfc3339("2026-12-01T10:00:00+08:00")?);
    /// let engine = Engine::builder().max_clock_skew(Duration::from_secs(300)).clock(clock).build()?;
    /// let registry = Registry::from_json_str(include_str!("../../examples/data/registry.json"))?;
    /// // Sent on 1 December, claiming to be a use of 2 March.
    /// let request = UsageRequest::from_json(include_str!("../../examples/data/requests/01-allow.json"))?;
    /// let decision = engine.evaluate(&request, &registry);
    /// assert_eq!(decision.rule_ids(), ["GS-CLOCK-SKEW"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn max_clock_skew(mut self, skew: Duration) -> Self {
        self.max_clock_skew = Some(skew);
        self
    }

    /// The clock the guard of [`EngineBuilder::max_clock_skew`] reads
    /// (default: the system clock). Without a maximum skew it is not read.
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Bounds the decision cache (default [`CacheLimits::DECISIONS`]);
    /// [`CacheLimits::disabled`] switches it off.
    ///
    /// A repeated request (the same requester, dataset, grant, action,
    /// method, purpose, items and recipient) whose grants and catalog entry
    /// are unchanged, and whose `at` lies between the same two time
    /// boundaries of them (a period's start or end, a purpose end, a
    /// disposal, a suspension or reinstatement, a consent, a renewal, an
    /// amendment, a withdrawal), gets the decision made before, with a
    /// fresh `decision_id` and `decided_at`. The decision is the one that
    /// would be made afresh: the cache is used only with the embedded
    /// statutory policies, for which that is proven (module docs of the
    /// engine's cache, and the property tests in `tests/decision_cache.rs`);
    /// with optional or local policies it is not used whatever the limits.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::{CacheLimits, Engine, Registry, UsageRequest};
    ///
    /// let engine = Engine::builder().decision_cache(CacheLimits::new(1_000, 4 << 20)).build()?;
    /// let registry = Registry::from_json_str(include_str!("../../examples/data/registry.json"))?;
    /// let request = UsageRequest::from_json(include_str!("../../examples/data/requests/01-allow.json"))?;
    /// let first = engine.evaluate(&request, &registry);
    /// let again = engine.evaluate(&request, &registry);
    /// assert_eq!(first.reasons(), again.reasons());
    /// assert_ne!(first.decision_id(), again.decision_id());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decision_cache(mut self, limits: CacheLimits) -> Self {
        self.decision_cache = Some(limits);
        self
    }

    /// Switches the record cache on, within `limits` ([`CacheLimits::RECORDS`]
    /// is a fair bound); it is off unless set.
    ///
    /// A decision gives Cedar each candidate grant, and the contractor a
    /// request names as its processor, as a record of their facts as they
    /// stood at `at`. The record cache keeps those records by the entry's
    /// content digest and the interval of `at` between two of the entry's
    /// time boundaries, over which the record is the same; a changed entry
    /// has another digest, and an `at` outside the interval builds the
    /// record again. It serves every policy set, and a fact source that
    /// supplies content digests ([`crate::FactSource::content_digest`]);
    /// decisions are the same with it and without it
    /// (`tests/decision_cache.rs`). On the benchmark's stream, whose
    /// grants hold four to six items, it saves nothing measurable
    /// (BENCHMARKS.md), so it is off by default.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::{CacheLimits, Engine, Registry, UsageRequest};
    ///
    /// let engine = Engine::builder()
    ///     .decision_cache(CacheLimits::disabled())
    ///     .record_cache(CacheLimits::new(1_000, 1 << 20))
    ///     .build()?;
    /// let registry = Registry::from_json_str(include_str!("../../examples/data/registry.json"))?;
    /// let request = UsageRequest::from_json(include_str!("../../examples/data/requests/01-allow.json"))?;
    /// let first = engine.evaluate(&request, &registry);
    /// let again = engine.evaluate(&request, &registry);
    /// assert_eq!(first.reasons(), again.reasons());
    /// assert_eq!(engine.record_cache_stats().map(|s| s.hits), Some(1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn record_cache(mut self, limits: CacheLimits) -> Self {
        self.record_cache = Some(limits);
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
        let cache = if PolicySources::is_embedded_statutory(schema_text, &files) {
            DecisionCache::new(self.decision_cache.unwrap_or(CacheLimits::DECISIONS))
        } else {
            None
        };

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
        let guard = self.max_clock_skew.map(|max| ClockGuard {
            max,
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
        });
        let records = RecordCache::new(self.record_cache.unwrap_or(CacheLimits::disabled()));
        Ok(Engine::from_parts(
            policies, calendar, names, guard, cache, records,
        ))
    }
}
