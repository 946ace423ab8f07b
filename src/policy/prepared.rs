//! The loaded policies, prepared once for evaluation by Cedar's evaluator.
//!
//! `cedar_policy::Authorizer::is_authorized` builds each policy's
//! condition — its scope and `when`/`unless` clauses joined into one
//! expression — afresh on every call, evaluates it, and drops it again;
//! for the statutory policies that was a sixth of a cold decision, spent
//! copying expressions that never change. Here each condition is built
//! once, when the policies are loaded, and every request is evaluated by
//! Cedar's own [`Evaluator`] (`cedar-policy-core`, pinned to the version of
//! `cedar-policy`) against the prepared conditions, with the authorizer's
//! semantics:
//!
//! - a policy whose condition evaluates to `true` is satisfied; one that
//!   fails to evaluate is not, and its error is reported (Cedar's
//!   `ErrorHandling::Skip`);
//! - the answer is allow when some permit policy is satisfied and no
//!   forbid policy is;
//! - the determining policies are the satisfied forbid policies when there
//!   are any, otherwise the satisfied permit policies.
//!
//! The engine turns any error into a deny (it fails closed).
//! `tests/decision_cache.rs` checks, on generated registries and requests,
//! that the engine's outcome and rules equal `Authorizer::is_authorized`'s
//! on the same Cedar requests, and the unit tests below compare the two on
//! policies that error.

use cedar_policy_core::ast::{
    Effect, Expr, Literal, Policy, PolicyID, PolicySet, Request, SlotEnv, ValueKind,
};
use cedar_policy_core::entities::Entities;
use cedar_policy_core::est;
use cedar_policy_core::evaluator::Evaluator;
use cedar_policy_core::extensions::Extensions;

/// One policy with its condition built.
struct PreparedPolicy {
    id: PolicyID,
    effect: Effect,
    /// The position of the policy's rule in the engine's reason order;
    /// `None` for a policy no loaded rule names (never, for policy sets
    /// the loader builds; such a policy decides nothing but an error).
    rule: Option<usize>,
    condition: Expr,
    env: SlotEnv,
}

/// The policies of an engine, prepared.
pub(crate) struct PreparedPolicies {
    policies: Vec<PreparedPolicy>,
    /// Entities the policies may read: none (every fact is in the
    /// context), as with `Entities::empty()`.
    entities: Entities,
}

impl std::fmt::Debug for PreparedPolicies {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedPolicies")
            .field("policies", &self.policies.len())
            .finish_non_exhaustive()
    }
}

/// The condition of `p` without source locations.
///
/// A policy parsed from text carries its location on every node of its
/// condition, and the location holds the policy file's text behind an
/// `Arc`. Cedar's evaluator copies the location of each node it evaluates
/// into the value it returns: two atomic reference-count changes a node,
/// all on the one counter of the file's text, which the threads of a host
/// that share an engine then take turns to own. The same policy read back
/// from Cedar's JSON form (`est`) has no locations; its condition
/// evaluates alike (the tests below, and the agreement of the benchmark's
/// streams with `Authorizer::is_authorized`), and errors are worded alike,
/// since an evaluation error's text never quotes the policy's source. A
/// policy that cannot make the trip (none the loader accepts) keeps its
/// locations.
fn condition_without_locations(p: &Policy) -> Expr {
    if p.env().is_empty()
        && let Ok(bare) = est::Policy::from(p.clone()).try_into_ast_policy(Some(p.id().clone()))
    {
        return bare.condition();
    }
    p.condition()
}

/// What Cedar answered for one request.
#[derive(Debug)]
pub(crate) struct Verdict {
    /// Some permit policy is satisfied and no forbid policy is.
    pub allow: bool,
    /// The determining policies, as positions in the reason order.
    pub rules: Vec<usize>,
    /// Policies that failed to evaluate, worded as Cedar's authorizer
    /// words them.
    pub errors: Vec<String>,
}

impl PreparedPolicies {
    /// Prepares `set`; `rule_of` gives a policy id's position in the
    /// reason order.
    pub(crate) fn new(set: &PolicySet, rule_of: impl Fn(&str) -> Option<usize>) -> Self {
        let policies = set
            .policies()
            .map(|p: &Policy| PreparedPolicy {
                id: p.id().clone(),
                effect: p.effect(),
                rule: rule_of(p.id().as_ref()),
                condition: condition_without_locations(p),
                env: p.env().clone(),
            })
            .collect();
        Self {
            policies,
            entities: Entities::new(),
        }
    }

    /// Evaluates every policy on `request`; an error when a determining
    /// policy has no loaded rule to explain it.
    pub(crate) fn evaluate(&self, request: Request) -> Result<Verdict, String> {
        let evaluator = Evaluator::new(request, &self.entities, Extensions::all_available());
        let mut permits: Vec<&PreparedPolicy> = Vec::new();
        let mut forbids: Vec<&PreparedPolicy> = Vec::new();
        let mut errors = Vec::new();
        for p in &self.policies {
            match evaluator.interpret(&p.condition, &p.env) {
                Ok(v) => match v.value {
                    ValueKind::Lit(Literal::Bool(true)) => match p.effect {
                        Effect::Permit => permits.push(p),
                        Effect::Forbid => forbids.push(p),
                    },
                    ValueKind::Lit(Literal::Bool(false)) => {}
                    other => errors.push(format!(
                        "error while evaluating policy `{}`: its condition is not a boolean but {other:?}",
                        p.id
                    )),
                },
                Err(e) => errors.push(format!("error while evaluating policy `{}`: {e}", p.id)),
            }
        }
        let allow = forbids.is_empty() && !permits.is_empty();
        let determining = if forbids.is_empty() { permits } else { forbids };
        let rules = determining
            .iter()
            .map(|p| {
                p.rule
                    .ok_or_else(|| format!("policy `{}` decided but has no loaded rule", p.id))
            })
            .collect::<Result<Vec<usize>, String>>()?;
        Ok(Verdict {
            allow,
            rules,
            errors,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;
    use cedar_policy::{
        Authorizer, Context, Decision, Entities as PublicEntities, EntityUid, PolicySet as Public,
        Request as PublicRequest,
    };
    use std::collections::BTreeMap;
    use std::str::FromStr;

    /// Cedar names them `policy0` to `policy5`, in this order.
    const POLICIES: &str = r#"
        permit (principal, action, resource);
        forbid (principal, action, resource) when { context.n < 3 };
        forbid (principal, action, resource) when { context.n + 9223372036854775807 > 0 };
        forbid (principal, action, resource) when { context.m == 1 };
        forbid (principal, action == Action::"transfer", resource);
        forbid (principal, action, resource) unless { principal == D::"r0" };
    "#;

    fn order(id: &str) -> Option<usize> {
        id.strip_prefix("policy")?.parse().ok()
    }

    fn uid(s: &str) -> EntityUid {
        EntityUid::from_str(s).unwrap()
    }

    /// Cedar's authorizer and the prepared policies answer alike: the
    /// outcome, the determining policies and the wording of every error.
    #[test]
    fn prepared_policies_answer_as_the_authorizer() {
        let set = Public::from_str(POLICIES).unwrap();
        let prepared = PreparedPolicies::new(set.as_ref(), order);
        // Parsed from text, prepared without locations.
        assert!(
            set.as_ref()
                .policies()
                .all(|p| p.condition().source_loc().is_some())
        );
        assert!(
            prepared
                .policies
                .iter()
                .all(|p| p.condition.source_loc().is_none())
        );
        let authorizer = Authorizer::new();
        let mut seen_errors = 0;
        let mut seen = std::collections::BTreeSet::new();
        for n in [-9_223_372_036_854_775_807_i64, 0, 2, 3, 10] {
            for m in [None, Some(1), Some(2)] {
                for (principal, action) in [
                    (r#"D::"r0""#, r#"Action::"use""#),
                    (r#"D::"r1""#, r#"Action::"use""#),
                    (r#"D::"r0""#, r#"Action::"transfer""#),
                ] {
                    let mut ctx = BTreeMap::new();
                    ctx.insert("n".into(), cedar_policy_core::ast::Value::from(n));
                    if let Some(m) = m {
                        ctx.insert("m".into(), cedar_policy_core::ast::Value::from(m));
                    }
                    let core = cedar_policy_core::ast::Context::Value(std::sync::Arc::new(ctx));
                    let public = PublicRequest::new(
                        uid(principal),
                        uid(action),
                        uid(r#"S::"d""#),
                        Context::from(core.clone()),
                        None,
                    )
                    .unwrap();
                    let known = |s: &str| {
                        cedar_policy_core::ast::EntityUIDEntry::known(uid(s).into(), None)
                    };
                    let ours = prepared
                        .evaluate(Request::new_unchecked(
                            known(principal),
                            known(action),
                            known(r#"S::"d""#),
                            Some(core),
                        ))
                        .unwrap();
                    let theirs = authorizer.is_authorized(&public, &set, &PublicEntities::empty());
                    assert_eq!(ours.allow, theirs.decision() == Decision::Allow);
                    let mut ours_rules = ours.rules.clone();
                    ours_rules.sort_unstable();
                    let mut their_rules: Vec<usize> = theirs
                        .diagnostics()
                        .reason()
                        .map(|id| order(id.as_ref()).unwrap())
                        .collect();
                    their_rules.sort_unstable();
                    assert_eq!(ours_rules, their_rules);
                    let their_errors: Vec<String> = theirs
                        .diagnostics()
                        .errors()
                        .map(ToString::to_string)
                        .collect();
                    assert_eq!(ours.errors, their_errors);
                    seen_errors += ours.errors.len();
                    seen.insert((ours.allow, ours_rules));
                }
            }
        }
        // Both the overflow and the missing attribute were reached, and
        // allows and denies of several rules.
        assert!(seen_errors >= 2, "{seen_errors}");
        assert!(seen.iter().any(|(allow, _)| *allow));
        assert!(seen.len() >= 4, "{seen:?}");
    }

    /// A policy that decides without a loaded rule to explain it is an
    /// error, never a silent allow or an unexplained deny.
    #[test]
    fn a_policy_without_a_rule_is_an_error() {
        let set = Public::from_str("forbid (principal, action, resource);").unwrap();
        let prepared = PreparedPolicies::new(set.as_ref(), |_| None);
        let known = |s: &str| cedar_policy_core::ast::EntityUIDEntry::known(uid(s).into(), None);
        let err = prepared
            .evaluate(Request::new_unchecked(
                known(r#"D::"r0""#),
                known(r#"Action::"use""#),
                known(r#"S::"d""#),
                Some(cedar_policy_core::ast::Context::empty()),
            ))
            .unwrap_err();
        assert!(
            err.contains("policy `policy0` decided but has no loaded rule"),
            "{err}"
        );
    }
}
