//! The record cache: the Cedar records of grants and contractor entries,
//! built once and reused by later decisions.
//!
//! A cold decision builds `context.grant` for each candidate grant and
//! `context.contractor` for the processor: a record of a dozen attributes
//! and four sets, each set a Cedar `Set` with both its ordered and its
//! hashed form. The record is a function of the entry's content and of
//! where `at` falls between the entry's own time boundaries (its period,
//! history, consents, purpose end, disposal, suspension; a contract's
//! period, entrustment and receipts): the same boundaries the decision
//! cache keys on ([`Interval::around`]). So it is cached exactly by the
//! entry's [`ContentDigest`] with the interval of `at` it holds over: a
//! changed entry has another digest, and an `at` outside the interval
//! builds the record afresh and replaces the entry.
//!
//! It is off unless a host sets it ([`crate::EngineBuilder::record_cache`]):
//! on the benchmark's stream, whose grants hold four to six items, looking
//! a record up costs what building it does.
//!
//! Unlike the decision cache, this one does not depend on the policies:
//! the record is what the policies read, whichever they are. It is used
//! only when the fact source supplies the entry's digest
//! ([`crate::FactSource::content_digest`]: the in-memory registry and its
//! replicas do), since hashing an entry to key it costs more than building
//! its record.

use super::cache::{Bounded, CacheLimits, CacheStats, Interval, Weighed};
use crate::digest::ContentDigest;
use cedar_policy_core::ast::Value;
use chrono::{DateTime, FixedOffset};

/// What a cached record is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum RecordKey {
    /// A grant, by its content digest.
    Grant(ContentDigest),
    /// A contractor entry, by its content digest.
    Contractor(ContentDigest),
}

/// A record with the interval of `at` over which it holds.
#[derive(Clone)]
pub(crate) struct CachedRecord {
    interval: Interval,
    value: Value,
    weight: u64,
}

impl Weighed for CachedRecord {
    fn bytes(&self) -> u64 {
        self.weight
    }
}

/// The engine's record cache.
#[derive(Debug)]
pub(crate) struct RecordCache {
    cache: Bounded<RecordKey, CachedRecord>,
}

impl RecordCache {
    /// A cache within `limits`; `None` when they leave no room.
    pub(crate) fn new(limits: CacheLimits) -> Option<Self> {
        Bounded::new(limits).map(|cache| Self { cache })
    }

    /// The record of `key` at `at`: the cached one when `at` lies in its
    /// interval, otherwise `build()`, cached over `interval()`.
    pub(crate) fn get_or_build(
        &self,
        key: RecordKey,
        at: &DateTime<FixedOffset>,
        interval: impl FnOnce() -> Interval,
        build: impl FnOnce() -> Value,
    ) -> Value {
        if let Some(hit) = self.cache.cache.get(&key)
            && hit.interval.contains(at)
        {
            return hit.value;
        }
        let value = build();
        let weight =
            (std::mem::size_of::<(RecordKey, CachedRecord)>() + value_bytes(&value)) as u64;
        self.cache.cache.insert(
            key,
            CachedRecord {
                interval: interval(),
                value: value.clone(),
                weight,
            },
        );
        value
    }

    /// What the cache holds and how often it answered.
    pub(crate) fn stats(&self) -> CacheStats {
        self.cache.stats()
    }
}

/// The bytes a Cedar value holds, about: its node, and for a set both of
/// its forms, for a record its map, each element or attribute counted
/// with what it holds.
fn value_bytes(v: &Value) -> usize {
    use cedar_policy_core::ast::ValueKind;
    const NODE: usize = std::mem::size_of::<Value>();
    match v.value_kind() {
        ValueKind::Lit(_) | ValueKind::ExtensionValue(_) => NODE,
        // The ordered form, the hashed form and their allocations.
        ValueKind::Set(s) => NODE + 96 + s.iter().map(|e| 2 * value_bytes(e)).sum::<usize>(),
        ValueKind::Record(r) => {
            NODE + 64
                + r.iter()
                    .map(|(k, v)| std::mem::size_of_val(k) + k.len() + value_bytes(v))
                    .sum::<usize>()
        }
    }
}
