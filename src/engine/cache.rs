//! The exact decision cache. Real traffic repeats itself: a business system
//! asks the same question, for the same purpose and items, many times a day.
//! A decision is a function of
//!
//! - the request without its `at`,
//! - the content of what the decision reads: the candidate grants and the
//!   catalog entry (by [`ContentDigest`]), the contractor the request names
//!   as its processor and every contractor of the requester entrusted with
//!   the dataset (the holders a disposal duty names), the requester's level
//!   and region (the only facts of a department a decision reads besides
//!   its id), whether the provider is registered, and which of the stated
//!   purpose's lineage the purpose vocabulary registers,
//! - the engine's own policies and calendar, and
//! - where `at` falls between the time boundaries of those records.
//!
//! The key is the first two; the value is the decision and the interval of
//! `at`, [`Interval`], between two consecutive boundaries, over which every
//! comparison the engine and the policies make with `at` comes out the same.
//! A changed grant or entry changes its digest, and so the key; a crossed
//! boundary leaves the interval. A hit is the stored decision with a fresh
//! `decision_id` and `decided_at`, and with the reasons that cite `at`
//! itself worded again for the request's `at`.
//!
//! The cache is used only when that argument holds: when the loaded
//! policies are exactly the embedded statutory set (a local or optional
//! policy may compare `at` with anything, and the overdue-disposal fact
//! depends on every grant of the requester and on the calendar at `at`).
//! The clock guard is checked before the cache is asked.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Utc};
use quick_cache::sync::Cache;
use quick_cache::{DefaultHashBuilder, Equivalent, Weighter};

use super::explain::NamedGrantProblem;
use super::request::UsageRequest;
use crate::decision::Decision;
use crate::digest::ContentDigest;
use crate::model::{Contractor, Dataset, Department, Grant, GrantChange, Level, RegionCode};
use crate::time::epoch_micros_ceil;

/// The bounds of one of the engine's caches: at most `entries` entries
/// and about `bytes` bytes of keys and values, whichever comes first.
/// Least-valuable entries are evicted to stay within both.
///
/// # Example
///
/// ```
/// use govshare::{CacheLimits, Engine};
///
/// let engine = Engine::builder()
///     .decision_cache(CacheLimits::new(10_000, 16 << 20))
///     .build()?;
/// assert!(engine.decision_cache_in_use());
/// let uncached = Engine::builder().decision_cache(CacheLimits::disabled()).build()?;
/// assert!(!uncached.decision_cache_in_use());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CacheLimits {
    entries: usize,
    bytes: usize,
}

impl CacheLimits {
    /// The decision cache's default: 65,536 entries, 32 MiB.
    pub const DECISIONS: CacheLimits = CacheLimits::new(65_536, 32 << 20);

    /// A fair bound for the record cache, which is off unless set
    /// ([`crate::EngineBuilder::record_cache`]): 65,536 entries, 16 MiB.
    pub const RECORDS: CacheLimits = CacheLimits::new(65_536, 16 << 20);

    /// At most `entries` entries and about `bytes` bytes.
    pub const fn new(entries: usize, bytes: usize) -> Self {
        Self { entries, bytes }
    }

    /// No cache.
    pub const fn disabled() -> Self {
        Self::new(0, 0)
    }

    /// The most entries.
    pub fn entries(&self) -> usize {
        self.entries
    }

    /// The most bytes, about.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Whether these limits leave no room at all.
    pub fn is_disabled(&self) -> bool {
        self.entries == 0 || self.bytes == 0
    }
}

/// What a cache holds and how often it answered, since the engine was
/// built ([`crate::Engine::decision_cache_stats`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct CacheStats {
    /// Entries held.
    pub entries: usize,
    /// Their weight: bytes, about, counting each entry as no less than its
    /// share of the byte bound.
    pub bytes: u64,
    /// Lookups that found an entry (whether or not its interval held `at`).
    pub hits: u64,
    /// Lookups that found none.
    pub misses: u64,
}

/// The facts of a department a decision reads, besides its id: whether it
/// is registered, its level and its region (the sharing scope and its
/// explanation).
type RequesterFacts<R> = Option<(Level, Option<R>)>;

/// A key as looked up: borrowed from the request and the gathered facts.
pub(crate) struct KeyRef<'a> {
    pub request: &'a UsageRequest,
    pub requester: RequesterFacts<&'a RegionCode>,
    pub dataset: Option<ContentDigest>,
    pub provider_registered: bool,
    /// Which of the stated purpose's lineage the vocabulary registers (bit
    /// `i` for the `i`-th code of the lineage); `None` without one.
    pub vocabulary: Option<u128>,
    /// The candidate grants, in id order.
    pub grants: &'a [ContentDigest],
    pub named: Option<NamedGrantProblem>,
    /// The contractor the request names as its processor, when one has
    /// its id.
    pub processor: Option<ContentDigest>,
    /// The contractors of the requester entrusted with the dataset, in id
    /// order.
    pub holders: &'a [ContentDigest],
}

/// A key as stored.
#[derive(Debug)]
pub(crate) struct DecisionKey {
    request: UsageRequest,
    requester: RequesterFacts<RegionCode>,
    dataset: Option<ContentDigest>,
    provider_registered: bool,
    vocabulary: Option<u128>,
    grants: Box<[ContentDigest]>,
    named: Option<NamedGrantProblem>,
    processor: Option<ContentDigest>,
    holders: Box<[ContentDigest]>,
}

impl KeyRef<'_> {
    pub(crate) fn to_owned(&self) -> DecisionKey {
        DecisionKey {
            request: self.request.clone(),
            requester: self.requester.map(|(l, r)| (l, r.cloned())),
            dataset: self.dataset,
            provider_registered: self.provider_registered,
            vocabulary: self.vocabulary,
            grants: self.grants.into(),
            named: self.named,
            processor: self.processor,
            holders: self.holders.into(),
        }
    }

    /// What the key holds, in bytes, about.
    fn bytes(&self) -> usize {
        let r = self.request;
        std::mem::size_of::<DecisionKey>()
            + r.requester.as_str().len()
            + r.dataset.as_str().len()
            + r.grant.as_ref().map_or(0, |g| g.as_str().len())
            + r.purpose.as_str().len()
            + r.items.iter().map(|i| i.as_str().len() + 24).sum::<usize>()
            + r.recipient.as_ref().map_or(0, |x| x.as_str().len())
            + r.processor.as_ref().map_or(0, |x| x.as_str().len())
            + std::mem::size_of_val(self.grants)
            + std::mem::size_of_val(self.holders)
    }
}

/// The contractors a decision reads, as digests: the processor's and the
/// holders'.
type ContractorDigests<'a> = (Option<&'a ContentDigest>, &'a [ContentDigest]);

/// Hashes the parts of a key, borrowed or owned alike; `at` is left out.
#[expect(
    clippy::too_many_arguments,
    reason = "one argument per part of the key, shared by both key forms"
)]
fn hash_key<H: Hasher>(
    h: &mut H,
    request: &UsageRequest,
    requester: Option<(Level, Option<&RegionCode>)>,
    dataset: Option<&ContentDigest>,
    provider_registered: bool,
    vocabulary: Option<u128>,
    grants: &[ContentDigest],
    named: Option<NamedGrantProblem>,
    contractors: ContractorDigests<'_>,
) {
    request.requester.hash(h);
    request.dataset.hash(h);
    request.grant.hash(h);
    request.action.hash(h);
    request.method.hash(h);
    request.purpose.hash(h);
    request.items.hash(h);
    request.recipient.hash(h);
    request.processor.hash(h);
    requester.hash(h);
    dataset.hash(h);
    provider_registered.hash(h);
    vocabulary.hash(h);
    grants.hash(h);
    named.hash(h);
    contractors.hash(h);
}

/// The request without its `at`.
fn same_request(a: &UsageRequest, b: &UsageRequest) -> bool {
    a.requester == b.requester
        && a.dataset == b.dataset
        && a.grant == b.grant
        && a.action == b.action
        && a.method == b.method
        && a.purpose == b.purpose
        && a.items == b.items
        && a.recipient == b.recipient
        && a.processor == b.processor
}

impl Hash for KeyRef<'_> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        hash_key(
            h,
            self.request,
            self.requester,
            self.dataset.as_ref(),
            self.provider_registered,
            self.vocabulary,
            self.grants,
            self.named,
            (self.processor.as_ref(), self.holders),
        );
    }
}

impl Hash for DecisionKey {
    fn hash<H: Hasher>(&self, h: &mut H) {
        hash_key(
            h,
            &self.request,
            self.requester.as_ref().map(|(l, r)| (*l, r.as_ref())),
            self.dataset.as_ref(),
            self.provider_registered,
            self.vocabulary,
            &self.grants,
            self.named,
            (self.processor.as_ref(), &self.holders),
        );
    }
}

impl PartialEq for DecisionKey {
    fn eq(&self, other: &Self) -> bool {
        same_request(&self.request, &other.request)
            && self.requester == other.requester
            && self.dataset == other.dataset
            && self.provider_registered == other.provider_registered
            && self.vocabulary == other.vocabulary
            && self.grants == other.grants
            && self.named == other.named
            && self.processor == other.processor
            && self.holders == other.holders
    }
}

impl Eq for DecisionKey {}

impl Equivalent<DecisionKey> for KeyRef<'_> {
    fn equivalent(&self, key: &DecisionKey) -> bool {
        same_request(self.request, &key.request)
            && self.requester == key.requester.as_ref().map(|(l, r)| (*l, r.as_ref()))
            && self.dataset == key.dataset
            && self.provider_registered == key.provider_registered
            && self.vocabulary == key.vocabulary
            && *self.grants == *key.grants
            && self.named == key.named
            && self.processor == key.processor
            && *self.holders == *key.holders
    }
}

/// The interval `[from, until)` of `at` over which a decision holds;
/// `None` is unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Interval {
    pub from: Option<DateTime<FixedOffset>>,
    pub until: Option<DateTime<FixedOffset>>,
}

impl Interval {
    pub(crate) fn contains(&self, at: &DateTime<FixedOffset>) -> bool {
        self.from.is_none_or(|f| f <= *at) && self.until.is_none_or(|u| *at < u)
    }

    /// The interval around `at` between consecutive boundaries.
    ///
    /// Every comparison a decision makes with `at` has the form `at >= b`
    /// (or its negation `at < b`) for a boundary `b` derived from an
    /// instant `t` of a record: `t` itself (the grant's history, consents,
    /// the entry's withdrawal, a suspension record, a contractor entry's
    /// history and receipts, compared as instants),
    /// or `t` rounded down or up to the microsecond (the policies compare
    /// `at` rounded down with ends rounded down and starts rounded up:
    /// `floor(at) < k` exactly when `at < k` for a whole microsecond `k`).
    /// Such a comparison cannot change between consecutive boundaries.
    pub(crate) fn around(
        at: &DateTime<FixedOffset>,
        grants: &[&Grant],
        dataset: Option<&Dataset>,
        contractors: &[&Contractor],
    ) -> Interval {
        let mut interval = Interval {
            from: None,
            until: None,
        };
        let mut consider = |t: DateTime<FixedOffset>| {
            for b in [Some(t), floor_micros(&t), ceil_micros(&t)]
                .into_iter()
                .flatten()
            {
                if b <= *at {
                    if interval.from.is_none_or(|f| f < b) {
                        interval.from = Some(b);
                    }
                } else if interval.until.is_none_or(|u| b < u) {
                    interval.until = Some(b);
                }
            }
        };
        for g in grants {
            instants(g, &mut consider);
        }
        if let Some(w) = dataset.and_then(|d| d.withdrawn.as_ref()) {
            consider(w.at);
        }
        for c in contractors {
            contractor_instants(c, &mut consider);
        }
        interval
    }
}

/// Every instant of a contractor entry that a decision compares `at`
/// with: the contract's period, the recorded entrustment and its end, the
/// disposal receipts.
fn contractor_instants(c: &Contractor, consider: &mut impl FnMut(DateTime<FixedOffset>)) {
    consider(c.contract.valid_from);
    consider(c.contract.valid_until);
    for e in &c.history {
        consider(e.at);
    }
    for d in &c.disposals {
        consider(d.at);
    }
}

/// Every instant of a grant that a decision compares `at` with.
fn instants(g: &Grant, consider: &mut impl FnMut(DateTime<FixedOffset>)) {
    consider(g.valid_from);
    consider(g.valid_until);
    for e in &g.history {
        consider(e.at);
        if let GrantChange::Renewed { valid_until } = e.change {
            consider(valid_until);
        }
    }
    for c in &g.consents {
        consider(c.at);
    }
    if let Some(e) = &g.ended {
        consider(e.at);
    }
    if let Some(d) = &g.disposed {
        consider(d.at);
    }
    if let Some(s) = &g.suspension {
        consider(s.at);
    }
}

fn floor_micros(t: &DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    DateTime::<Utc>::from_timestamp_micros(t.timestamp_micros()).map(|u| u.fixed_offset())
}

fn ceil_micros(t: &DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    DateTime::<Utc>::from_timestamp_micros(epoch_micros_ceil(t)).map(|u| u.fixed_offset())
}

/// A decision as stored, with the interval it holds over.
#[derive(Debug)]
pub(crate) struct Cached {
    pub decision: Decision,
    pub interval: Interval,
    /// Whether a reason cites `at` itself and must be worded again.
    pub cites_at: bool,
    weight: u64,
}

/// An entry of one of the engine's caches that knows its weight: its
/// bytes, about.
pub(super) trait Weighed {
    fn bytes(&self) -> u64;
}

impl Weighed for Arc<Cached> {
    fn bytes(&self) -> u64 {
        self.weight
    }
}

/// Weighs an entry by its bytes, and no less than the share of one entry
/// in the byte bound, so the total weight bounds the entries too.
#[derive(Debug, Clone)]
pub(super) struct ByBytes {
    floor: u64,
}

impl<K, V: Weighed> Weighter<K, V> for ByBytes {
    fn weight(&self, _key: &K, value: &V) -> u64 {
        value.bytes().max(self.floor)
    }
}

/// One of the engine's caches, bounded by [`CacheLimits`].
pub(super) struct Bounded<K, V> {
    pub(super) cache: Cache<K, V, ByBytes>,
    limits: CacheLimits,
}

impl<K, V> std::fmt::Debug for Bounded<K, V>
where
    K: Eq + Hash,
    V: Weighed + Clone,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Bounded")
            .field("limits", &self.limits)
            .field("entries", &self.cache.len())
            .field("weight", &self.cache.weight())
            .finish()
    }
}

impl<K, V> Bounded<K, V>
where
    K: Eq + Hash,
    V: Weighed + Clone,
{
    /// A cache within `limits`; `None` when they leave no room.
    pub(super) fn new(limits: CacheLimits) -> Option<Self> {
        if limits.is_disabled() {
            return None;
        }
        let bytes = limits.bytes as u64;
        let floor = (bytes / limits.entries as u64).max(1);
        Some(Self {
            cache: Cache::with(
                limits.entries.min(16_384),
                bytes,
                ByBytes { floor },
                DefaultHashBuilder::default(),
                Default::default(),
            ),
            limits,
        })
    }

    /// What the cache holds and how often it answered.
    pub(super) fn stats(&self) -> CacheStats {
        CacheStats {
            entries: self.cache.len(),
            bytes: self.cache.weight(),
            hits: self.cache.hits(),
            misses: self.cache.misses(),
        }
    }
}

/// The engine's decision cache.
#[derive(Debug)]
pub(crate) struct DecisionCache {
    cache: Bounded<DecisionKey, Arc<Cached>>,
}

impl DecisionCache {
    /// A cache within `limits`; `None` when they leave no room.
    pub(crate) fn new(limits: CacheLimits) -> Option<Self> {
        Bounded::new(limits).map(|cache| Self { cache })
    }

    /// The stored decision for `key`, when `at` lies in its interval.
    pub(crate) fn get(&self, key: &KeyRef<'_>, at: &DateTime<FixedOffset>) -> Option<Arc<Cached>> {
        self.cache
            .cache
            .get(key)
            .filter(|c| c.interval.contains(at))
    }

    /// Stores `decision` for `key` over `interval`.
    pub(crate) fn insert(
        &self,
        key: &KeyRef<'_>,
        decision: &Decision,
        interval: Interval,
        cites_at: bool,
    ) {
        let weight = (key.bytes() + decision.approx_bytes() + std::mem::size_of::<Cached>()) as u64;
        self.cache.cache.insert(
            key.to_owned(),
            Arc::new(Cached {
                decision: decision.clone(),
                interval,
                cites_at,
                weight,
            }),
        );
    }

    /// What the cache holds and how often it answered.
    pub(crate) fn stats(&self) -> CacheStats {
        self.cache.stats()
    }
}

/// Which codes of the stated purpose's lineage a vocabulary registers, one
/// bit each; `None` past 128 codes (then the decision is not cached).
pub(crate) fn registered_lineage(
    request: &UsageRequest,
    vocabulary: &crate::model::PurposeVocabulary,
) -> Option<u128> {
    let mut bits = 0u128;
    for (i, code) in request.purpose.lineage().enumerate() {
        if i >= 128 {
            return None;
        }
        if vocabulary.contains(code) {
            bits |= 1 << i;
        }
    }
    Some(bits)
}

/// The requester's facts for the key.
pub(crate) fn requester_facts(d: Option<&Department>) -> RequesterFacts<&RegionCode> {
    d.map(|d| (d.level, d.region.as_ref()))
}
