//! Loading the Cedar policies: the statutory floor, optional policies a
//! deployment switches on, and local (provincial) policies; strict schema
//! validation; and the rule metadata read from each policy's annotations.
//!
//! Every policy carries `@id`, `@articles`, `@zh` and `@en`. The statutory
//! set must hold exactly the rules of the catalog
//! ([`StatutoryRule::CATALOG`]) and the one permit (`GS-PERMIT`); every
//! other policy may only `forbid`, so nothing loaded beside the floor can
//! lower it.

mod embedded;
mod nesting;
mod prepared;
mod sources;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use cedar_policy::{Effect, PolicyId, PolicySet, Schema, ValidationMode, Validator};
use serde::Serialize;
use sha2::{Digest, Sha256};

use nesting::Syntax;
pub(crate) use prepared::PreparedPolicies;
pub(crate) use sources::{PolicySources, read_policy_file};

use crate::decision::{RuleId, StatutoryRule};
use crate::error::LoadError;
use crate::limits::{MAX_ID_LEN, MAX_POLICY_FILE_BYTES, MAX_POLICY_NESTING};
use crate::text::{code_point, escape_hidden, hidden_in_id, hidden_in_text};

/// The prefix reserved for rules shipped with govshare. Local policies use
/// ids of their own.
const RESERVED_PREFIX: &str = "GS-";

/// Whether a rule allows or forbids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleEffect {
    /// A permit (only `GS-PERMIT`).
    Permit,
    /// A forbid.
    Forbid,
}

impl RuleEffect {
    /// The wire name: `permit` or `forbid`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleEffect::Permit => "permit",
            RuleEffect::Forbid => "forbid",
        }
    }
}

/// Where a rule came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleOrigin {
    /// The statutory floor (`policies/statutory/`).
    Statutory,
    /// A shipped optional policy that the deployment switched on.
    Optional,
    /// A local policy of the deployment.
    Local,
}

impl RuleOrigin {
    /// The wire name: `statutory`, `optional` or `local`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleOrigin::Statutory => "statutory",
            RuleOrigin::Optional => "optional",
            RuleOrigin::Local => "local",
        }
    }
}

impl fmt::Display for RuleEffect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for RuleOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A loaded rule, as its annotations describe it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Rule {
    /// `@id`: the stable rule id.
    pub id: RuleId,
    /// `@articles`: the articles it enforces, such as `25` and `40(2)`.
    pub articles: Vec<String>,
    /// `@zh`: the rule in Chinese.
    pub zh: String,
    /// `@en`: the rule in English.
    pub en: String,
    /// Permit or forbid.
    pub effect: RuleEffect,
    /// Statutory, optional or local.
    pub origin: RuleOrigin,
    /// The file it was loaded from.
    pub file: String,
}

/// One policy file to load.
#[derive(Debug, Clone)]
pub(crate) struct PolicyFile {
    pub name: String,
    pub text: String,
    pub origin: RuleOrigin,
}

/// A rule as a person reads it: id, effect, origin, articles and its
/// statement in both languages, on one line.
impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<26} {:<7} {:<9} 第{}条  {} / {}",
            self.id.as_str(),
            self.effect.as_str(),
            self.origin.as_str(),
            self.articles.join("、"),
            self.zh,
            self.en
        )
    }
}

/// The loaded, validated policy set with its rule metadata.
#[derive(Debug)]
pub(crate) struct LoadedPolicies {
    /// The policy set as Cedar's public API holds it, for the benchmark's
    /// raw-Cedar floor; decisions use `prepared`.
    #[cfg(any(test, feature = "bench-internals"))]
    pub set: PolicySet,
    /// `set` prepared for Cedar's evaluator.
    pub prepared: PreparedPolicies,
    /// Rules in reason order: statutory in catalog order, then optional and
    /// local rules by id.
    pub rules: Vec<Rule>,
    /// `sha256:` and the hex digest of the schema and every policy file.
    pub digest: String,
    /// Whether any policy reads the overdue-disposal fact, which costs a scan
    /// of the requester's grants to compute. Decided from Cedar's own parse
    /// of each policy, so no spelling of the attribute escapes it.
    pub reads_overdue_fact: bool,
    /// The deepest nesting of any loaded policy file (see
    /// [`MAX_POLICY_NESTING`]), which bounds how deep Cedar recurses when it
    /// evaluates them.
    pub nesting: usize,
}

/// The context attribute of the overdue-disposal fact.
pub(crate) const OVERDUE_FACT: &str = "overdue_disposal_with_provider";

/// The stack of the thread that parses and validates policies: Cedar's
/// parser recurses per level of nesting (about 16 KiB a level in an
/// optimized build, 60 KiB unoptimized), so the deepest text
/// [`MAX_POLICY_NESTING`] admits needs about 1 MiB, or 4 MiB unoptimized.
/// The stack is reserved, not used: only the pages touched are allocated.
const LOAD_STACK_BYTES: usize = 64 * 1024 * 1024;

fn check_size(what: &'static str, name: &str, text: &str) -> Result<(), LoadError> {
    if text.len() > MAX_POLICY_FILE_BYTES {
        return Err(LoadError::TooLarge {
            what,
            origin: name.to_owned(),
            size: text.len(),
            max: MAX_POLICY_FILE_BYTES,
        });
    }
    Ok(())
}

fn annotation(policy: &cedar_policy::Policy, key: &str) -> Option<String> {
    policy
        .annotation(key)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// Refuses text nested deeper than [`MAX_POLICY_NESTING`] before Cedar
/// parses it, and returns its depth.
fn check_nesting(
    what: &'static str,
    name: &str,
    text: &str,
    syntax: Syntax,
) -> Result<usize, LoadError> {
    nesting::check(text, syntax, MAX_POLICY_NESTING).map_err(|deep| LoadError::TooDeep {
        what,
        origin: name.to_owned(),
        line: deep.line,
        depth: deep.depth,
        max: MAX_POLICY_NESTING,
    })
}

/// Whether a policy mentions `name` anywhere in Cedar's own JSON form of
/// it: as an attribute read (`context.x`, `context["x"]` however the
/// string is escaped, `context has x`) or a record key. When the JSON form
/// cannot be had, it is taken to mention it (the fact is then computed).
fn mentions(policy: &cedar_policy::Policy, name: &str) -> bool {
    let Ok(json) = policy.to_json() else {
        return true;
    };
    let mut pending = vec![&json];
    while let Some(value) = pending.pop() {
        match value {
            serde_json::Value::String(s) if s == name => return true,
            serde_json::Value::Array(items) => pending.extend(items),
            serde_json::Value::Object(fields) => {
                if fields.contains_key(name) {
                    return true;
                }
                pending.extend(fields.values());
            }
            _ => {}
        }
    }
    false
}

/// Loads and validates a policy set.
///
/// The size and nesting of every text are checked first; then Cedar
/// parses and validates them on a thread of its own with a stack of
/// [`LOAD_STACK_BYTES`], so no text within the limits can overflow a
/// stack, whichever thread the host calls from (a C host's thread may have
/// 64 KiB).
pub(crate) fn load(
    schema: (&str, &str),
    files: &[PolicyFile],
) -> Result<LoadedPolicies, LoadError> {
    let (schema_name, schema_text) = schema;
    check_size("schema", schema_name, schema_text)?;
    check_nesting("schema", schema_name, schema_text, Syntax::Schema)?;
    let mut nesting = 0;
    for file in files {
        check_size("policy file", &file.name, &file.text)?;
        nesting = nesting.max(check_nesting(
            "policy file",
            &file.name,
            &file.text,
            Syntax::Policies,
        )?);
    }
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("govshare-policy-load".into())
            .stack_size(LOAD_STACK_BYTES)
            .spawn_scoped(scope, || parse_and_validate(schema, files, nesting))
            .map_err(|source| LoadError::Thread { source })?;
        match worker.join() {
            Ok(loaded) => loaded,
            // A panic while loading reaches the caller as before (the C
            // ABI's boundary reports it as `PANIC`).
            Err(payload) => std::panic::resume_unwind(payload),
        }
    })
}

/// Parses and validates checked texts (on the loading thread).
fn parse_and_validate(
    schema: (&str, &str),
    files: &[PolicyFile],
    nesting: usize,
) -> Result<LoadedPolicies, LoadError> {
    let (schema_name, schema_text) = schema;
    let schema = Schema::from_cedarschema_str(schema_text)
        .map(|(s, _warnings)| s)
        .map_err(|e| LoadError::Schema {
            origin: schema_name.to_owned(),
            source: Box::new(e),
        })?;

    let mut set = PolicySet::new();
    let mut rules: Vec<Rule> = Vec::new();
    let mut file_of: HashMap<String, String> = HashMap::new();
    let mut reads_overdue_fact = false;
    let mut hasher = Sha256::new();
    hasher.update(schema_name.as_bytes());
    hasher.update([0]);
    hasher.update(schema_text.as_bytes());
    hasher.update([0]);

    for file in files {
        hasher.update(file.name.as_bytes());
        hasher.update([0]);
        hasher.update(file.text.as_bytes());
        hasher.update([0]);
        let parsed = PolicySet::from_str(&file.text).map_err(|e| LoadError::PolicySyntax {
            file: file.name.clone(),
            message: "the file does not parse as Cedar policies".into(),
            source: Some(Box::new(e)),
        })?;
        if let Some(t) = parsed.templates().next() {
            return Err(LoadError::PolicyRejected {
                file: file.name.clone(),
                policy: t.id().to_string(),
                message: "templates are not supported: grants are data, not linked policies".into(),
            });
        }
        let mut policies: Vec<&cedar_policy::Policy> = parsed.policies().collect();
        // Cedar names parsed policies `policy0`, `policy1`, … in source order.
        policies.sort_by_key(|p| {
            p.id()
                .to_string()
                .trim_start_matches("policy")
                .parse::<usize>()
                .unwrap_or(usize::MAX)
        });
        if policies.is_empty() {
            return Err(LoadError::PolicySyntax {
                file: file.name.clone(),
                message: "the file holds no policy".into(),
                source: None,
            });
        }
        for (n, policy) in policies.into_iter().enumerate() {
            let rejected = |policy: &str, message: String| LoadError::PolicyRejected {
                file: file.name.clone(),
                policy: policy.to_owned(),
                message,
            };
            let position = format!("#{} in the file", n + 1);
            let Some(id) = annotation(policy, "id") else {
                return Err(rejected(&position, "missing annotation `@id`".into()));
            };
            if let Err(message) = check_rule_id(&id, file.origin) {
                return Err(rejected(&escape_hidden(&id, false), message));
            }
            for key in ["articles", "zh", "en"] {
                let Some(text) = annotation(policy, key) else {
                    return Err(rejected(&id, format!("missing annotation `@{key}`")));
                };
                if let Some((c, why)) = text
                    .chars()
                    .find_map(|c| hidden_in_text(c).map(|why| (c, why)))
                {
                    return Err(rejected(
                        &id,
                        format!(
                            "annotation `@{key}` contains {why} ({}): rule text must be plain visible text",
                            code_point(c)
                        ),
                    ));
                }
            }
            let articles: Vec<String> = annotation(policy, "articles")
                .unwrap_or_default()
                .split(',')
                .map(|a| a.trim().to_owned())
                .collect();
            if articles.iter().any(String::is_empty) {
                return Err(rejected(&id, "`@articles` has an empty entry".into()));
            }
            let effect = match policy.effect() {
                Effect::Permit => RuleEffect::Permit,
                Effect::Forbid => RuleEffect::Forbid,
            };
            let rule_id = RuleId::from_id(&id);
            match file.origin {
                RuleOrigin::Statutory => {
                    let expected = match rule_id {
                        RuleId::Permit => RuleEffect::Permit,
                        RuleId::Statutory(_) => RuleEffect::Forbid,
                        RuleId::Engine(_) | RuleId::Policy(_) => {
                            return Err(rejected(
                                &id,
                                "not a rule of the statutory catalog; put local rules in local policy files".into(),
                            ));
                        }
                    };
                    if effect != expected {
                        return Err(rejected(
                            &id,
                            format!(
                                "must be a {}",
                                if expected == RuleEffect::Permit {
                                    "permit"
                                } else {
                                    "forbid"
                                }
                            ),
                        ));
                    }
                }
                RuleOrigin::Optional | RuleOrigin::Local => {
                    if effect == RuleEffect::Permit {
                        return Err(rejected(
                            &id,
                            "only `forbid` is allowed outside the statutory set: a permit could lower the statutory floor".into(),
                        ));
                    }
                }
            }
            if let Some(first) = file_of.get(&id) {
                return Err(rejected(
                    &id,
                    format!("duplicate `@id`: already defined in `{first}`"),
                ));
            }
            if !reads_overdue_fact && mentions(policy, OVERDUE_FACT) {
                reads_overdue_fact = true;
            }
            set.add(policy.new_id(PolicyId::new(&id)))
                .map_err(|e| rejected(&id, e.to_string()))?;
            file_of.insert(id.clone(), file.name.clone());
            rules.push(Rule {
                id: rule_id,
                articles,
                zh: annotation(policy, "zh").unwrap_or_default(),
                en: annotation(policy, "en").unwrap_or_default(),
                effect,
                origin: file.origin,
                file: file.name.clone(),
            });
        }
    }

    let present: HashSet<&RuleId> = rules
        .iter()
        .filter(|r| r.origin == RuleOrigin::Statutory)
        .map(|r| &r.id)
        .collect();
    let floor = std::iter::once(RuleId::Permit)
        .chain(StatutoryRule::CATALOG.into_iter().map(RuleId::Statutory));
    for rule in floor {
        if !present.contains(&rule) {
            return Err(LoadError::MissingStatutoryRule {
                rule: rule.as_str().to_owned(),
            });
        }
    }

    let validation = Validator::new(schema).validate(&set, ValidationMode::Strict);
    if let Some(err) = validation.validation_errors().next() {
        let policy = err.policy_id().to_string();
        return Err(LoadError::PolicyRejected {
            file: file_of.get(&policy).cloned().unwrap_or_default(),
            policy,
            message: format!("fails strict validation against the schema: {err}"),
        });
    }

    rules.sort_by_key(rule_rank);
    // Rule id (its text, which is also its Cedar policy id) → position in
    // `rules`.
    let order: HashMap<String, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str().to_owned(), i))
        .collect();
    let digest = format!("sha256:{}", crate::digest::hex(hasher.finalize()));
    // Prepared here, on the loading thread's stack: reading a policy back
    // from Cedar's JSON form recurses as deep as the policy nests.
    let prepared = PreparedPolicies::new(set.as_ref(), |id| order.get(id).copied());
    Ok(LoadedPolicies {
        #[cfg(any(test, feature = "bench-internals"))]
        set,
        prepared,
        rules,
        digest,
        reads_overdue_fact,
        nesting,
    })
}

/// The rule id policy (README, Hostile input). Every id: at most
/// [`MAX_ID_LEN`] bytes with no character a reader cannot see. A local
/// policy's id, which appears in decisions beside the statutory ids: ASCII
/// capital letters, digits and single hyphens (`ZJ-NO-NIGHT-BULK`),
/// starting with a letter, and not starting with `GS` or its look-alike
/// `G5`, so no local rule can read as one govshare ships (`GS‐SCOPE-…`
/// with U+2010 for the hyphen is refused for its first character outside
/// ASCII, `GSCOPE` and `G5-SCOPE` for their prefix).
fn check_rule_id(id: &str, origin: RuleOrigin) -> Result<(), String> {
    if id.len() > MAX_ID_LEN {
        return Err(format!(
            "`@id` is {} bytes long, over the limit of {MAX_ID_LEN}",
            id.len()
        ));
    }
    if let Some((c, why)) = id.chars().find_map(|c| hidden_in_id(c).map(|why| (c, why))) {
        return Err(format!(
            "`@id` contains {why} ({}): rule ids must be plain visible text",
            code_point(c)
        ));
    }
    if origin != RuleOrigin::Local {
        return Ok(());
    }
    if let Some(c) = id
        .chars()
        .find(|c| !(c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Err(format!(
            "a local rule id is written in ASCII capital letters, digits and hyphens only; `{}` ({}) is not one of them",
            escape_hidden(&c.to_string(), false),
            code_point(c)
        ));
    }
    if !id.starts_with(|c: char| c.is_ascii_uppercase()) || id.ends_with('-') || id.contains("--") {
        return Err(
            "a local rule id starts with a letter and has no leading, trailing or double hyphen"
                .into(),
        );
    }
    if ["GS", "G5"].iter().any(|p| id.starts_with(p)) {
        return Err(format!(
            "ids starting with `{RESERVED_PREFIX}` (or reading like it: `GS`, `G5`) are reserved for the rules govshare ships"
        ));
    }
    Ok(())
}

/// Sort key: the permit, the catalog in order, then other rules by id.
fn rule_rank(rule: &Rule) -> (usize, String) {
    match &rule.id {
        RuleId::Permit => (0, String::new()),
        RuleId::Statutory(r) => (1 + r.position(), String::new()),
        RuleId::Engine(_) | RuleId::Policy(_) => (
            1 + StatutoryRule::CATALOG.len(),
            rule.id.as_str().to_owned(),
        ),
    }
}
