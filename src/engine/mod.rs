//! The engine: a usage request and its facts → a Cedar request per
//! candidate grant → Cedar → a [`Decision`] that explains itself.

mod builder;
mod cache;
mod context;
mod explain;
mod guard;
mod records;
mod request;

use std::borrow::Cow;
use std::sync::Arc;

pub use builder::EngineBuilder;
pub use cache::{CacheLimits, CacheStats};
pub use request::{Action, UsageRequest};

use crate::calendar::Calendar;
use crate::decision::{Decision, EngineReason, Outcome, Reason, RuleId, StatutoryRule};
use crate::digest::ContentDigest;
use crate::error::{FactError, RequestError};
use crate::limits::MAX_GRANTS_PER_PAIR;
use crate::model::{
    Contractor, Dataset, Department, DisposalTrigger, Grant, GrantId, PurposeVocabulary,
    purpose_within,
};
use crate::policy::{LoadedPolicies, Rule};
use crate::registry::{DisposalState, FactRecord, FactSource, contractor_holdings, disposal_state};
use cache::{Cached, DecisionCache, Interval, KeyRef, registered_lineage, requester_facts};
#[cfg(feature = "bench-internals")]
use context::cedar_request_with;
use context::{CedarNames, RequestFacts, contractor_record, grant_record, policy_request};
use explain::{NamedGrantProblem, Situation};
use guard::ClockGuard;
use records::{RecordCache, RecordKey};

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

/// Stack that Cedar's evaluator keeps free at every step (100 KiB: with
/// less it fails the policy with an error, which is a deny) plus the
/// engine's own frames.
const EVAL_STACK_BASE: usize = 256 * 1024;

/// Stack per level of policy nesting while Cedar evaluates: measured at
/// about 6.5 KiB a level in an optimized build and 75 KiB unoptimized.
const EVAL_STACK_PER_LEVEL: usize = if cfg!(debug_assertions) {
    96 * 1024
} else {
    12 * 1024
};

#[derive(Debug)]
struct Inner {
    policies: LoadedPolicies,
    /// The stack a decision needs with these policies: when the calling
    /// thread has less left, the decision runs on a fresh stack of twice
    /// this size.
    eval_stack: usize,
    calendar: Calendar,
    names: CedarNames,
    guard: Option<ClockGuard>,
    /// The decision cache, when one is configured and exact for these
    /// policies.
    cache: Option<DecisionCache>,
    /// The record cache (grants' and contractors' Cedar records), when one
    /// is configured.
    records: Option<RecordCache>,
}

/// Why deciding stopped early; becomes the one reason of a deny.
struct Stop {
    reason: EngineReason,
    detail: String,
}

impl Stop {
    fn facts(e: &FactError) -> Self {
        Self {
            reason: EngineReason::FactsUnavailable,
            detail: crate::error::error_report(e),
        }
    }
}

/// The facts of one request, as the source holds them (not yet as they
/// stood at the request's `at`).
struct Gathered<'f> {
    requester: Option<Cow<'f, Department>>,
    dataset: Option<Cow<'f, Dataset>>,
    provider_registered: bool,
    purposes: Option<Cow<'f, PurposeVocabulary>>,
    candidates: Vec<Cow<'f, Grant>>,
    named_grant_problem: Option<(&'f GrantId, NamedGrantProblem)>,
    overdue: bool,
    /// The contractor the request names as its processor, when one has
    /// its id.
    processor: Option<Cow<'f, Contractor>>,
    /// Every contractor of the requester entrusted with the dataset, in id
    /// order: the holders of the data a disposal duty names.
    holders: Vec<Cow<'f, Contractor>>,
    /// The content digests of the candidates, in their order, and of the
    /// processor, when the fact source supplies them and a cache will use
    /// them (empty and `None` otherwise).
    grant_digests: Vec<Option<ContentDigest>>,
    processor_digest: Option<ContentDigest>,
}

/// One candidate grant judged by Cedar.
struct Judged<'a> {
    grant: Option<Cow<'a, Grant>>,
    allow: bool,
    /// Deciding rules, as positions in the loaded rules (reason order).
    rules: Vec<usize>,
    /// Evaluation errors (fail closed).
    errors: Vec<String>,
}

impl Judged<'_> {
    fn broken(&self) -> usize {
        self.rules.len() + self.errors.len()
    }
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
    ) -> Result<Vec<cedar_policy::Request>, crate::error::BoxError> {
        let g = self.gather(request, facts).map_err(|f| f.detail)?;
        let dataset = g.dataset.as_deref().map(|d| d.as_of(&request.at));
        let processor = g.processor.as_deref().map(|c| c.as_of(&request.at));
        let rf = RequestFacts::new(
            request,
            g.requester.as_deref(),
            dataset.as_deref(),
            g.provider_registered,
            g.purposes.as_deref(),
            g.overdue,
        )
        .with_contractor(processor.as_deref());
        if g.candidates.is_empty() {
            return Ok(vec![cedar_request_with(&self.inner.names, &rf, None)?]);
        }
        g.candidates
            .iter()
            .map(|c| {
                let record = grant_record(&self.inner.names, &c.as_of(&request.at), &request.at);
                cedar_request_with(&self.inner.names, &rf, Some(record))
            })
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

    fn from_parts(
        policies: LoadedPolicies,
        calendar: Calendar,
        names: CedarNames,
        guard: Option<ClockGuard>,
        cache: Option<DecisionCache>,
        records: Option<RecordCache>,
    ) -> Self {
        let eval_stack =
            EVAL_STACK_BASE.saturating_add(policies.nesting.saturating_mul(EVAL_STACK_PER_LEVEL));
        Engine {
            inner: Arc::new(Inner {
                eval_stack,
                policies,
                calendar,
                names,
                guard,
                cache,
                records,
            }),
        }
    }

    /// Whether decisions are cached: a cache is configured
    /// ([`EngineBuilder::decision_cache`]) and the loaded policies are
    /// exactly the embedded statutory set, for which caching is exact.
    pub fn decision_cache_in_use(&self) -> bool {
        self.inner.cache.is_some()
    }

    /// What the decision cache holds and how often it answered, when it is
    /// in use.
    pub fn decision_cache_stats(&self) -> Option<CacheStats> {
        self.inner.cache.as_ref().map(DecisionCache::stats)
    }

    /// What the record cache (the Cedar records of grants and contractor
    /// entries, [`EngineBuilder::record_cache`]) holds and how often it
    /// answered, when it is in use.
    pub fn record_cache_stats(&self) -> Option<CacheStats> {
        self.inner.records.as_ref().map(RecordCache::stats)
    }

    /// The maximum clock skew of the live-use guard, when one is set
    /// ([`EngineBuilder::max_clock_skew`]).
    pub fn max_clock_skew(&self) -> Option<std::time::Duration> {
        self.inner.guard.as_ref().map(|g| g.max)
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
    /// malformed request built in code, a request outside the clock guard,
    /// a fact source error or a policy evaluation error is a deny that says
    /// so.
    ///
    /// The request is judged against the facts as they stood at its `at`
    /// (DESIGN §7): the grant's status, period, items, methods and purposes
    /// then, and the catalog entry's status then.
    ///
    /// Cedar evaluates a policy recursively, as deep as it nests. The
    /// engine knows how deep its policies go (at most
    /// [`MAX_POLICY_NESTING`](crate::limits::MAX_POLICY_NESTING)); when the
    /// calling thread has less stack left than that needs, the decision
    /// runs on a fresh stack, so it is the same on any thread, however
    /// small its stack (a C host's thread may have 64 KiB).
    pub fn evaluate<F: FactSource + ?Sized>(&self, request: &UsageRequest, facts: &F) -> Decision {
        let need = self.inner.eval_stack;
        stacker::maybe_grow(need, need.saturating_mul(2), || {
            self.evaluate_here(request, facts)
        })
    }

    fn evaluate_here<F: FactSource + ?Sized>(&self, request: &UsageRequest, facts: &F) -> Decision {
        let version = facts.registry_version();
        if let Err(e) = request.check() {
            return self
                .deny_with(
                    None,
                    explain::engine_reason(EngineReason::InvalidRequest, &e.to_string()),
                )
                .with_registry_version(version);
        }
        if let Some(reason) = self.inner.guard.as_ref().and_then(|g| g.check(&request.at)) {
            return self
                .deny_with(request.grant.clone(), reason)
                .with_registry_version(version);
        }
        match self.decide(request, facts) {
            Ok(decision) => decision,
            Err(stop) => self.deny_with(
                request.grant.clone(),
                explain::engine_reason(stop.reason, &stop.detail),
            ),
        }
        .with_registry_version(version)
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

    /// The facts of one request: the requester, the dataset and whether its
    /// provider is registered, the purpose vocabulary, the candidate grants
    /// and the optional overdue-disposal fact.
    fn gather<'f, F: FactSource + ?Sized>(
        &self,
        request: &'f UsageRequest,
        facts: &'f F,
    ) -> Result<Gathered<'f>, Stop> {
        let requester = facts
            .department(&request.requester)
            .map_err(|e| Stop::facts(&e))?;
        let dataset = facts
            .dataset(&request.dataset)
            .map_err(|e| Stop::facts(&e))?;
        let provider_registered = match &dataset {
            Some(d) => facts
                .department(&d.provider)
                .map_err(|e| Stop::facts(&e))?
                .is_some(),
            None => false,
        };
        let purposes = facts.purposes().map_err(|e| Stop::facts(&e))?;

        let mut named_grant_problem = None;
        let candidates: Vec<Cow<'f, Grant>> = match &request.grant {
            Some(id) => match facts.grant(id).map_err(|e| Stop::facts(&e))? {
                Some(g) if g.dataset == request.dataset => vec![g],
                Some(_) => {
                    named_grant_problem = Some((id, NamedGrantProblem::OtherDataset));
                    Vec::new()
                }
                None => {
                    named_grant_problem = Some((id, NamedGrantProblem::NotFound));
                    Vec::new()
                }
            },
            None => {
                let mut all = facts
                    .grants_for(&request.requester, &request.dataset)
                    .map_err(|e| Stop::facts(&e))?;
                // A host's source may return more than asked; judge only
                // grants that are really the requester's for this dataset.
                all.retain(|g| g.requester == request.requester && g.dataset == request.dataset);
                all.sort_by(|a, b| a.id.cmp(&b.id));
                all.dedup_by(|a, b| a.id == b.id);
                if all.len() > MAX_GRANTS_PER_PAIR {
                    return Err(Stop {
                        reason: EngineReason::FactsUnavailable,
                        detail: format!(
                            "the fact source holds {} grants of `{}` on `{}`, more than the \
                             {MAX_GRANTS_PER_PAIR} one requester may hold on one catalog entry",
                            all.len(),
                            request.requester,
                            request.dataset
                        ),
                    });
                }
                all
            }
        };
        let overdue = match (&dataset, self.inner.policies.reads_overdue_fact) {
            (Some(d), true) => self.overdue_with_provider(request, &d.as_of(&request.at), facts)?,
            _ => false,
        };
        let processor = match &request.processor {
            // A host's source may answer with another entry; only the one
            // with the id named is the processor.
            Some(id) => facts
                .contractor(id)
                .map_err(|e| Stop::facts(&e))?
                .filter(|c| &c.id == id),
            None => None,
        };
        let mut holders = facts
            .contractors_of(&request.requester, &request.dataset)
            .map_err(|e| Stop::facts(&e))?;
        holders.retain(|c| c.department == request.requester && c.entrusted_with(&request.dataset));
        holders.sort_by(|a, b| a.id.cmp(&b.id));
        holders.dedup_by(|a, b| a.id == b.id);
        let (grant_digests, processor_digest) =
            if self.inner.records.is_some() || self.inner.cache.is_some() {
                (
                    candidates
                        .iter()
                        .map(|g| facts.content_digest(FactRecord::Grant(g)))
                        .collect(),
                    processor
                        .as_deref()
                        .and_then(|c| facts.content_digest(FactRecord::Contractor(c))),
                )
            } else {
                (Vec::new(), None)
            };
        Ok(Gathered {
            requester,
            dataset,
            provider_registered,
            purposes,
            candidates,
            named_grant_problem,
            overdue,
            processor,
            holders,
            grant_digests,
            processor_digest,
        })
    }

    fn decide<F: FactSource + ?Sized>(
        &self,
        request: &UsageRequest,
        facts: &F,
    ) -> Result<Decision, Stop> {
        let gathered = self.gather(request, facts)?;
        let Some(cache) = self.inner.cache.as_ref() else {
            return self.decide_gathered(request, &gathered);
        };
        let vocabulary = match gathered.purposes.as_deref() {
            Some(v) => match registered_lineage(request, v) {
                Some(bits) => Some(bits),
                None => return self.decide_gathered(request, &gathered),
            },
            None => None,
        };
        let dataset = gathered.dataset.as_deref().map(|d| {
            facts
                .content_digest(FactRecord::Dataset(d))
                .unwrap_or_else(|| ContentDigest::of(d))
        });
        let grants: Vec<ContentDigest> = gathered
            .candidates
            .iter()
            .zip(&gathered.grant_digests)
            .map(|(g, d)| d.unwrap_or_else(|| ContentDigest::of(&**g)))
            .collect();
        let contractor_digest = |c: &Contractor| {
            facts
                .content_digest(FactRecord::Contractor(c))
                .unwrap_or_else(|| ContentDigest::of(c))
        };
        let processor = gathered.processor.as_deref().map(|c| {
            gathered
                .processor_digest
                .unwrap_or_else(|| contractor_digest(c))
        });
        let holders: Vec<ContentDigest> = gathered
            .holders
            .iter()
            .map(|c| contractor_digest(c))
            .collect();
        let key = KeyRef {
            request,
            requester: requester_facts(gathered.requester.as_deref()),
            dataset,
            provider_registered: gathered.provider_registered,
            vocabulary,
            grants: &grants,
            named: gathered.named_grant_problem.map(|(_, p)| p),
            processor,
            holders: &holders,
        };
        if let Some(hit) = cache.get(&key, &request.at) {
            return Ok(self.reused(&hit, request, &gathered));
        }
        let raw: Vec<&Grant> = gathered.candidates.iter().map(|g| &**g).collect();
        let contractors: Vec<&Contractor> = gathered
            .processor
            .iter()
            .chain(&gathered.holders)
            .map(|c| &**c)
            .collect();
        let interval =
            Interval::around(&request.at, &raw, gathered.dataset.as_deref(), &contractors);
        let decision = self.decide_gathered(request, &gathered)?;
        let engine_reason = decision
            .reasons()
            .iter()
            .any(|r| matches!(r.rule, RuleId::Engine(_)));
        if !engine_reason {
            let cites_at = decision.reasons().iter().any(|r| cites_at(&r.rule));
            cache.insert(&key, &decision, interval, cites_at);
        }
        Ok(decision)
    }

    /// A cached decision made again for `request`: fresh id and time, and
    /// the reasons that cite `at` worded for this `at`.
    fn reused(&self, hit: &Cached, request: &UsageRequest, g: &Gathered<'_>) -> Decision {
        let mut decision = hit.decision.renewed();
        if !hit.cites_at {
            return decision;
        }
        let at = &request.at;
        let dataset = g.dataset.as_deref().map(|d| d.as_of(at));
        let grant = decision
            .grant()
            .and_then(|id| g.candidates.iter().find(|c| &c.id == id))
            .map(|c| c.as_of(at));
        let within = purpose_within(g.purposes.as_deref(), &request.purpose);
        let processor = g.processor.as_deref().map(|c| c.as_of(at));
        let situation = Situation {
            request,
            requester: g.requester.as_deref(),
            dataset: dataset.as_deref(),
            grant: grant.as_deref(),
            named_grant_problem: g.named_grant_problem,
            purpose_within: &within,
            processor: processor.as_deref(),
            holders: &g.holders,
        };
        for reason in decision.reasons_mut() {
            if !cites_at(&reason.rule) {
                continue;
            }
            if let Some(rule) = self
                .inner
                .policies
                .rules
                .iter()
                .find(|r| r.id == reason.rule)
            {
                *reason = explain::reason(rule, &situation);
            }
        }
        decision
    }

    /// Decides on gathered facts, judging each candidate as it stood at
    /// the request's `at`.
    fn decide_gathered(&self, request: &UsageRequest, g: &Gathered<'_>) -> Result<Decision, Stop> {
        let at = &request.at;
        let dataset = g.dataset.as_deref().map(|d| d.as_of(at));
        let processor = g.processor.as_deref().map(|c| c.as_of(at));
        let processor_record = match (g.processor.as_deref(), &processor) {
            (Some(stored), Some(as_of)) => {
                self.contractor_value(stored, g.processor_digest, as_of, at)
            }
            _ => None,
        };
        let request_facts = RequestFacts::new(
            request,
            g.requester.as_deref(),
            dataset.as_deref(),
            g.provider_registered,
            g.purposes.as_deref(),
            g.overdue,
        )
        .with_contractor(processor.as_deref())
        .with_contractor_record(processor_record);

        // Candidates are judged in id order: the first that allows wins
        // (no later one is evaluated); otherwise the grant with the fewest
        // broken rules, ties to the smallest id.
        let mut chosen: Option<Judged<'_>> = None;
        if g.candidates.is_empty() {
            chosen = Some(self.judge(&request_facts, None));
        }
        for (i, c) in g.candidates.iter().enumerate() {
            let as_of = c.as_of(at);
            let digest = g.grant_digests.get(i).copied().flatten();
            let record = self.grant_value(c, digest, &as_of, at);
            let judged = self.judge(&request_facts, Some((as_of, record)));
            if judged.allow {
                chosen = Some(judged);
                break;
            }
            if chosen.as_ref().is_none_or(|c| judged.broken() < c.broken()) {
                chosen = Some(judged);
            }
        }
        let Some(chosen) = chosen else {
            return Err(Stop {
                reason: EngineReason::EvaluationError,
                detail: "no evaluation was made".into(),
            });
        };
        let situation = Situation {
            request,
            requester: g.requester.as_deref(),
            dataset: dataset.as_deref(),
            grant: None,
            named_grant_problem: g.named_grant_problem,
            purpose_within: &request_facts.purpose_within,
            processor: processor.as_deref(),
            holders: &g.holders,
        };
        Ok(self.assemble(chosen, situation))
    }

    fn overdue_with_provider<F: FactSource + ?Sized>(
        &self,
        request: &UsageRequest,
        dataset: &Dataset,
        facts: &F,
    ) -> Result<bool, Stop> {
        let grants = facts
            .grants_of(&request.requester)
            .map_err(|e| Stop::facts(&e))?;
        for g in grants.iter().filter(|g| g.requester == request.requester) {
            let provider = match facts.dataset(&g.dataset).map_err(|e| Stop::facts(&e))? {
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
                    return Err(Stop {
                        reason: EngineReason::FactsUnavailable,
                        detail: format!(
                            "cannot tell whether disposal of grant `{}` is overdue: {e}",
                            g.id
                        ),
                    });
                }
            }
        }
        Ok(false)
    }

    /// The Cedar record of a candidate grant as it stood at `at`
    /// (`as_of`), from the record cache when the fact source gave the
    /// stored grant's digest.
    fn grant_value(
        &self,
        stored: &Grant,
        digest: Option<ContentDigest>,
        as_of: &Grant,
        at: &chrono::DateTime<chrono::FixedOffset>,
    ) -> cedar_policy_core::ast::Value {
        let build = || grant_record(&self.inner.names, as_of, at);
        match (&self.inner.records, digest) {
            (Some(records), Some(d)) => records.get_or_build(
                RecordKey::Grant(d),
                at,
                || Interval::around(at, &[stored], None, &[]),
                build,
            ),
            _ => build(),
        }
    }

    /// The processor's Cedar record as its entry stood at `at` (`as_of`),
    /// from the record cache when the fact source gave the stored entry's
    /// digest; `None` leaves it to be built with the context.
    fn contractor_value(
        &self,
        stored: &Contractor,
        digest: Option<ContentDigest>,
        as_of: &Contractor,
        at: &chrono::DateTime<chrono::FixedOffset>,
    ) -> Option<cedar_policy_core::ast::Value> {
        let records = self.inner.records.as_ref()?;
        Some(records.get_or_build(
            RecordKey::Contractor(digest?),
            at,
            || Interval::around(at, &[], None, &[stored]),
            || contractor_record(&self.inner.names, as_of),
        ))
    }

    fn judge<'a>(
        &'a self,
        facts: &RequestFacts<'_>,
        grant: Option<(Cow<'a, Grant>, cedar_policy_core::ast::Value)>,
    ) -> Judged<'a> {
        let inner = &*self.inner;
        let refused = |grant, error: String| Judged {
            grant,
            allow: false,
            rules: Vec::new(),
            errors: vec![error],
        };
        let (grant, record) = match grant {
            Some((g, r)) => (Some(g), Some(r)),
            None => (None, None),
        };
        let request = policy_request(&inner.names, facts, record);
        let verdict = match inner.policies.prepared.evaluate(request) {
            Ok(v) => v,
            Err(e) => return refused(grant, e),
        };
        let mut rules = verdict.rules;
        let errors = verdict.errors;
        rules.sort_unstable();
        let permit = |i: &usize| {
            inner
                .policies
                .rules
                .get(*i)
                .is_some_and(|r| r.id == RuleId::Permit)
        };
        let allow = verdict.allow
            && errors.is_empty()
            && rules.len() == 1
            && rules.first().is_some_and(permit);
        if !allow {
            rules.retain(|i| !permit(i));
        }
        Judged {
            grant,
            allow,
            rules,
            errors,
        }
    }

    fn assemble(&self, judged: Judged<'_>, situation: Situation<'_>) -> Decision {
        let inner = &*self.inner;
        let grant = judged.grant.as_deref();
        let request = situation.request;
        let situation = Situation { grant, ..situation };
        let deciding: Vec<&Rule> = judged
            .rules
            .iter()
            .filter_map(|&i| inner.policies.rules.get(i))
            .collect();
        let mut reasons: Vec<Reason> = deciding
            .iter()
            .map(|r| explain::reason(r, &situation))
            .collect();
        let grant_id = grant.map(|g| g.id.clone());
        let dispose = |g: &Grant| {
            let holdings =
                contractor_holdings(g, situation.holders.iter().map(|c| &**c), &request.at);
            explain::dispose(g, &inner.calendar, &holdings)
        };
        if judged.allow {
            let mut obligations = grant
                .map(|g| vec![explain::record_use(g), dispose(g)])
                .unwrap_or_default();
            // The policies allowed the use through the processor: it is the
            // requester's contractor, entrusted with it.
            if let Some(c) = situation.processor {
                obligations.push(explain::supervise(c));
            }
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
                EngineReason::EvaluationError,
                &judged.errors.join("; "),
            ));
        }
        if reasons.is_empty() {
            reasons.push(explain::engine_reason(EngineReason::DefaultDeny, ""));
        }
        let broke = |rule: StatutoryRule| deciding.iter().any(|r| r.id == RuleId::Statutory(rule));
        // The grant ended: its period or purpose, or the withdrawal of the
        // catalog entry (the grant is as it stood at `at`, so a withdrawal
        // in its history came before).
        let withdrawn = grant.is_some_and(|g| {
            matches!(g.disposal_trigger(), (w, DisposalTrigger::EntryWithdrawn) if w <= request.at)
        });
        let ended =
            broke(StatutoryRule::PeriodEnded) || broke(StatutoryRule::PurposeEnded) || withdrawn;
        let disposed = broke(StatutoryRule::Disposed);
        let obligations = match grant {
            Some(g) if ended && !disposed && g.requester == request.requester => {
                vec![dispose(g)]
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

/// Whether a reason of `rule` cites the time of use itself, and so must be
/// worded again when its decision is reused for another `at`.
fn cites_at(rule: &RuleId) -> bool {
    matches!(
        rule,
        RuleId::Statutory(
            StatutoryRule::NotYetValid
                | StatutoryRule::PeriodEnded
                | StatutoryRule::ProcessorNotEntrusted
        )
    )
}
