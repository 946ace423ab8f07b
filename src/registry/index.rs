//! The registry's indexes of its grants: by id, by requester and dataset,
//! and by requester. Each holds positions in the registry's list of grants
//! (`u32`, four bytes) and nothing else: an entry is found by hashing the
//! ids of the grant at its position, so no id is copied into an index. At a
//! million grants that saves about 90 bytes a grant against a map keyed by
//! owned ids (the id's copy, its allocation and a map entry eight times
//! the size), and loading allocates nothing per grant for its indexes.

use std::hash::{BuildHasher, RandomState};

use hashbrown::HashTable;
use hashbrown::hash_table::Entry;

use crate::model::{DatasetId, DepartmentId, Grant, GrantId};

/// Why a grant cannot join the indexes.
pub(super) enum Refusal {
    /// Another grant has its id.
    Duplicate,
    /// Its requester holds the most grants one requester may hold on its
    /// dataset.
    PairFull,
}

/// Positions of grants, by id, by (requester, dataset) and by requester.
/// Hashing is SipHash with a random key per registry (`RandomState`, as
/// `std`'s maps), since ids come from outside.
#[derive(Debug, Clone, Default)]
pub(super) struct GrantIndex {
    hasher: RandomState,
    by_id: HashTable<u32>,
    /// Every list holds the grants of one requester on one dataset, in load
    /// order, and is never empty: its first grant gives its key.
    by_pair: HashTable<Vec<u32>>,
    /// Every list holds the grants of one requester, in load order, and is
    /// never empty.
    by_requester: HashTable<Vec<u32>>,
}

fn at(grants: &[Grant], position: u32) -> Option<&Grant> {
    grants.get(usize::try_from(position).ok()?)
}

impl GrantIndex {
    /// Indexes for `capacity` grants.
    pub(super) fn with_capacity(capacity: usize) -> Self {
        Self {
            by_id: HashTable::with_capacity(capacity),
            ..Self::default()
        }
    }

    fn id_hash(&self, id: &GrantId) -> u64 {
        self.hasher.hash_one(id.as_str())
    }

    fn pair_hash(&self, requester: &DepartmentId, dataset: &DatasetId) -> u64 {
        self.hasher.hash_one((requester.as_str(), dataset.as_str()))
    }

    fn requester_hash(&self, requester: &DepartmentId) -> u64 {
        self.hasher.hash_one(requester.as_str())
    }

    /// The position of the grant with this id.
    pub(super) fn position(&self, grants: &[Grant], id: &GrantId) -> Option<usize> {
        let &p = self.by_id.find(self.id_hash(id), |&p| {
            at(grants, p).is_some_and(|g| g.id == *id)
        })?;
        usize::try_from(p).ok()
    }

    /// Positions of the grants of `requester` on `dataset`, in load order.
    pub(super) fn pair(
        &self,
        grants: &[Grant],
        requester: &DepartmentId,
        dataset: &DatasetId,
    ) -> &[u32] {
        let first_matches = |list: &Vec<u32>| {
            list.first()
                .and_then(|&p| at(grants, p))
                .is_some_and(|g| g.requester == *requester && g.dataset == *dataset)
        };
        self.by_pair
            .find(self.pair_hash(requester, dataset), first_matches)
            .map_or(&[], Vec::as_slice)
    }

    /// Positions of the grants of `requester`, in load order.
    pub(super) fn of_requester(&self, grants: &[Grant], requester: &DepartmentId) -> &[u32] {
        let first_matches = |list: &Vec<u32>| {
            list.first()
                .and_then(|&p| at(grants, p))
                .is_some_and(|g| g.requester == *requester)
        };
        self.by_requester
            .find(self.requester_hash(requester), first_matches)
            .map_or(&[], Vec::as_slice)
    }

    /// Whether `grant` may join the indexes of `grants` (those indexed so
    /// far): its id is new and its pair has room.
    pub(super) fn admits(&self, grants: &[Grant], grant: &Grant) -> Result<(), Refusal> {
        if self.position(grants, &grant.id).is_some() {
            return Err(Refusal::Duplicate);
        }
        if self.pair(grants, &grant.requester, &grant.dataset).len()
            >= crate::limits::MAX_GRANTS_PER_PAIR
        {
            return Err(Refusal::PairFull);
        }
        Ok(())
    }

    /// Indexes the grant at `position` of `grants`, which
    /// [`GrantIndex::admits`] admitted; a position outside `grants` is
    /// ignored.
    pub(super) fn add(&mut self, grants: &[Grant], position: u32) {
        let Some(grant) = at(grants, position) else {
            return;
        };
        let Self {
            hasher,
            by_id,
            by_pair,
            by_requester,
        } = self;
        // Every position in the tables lies within `grants`: grants are
        // only added, and a replaced grant keeps its position and ids.
        let id_of = |&p: &u32| at(grants, p).map_or(0, |g| hasher.hash_one(g.id.as_str()));
        by_id.insert_unique(hasher.hash_one(grant.id.as_str()), position, id_of);

        let pair_of = |list: &Vec<u32>| {
            list.first().and_then(|&p| at(grants, p)).map_or(0, |g| {
                hasher.hash_one((g.requester.as_str(), g.dataset.as_str()))
            })
        };
        let same_pair = |list: &Vec<u32>| {
            list.first()
                .and_then(|&p| at(grants, p))
                .is_some_and(|g| g.requester == grant.requester && g.dataset == grant.dataset)
        };
        let hash = hasher.hash_one((grant.requester.as_str(), grant.dataset.as_str()));
        match by_pair.entry(hash, same_pair, pair_of) {
            Entry::Occupied(mut e) => e.get_mut().push(position),
            Entry::Vacant(e) => {
                e.insert(vec![position]);
            }
        }

        let requester_of = |list: &Vec<u32>| {
            list.first()
                .and_then(|&p| at(grants, p))
                .map_or(0, |g| hasher.hash_one(g.requester.as_str()))
        };
        let same_requester = |list: &Vec<u32>| {
            list.first()
                .and_then(|&p| at(grants, p))
                .is_some_and(|g| g.requester == grant.requester)
        };
        let hash = hasher.hash_one(grant.requester.as_str());
        match by_requester.entry(hash, same_requester, requester_of) {
            Entry::Occupied(mut e) => e.get_mut().push(position),
            Entry::Vacant(e) => {
                e.insert(vec![position]);
            }
        }
    }
}
