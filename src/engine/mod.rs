//! The engine: a usage request and its facts → a Cedar request per
//! candidate grant → Cedar → a [`Decision`] that explains itself.

mod context;
mod request;

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use cedar_policy::{Authorizer, Decision as CedarDecision, Entities};

pub use request::{Action, UsageRequest};

use crate::decision::explain::{self, Situation};
use crate::decision::{
    DEFAULT_DENY, Decision, EVALUATION_ERROR, FACTS_UNAVAILABLE, INVALID_REQUEST, Outcome, Reason,
};
use crate::error::{LoadError, RequestError};
use crate::lifecycle::calendar::Calendar;
use crate::lifecycle::disposal::{DisposalState, disposal_state};
use crate::model::{Dataset, Grant, GrantId};
use crate::policy::{self, LoadedPolicies, PERMIT_RULE, PolicyFile, Rule, RuleOrigin, embedded};
use crate::registry::FactSource;
use context::{CedarNames, RequestFacts, cedar_request};

/// The policy decision engine. Immutable, cheap to clone (an `Arc` inside)
/// and safe to share across threads; to reload policies, build a new engine
/// and swap it in.
///
/// # Example
///
/// ```
/// use govshare::{Engine, Registry, UsageRequest};
///
/// let engine = Engine::builder().build()?;
/// let registry = Registry::from_json_str(r#"{"departments": [], "datasets": [], "grants": []}"#)?;
/// let request = UsageRequest::from_json(r#"{"requester": "hz-hrss", "dataset": "ent-reg",
///     "action": "use", "purpose": "tax", "items": ["uscc"], "at": "2026-03-02T10:00:00+08:00"}"#)?;
/// let decision = engine.evaluate(&request, &registry);
/// assert!(!decision.is_allow());
/// assert_eq!(decision.rule_ids(), ["GS-UNKNOWN-REQUESTER", "GS-NOT-PUBLISHED", "GS-NO-GRANT"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    policies: LoadedPolicies,
    calendar: Calendar,
    names: CedarNames,
    authorizer: Authorizer,
    entities: Entities,
}

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
        let read = |path: &Path| {
            std::fs::read_to_string(path).map_err(|source| LoadError::Io {
                path: path.to_owned(),
                source,
            })
        };
        let (schema, mut files, available) = match &self.policies_dir {
            None => (
                (embedded::SCHEMA.0.to_owned(), embedded::SCHEMA.1.to_owned()),
                embedded::STATUTORY
                    .iter()
                    .map(|(name, text)| PolicyFile {
                        name: format!("statutory/{name}"),
                        text: (*text).to_owned(),
                        origin: RuleOrigin::Statutory,
                    })
                    .collect::<Vec<_>>(),
                embedded::OPTIONAL
                    .iter()
                    .map(|(name, text)| (format!("optional/{name}"), (*text).to_owned()))
                    .collect::<Vec<_>>(),
            ),
            Some(dir) => {
                let schema_path = dir.join(embedded::SCHEMA.0);
                let schema = (schema_path.display().to_string(), read(&schema_path)?);
                let statutory = cedar_files(&dir.join("statutory"))?
                    .into_iter()
                    .map(|p| {
                        Ok(PolicyFile {
                            name: p.display().to_string(),
                            text: read(&p)?,
                            origin: RuleOrigin::Statutory,
                        })
                    })
                    .collect::<Result<Vec<_>, LoadError>>()?;
                let optional_dir = dir.join("optional");
                let optional = if optional_dir.is_dir() {
                    cedar_files(&optional_dir)?
                        .into_iter()
                        .map(|p| Ok((p.display().to_string(), read(&p)?)))
                        .collect::<Result<Vec<_>, LoadError>>()?
                } else {
                    Vec::new()
                };
                (schema, statutory, optional)
            }
        };
        let stem = |name: &str| {
            Path::new(name)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        let mut enabled = self.optional.clone();
        enabled.sort();
        enabled.dedup();
        for want in &enabled {
            let Some((name, text)) = available.iter().find(|(name, _)| stem(name) == *want) else {
                return Err(LoadError::UnknownOptionalPolicy {
                    name: want.clone(),
                    available: available
                        .iter()
                        .map(|(n, _)| stem(n))
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            };
            files.push(PolicyFile {
                name: name.clone(),
                text: text.clone(),
                origin: RuleOrigin::Optional,
            });
        }
        for source in &self.local {
            let (name, text) = match source {
                Source::File(p) => (p.display().to_string(), read(p)?),
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
        let policies = policy::load((&schema.0, &schema.1), &files)?;

        let calendar = match (self.calendar, &self.calendar_dir, &self.policies_dir) {
            (Some(c), _, _) => c,
            (None, Some(dir), _) => Calendar::load_dir(dir)?,
            (None, None, Some(dir)) if dir.join("calendar").is_dir() => {
                Calendar::load_dir(&dir.join("calendar"))?
            }
            _ => Calendar::embedded()?,
        };
        let names = CedarNames::new().map_err(|message| LoadError::Schema {
            origin: schema.0.clone(),
            message,
        })?;
        Ok(Engine {
            inner: Arc::new(Inner {
                policies,
                calendar,
                names,
                authorizer: Authorizer::new(),
                entities: Entities::empty(),
            }),
        })
    }
}

/// `*.cedar` files of a folder, sorted by name.
fn cedar_files(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let entries = std::fs::read_dir(dir).map_err(|source| LoadError::Io {
        path: dir.to_owned(),
        source,
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| LoadError::Io {
            path: dir.to_owned(),
            source,
        })?;
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "cedar") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Why deciding stopped early; becomes the one reason of a deny.
struct Failure {
    rule: &'static str,
    detail: String,
}

impl Failure {
    fn facts(detail: String) -> Self {
        Self {
            rule: FACTS_UNAVAILABLE,
            detail,
        }
    }
}

/// The facts of one request.
struct Gathered<'f> {
    requester_registered: bool,
    dataset: Option<Cow<'f, Dataset>>,
    candidates: Vec<Cow<'f, Grant>>,
    named_grant_problem: Option<(&'f GrantId, &'static str)>,
    overdue: bool,
}

/// One candidate grant judged by Cedar.
struct Judged<'a> {
    grant: Option<Cow<'a, Grant>>,
    allow: bool,
    /// Deciding rules in reason order.
    rules: Vec<&'a str>,
    /// Evaluation errors (fail closed).
    errors: Vec<String>,
}

/// Cedar-level access for the benchmarks, which compare govshare with raw
/// Cedar on the same policies and inputs. Not part of the API: enabled only
/// by the `bench-internals` feature, and free to change in any release.
#[cfg(feature = "bench-internals")]
#[doc(hidden)]
impl Engine {
    /// The Cedar requests the engine would evaluate for `request`, one per
    /// candidate grant (one with no grant when there is none).
    pub fn cedar_requests<F: FactSource + ?Sized>(
        &self,
        request: &UsageRequest,
        facts: &F,
    ) -> Result<Vec<cedar_policy::Request>, String> {
        let g = self.gather(request, facts).map_err(|f| f.detail)?;
        let rf = RequestFacts {
            request,
            requester_registered: g.requester_registered,
            dataset: g.dataset.as_deref(),
            overdue_disposal_with_provider: g.overdue,
        };
        if g.candidates.is_empty() {
            return Ok(vec![cedar_request(&self.inner.names, &rf, None)?]);
        }
        g.candidates
            .iter()
            .map(|c| cedar_request(&self.inner.names, &rf, Some(c)))
            .collect()
    }

    /// The loaded Cedar policy set.
    pub fn cedar_policy_set(&self) -> &cedar_policy::PolicySet {
        &self.inner.policies.set
    }
}

impl Engine {
    /// A builder, starting from the embedded statutory policies and
    /// calendar.
    pub fn builder() -> EngineBuilder {
        EngineBuilder::default()
    }

    /// The loaded rules: the permit, the statutory catalog in order, then
    /// optional and local rules by id.
    pub fn rules(&self) -> &[Rule] {
        &self.inner.policies.rules
    }

    /// `sha256:…` of the loaded schema and policy files.
    pub fn policy_digest(&self) -> &str {
        &self.inner.policies.digest
    }

    /// The working-day calendar in use.
    pub fn calendar(&self) -> &Calendar {
        &self.inner.calendar
    }

    /// Parses a request in the wire format and decides it.
    ///
    /// # Errors
    ///
    /// [`RequestError`] when the request is malformed; a malformed request
    /// is never decided.
    pub fn evaluate_json<F: FactSource + ?Sized>(
        &self,
        request: &str,
        facts: &F,
    ) -> Result<Decision, RequestError> {
        let request = UsageRequest::from_json(request)?;
        Ok(self.evaluate(&request, facts))
    }

    /// Decides a usage request. Never fails and never fails open: a
    /// malformed request built in code, a fact source error or a policy
    /// evaluation error is a deny that says so.
    pub fn evaluate<F: FactSource + ?Sized>(&self, request: &UsageRequest, facts: &F) -> Decision {
        if let Err(e) = request.check() {
            return self.deny_with(
                None,
                explain::engine_reason(INVALID_REQUEST, &e.to_string()),
            );
        }
        match self.decide(request, facts) {
            Ok(decision) => decision,
            Err(failure) => self.deny_with(
                request.grant.clone(),
                explain::engine_reason(failure.rule, &failure.detail),
            ),
        }
    }

    fn deny_with(&self, grant: Option<GrantId>, reason: Reason) -> Decision {
        Decision::new(
            Outcome::Deny,
            grant,
            self.policy_digest().to_owned(),
            vec![reason],
            Vec::new(),
        )
    }

    /// The facts of one request: the requester, the dataset, the candidate
    /// grants and the optional overdue-disposal fact.
    fn gather<'f, F: FactSource + ?Sized>(
        &self,
        request: &'f UsageRequest,
        facts: &'f F,
    ) -> Result<Gathered<'f>, Failure> {
        let unavailable = |e: crate::registry::FactError| Failure::facts(e.message().to_owned());
        let requester = facts.department(&request.requester).map_err(unavailable)?;
        let dataset = facts.dataset(&request.dataset).map_err(unavailable)?;

        let mut named_grant_problem = None;
        let candidates: Vec<Cow<'f, Grant>> = match &request.grant {
            Some(id) => match facts.grant(id).map_err(unavailable)? {
                Some(g) if g.dataset == request.dataset => vec![g],
                Some(_) => {
                    named_grant_problem = Some((id, "other_dataset"));
                    Vec::new()
                }
                None => {
                    named_grant_problem = Some((id, "not_found"));
                    Vec::new()
                }
            },
            None => {
                let mut all = facts
                    .grants_for(&request.requester, &request.dataset)
                    .map_err(unavailable)?;
                // A host's source may return more than asked; judge only
                // grants that are really the requester's for this dataset.
                all.retain(|g| g.requester == request.requester && g.dataset == request.dataset);
                all.sort_by(|a, b| a.id.cmp(&b.id));
                all.dedup_by(|a, b| a.id == b.id);
                all
            }
        };
        let overdue = match (&dataset, self.inner.policies.reads_overdue_fact) {
            (Some(d), true) => self.overdue_with_provider(request, d, facts)?,
            _ => false,
        };
        Ok(Gathered {
            requester_registered: requester.is_some(),
            dataset,
            candidates,
            named_grant_problem,
            overdue,
        })
    }

    fn decide<F: FactSource + ?Sized>(
        &self,
        request: &UsageRequest,
        facts: &F,
    ) -> Result<Decision, Failure> {
        let Gathered {
            requester_registered,
            dataset,
            candidates,
            named_grant_problem,
            overdue,
        } = self.gather(request, facts)?;
        let request_facts = RequestFacts {
            request,
            requester_registered,
            dataset: dataset.as_deref(),
            overdue_disposal_with_provider: overdue,
        };

        // Candidates are judged in id order: the first that allows wins
        // (no later one is evaluated); otherwise the grant with the fewest
        // broken rules, ties to the smallest id.
        let mut chosen: Option<Judged<'_>> = None;
        if candidates.is_empty() {
            chosen = Some(self.judge(&request_facts, None));
        }
        for g in candidates {
            let judged = self.judge(&request_facts, Some(g));
            if judged.allow {
                chosen = Some(judged);
                break;
            }
            let broken = judged.rules.len() + judged.errors.len();
            if chosen
                .as_ref()
                .is_none_or(|c| broken < c.rules.len() + c.errors.len())
            {
                chosen = Some(judged);
            }
        }
        let Some(chosen) = chosen else {
            return Err(Failure {
                rule: EVALUATION_ERROR,
                detail: "no evaluation was made".into(),
            });
        };
        Ok(self.assemble(chosen, request, dataset.as_deref(), named_grant_problem))
    }

    fn overdue_with_provider<F: FactSource + ?Sized>(
        &self,
        request: &UsageRequest,
        dataset: &Dataset,
        facts: &F,
    ) -> Result<bool, Failure> {
        let unavailable = Failure::facts;
        let grants = facts
            .grants_of_requester(&request.requester)
            .map_err(|e| unavailable(e.message().to_owned()))?;
        for g in grants.iter().filter(|g| g.requester == request.requester) {
            let provider = match facts
                .dataset(&g.dataset)
                .map_err(|e| unavailable(e.message().to_owned()))?
            {
                Some(d) => d.provider.clone(),
                None => continue,
            };
            if provider != dataset.provider {
                continue;
            }
            match disposal_state(g, &request.at, &self.inner.calendar) {
                Ok(DisposalState::Overdue { .. }) => return Ok(true),
                Ok(_) => {}
                Err(e) => {
                    return Err(unavailable(format!(
                        "cannot tell whether disposal of grant `{}` is overdue: {e}",
                        g.id
                    )));
                }
            }
        }
        Ok(false)
    }

    fn judge<'a>(&'a self, facts: &RequestFacts<'_>, grant: Option<Cow<'a, Grant>>) -> Judged<'a> {
        let inner = &*self.inner;
        let cedar = match cedar_request(&inner.names, facts, grant.as_deref()) {
            Ok(r) => r,
            Err(e) => {
                return Judged {
                    grant,
                    allow: false,
                    rules: Vec::new(),
                    errors: vec![format!("cannot build the policy request: {e}")],
                };
            }
        };
        let response = inner
            .authorizer
            .is_authorized(&cedar, &inner.policies.set, &inner.entities);
        let errors: Vec<String> = response
            .diagnostics()
            .errors()
            .map(ToString::to_string)
            .collect();
        let mut rules: Vec<&'a str> = Vec::new();
        for id in response.diagnostics().reason() {
            match inner.policies.order.get(id.as_ref() as &str) {
                Some(&i) => {
                    if let Some(rule) = inner.policies.rules.get(i) {
                        rules.push(rule.id.as_str());
                    }
                }
                None => {
                    return Judged {
                        grant,
                        allow: false,
                        rules: Vec::new(),
                        errors: vec![format!("policy `{id}` decided but has no loaded rule")],
                    };
                }
            }
        }
        rules.sort_by_key(|r| inner.policies.order.get(*r).copied().unwrap_or(usize::MAX));
        let allow = response.decision() == CedarDecision::Allow
            && errors.is_empty()
            && rules == [PERMIT_RULE];
        if !allow {
            rules.retain(|r| *r != PERMIT_RULE);
        }
        Judged {
            grant,
            allow,
            rules,
            errors,
        }
    }

    fn assemble(
        &self,
        judged: Judged<'_>,
        request: &UsageRequest,
        dataset: Option<&Dataset>,
        named_grant_problem: Option<(&GrantId, &'static str)>,
    ) -> Decision {
        let inner = &*self.inner;
        let grant = judged.grant.as_deref();
        let situation = Situation {
            request,
            dataset,
            grant,
            named_grant_problem,
        };
        let rule = |id: &str| {
            inner
                .policies
                .order
                .get(id)
                .and_then(|&i| inner.policies.rules.get(i))
        };
        let mut reasons: Vec<Reason> = judged
            .rules
            .iter()
            .filter_map(|id| rule(id))
            .map(|r| explain::reason(r, &situation))
            .collect();
        let grant_id = grant.map(|g| g.id.clone());
        if judged.allow {
            let obligations = grant
                .map(|g| vec![explain::record_use(g), explain::dispose(g, &inner.calendar)])
                .unwrap_or_default();
            return Decision::new(
                Outcome::Allow,
                grant_id,
                self.policy_digest().to_owned(),
                reasons,
                obligations,
            );
        }
        if !judged.errors.is_empty() {
            reasons.push(explain::engine_reason(
                EVALUATION_ERROR,
                &judged.errors.join("; "),
            ));
        }
        if reasons.is_empty() {
            reasons.push(explain::engine_reason(DEFAULT_DENY, ""));
        }
        let ended = judged
            .rules
            .iter()
            .any(|r| *r == "GS-PERIOD-ENDED" || *r == "GS-PURPOSE-ENDED");
        let disposed = judged.rules.contains(&"GS-DISPOSED");
        let obligations = match grant {
            Some(g) if ended && !disposed && g.requester == request.requester => {
                vec![explain::dispose(g, &inner.calendar)]
            }
            _ => Vec::new(),
        };
        Decision::new(
            Outcome::Deny,
            grant_id,
            self.policy_digest().to_owned(),
            reasons,
            obligations,
        )
    }
}
