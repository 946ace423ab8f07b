//! The registry document parsed with a seed, so that a long parse can
//! report how many records it has read. It accepts exactly what a derived
//! `Deserialize` with `deny_unknown_fields` would.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::model::{Contractor, Dataset, Department, Grant, Purpose};
use crate::progress::{Progress, ProgressStage, REPORT_EVERY};

/// The lists of a registry document: departments, the optional purpose
/// vocabulary, datasets, grants and the optional contractors.
pub(super) struct RegistryDoc {
    pub(super) departments: Vec<Department>,
    pub(super) purposes: Option<Vec<Purpose>>,
    pub(super) datasets: Vec<Dataset>,
    pub(super) grants: Vec<Grant>,
    pub(super) contractors: Option<Vec<Contractor>>,
}

/// Counts the records parsed and reports every [`REPORT_EVERY`].
struct Counter<'p> {
    progress: &'p mut dyn FnMut(Progress),
    parsed: u64,
}

impl Counter<'_> {
    fn tick(&mut self) {
        self.parsed += 1;
        if self.parsed.is_multiple_of(REPORT_EVERY) {
            self.report();
        }
    }

    fn report(&mut self) {
        (self.progress)(Progress {
            stage: ProgressStage::ParseRegistry,
            done: self.parsed,
            total: None,
        });
    }
}

/// The seed of a whole registry document.
pub(super) struct DocSeed<'p> {
    counter: Counter<'p>,
}

impl<'p> DocSeed<'p> {
    pub(super) fn new(progress: &'p mut dyn FnMut(Progress)) -> Self {
        Self {
            counter: Counter {
                progress,
                parsed: 0,
            },
        }
    }
}

const FIELDS: &[&str] = &[
    "departments",
    "purposes",
    "datasets",
    "grants",
    "contractors",
];

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "lowercase")]
enum Field {
    Departments,
    Purposes,
    Datasets,
    Grants,
    Contractors,
}

impl<'de> DeserializeSeed<'de> for DocSeed<'_> {
    type Value = RegistryDoc;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<RegistryDoc, D::Error> {
        d.deserialize_struct("RegistryDoc", FIELDS, self)
    }
}

impl<'de> Visitor<'de> for DocSeed<'_> {
    type Value = RegistryDoc;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("struct RegistryDoc")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<RegistryDoc, A::Error> {
        let mut departments = None;
        let mut purposes = None;
        let mut datasets = None;
        let mut grants = None;
        let mut contractors = None;
        while let Some(key) = map.next_key::<Field>()? {
            match key {
                Field::Departments => {
                    if departments.is_some() {
                        return Err(de::Error::duplicate_field("departments"));
                    }
                    departments = Some(map.next_value_seed(ListSeed::new(&mut self.counter))?);
                }
                Field::Purposes => {
                    if purposes.is_some() {
                        return Err(de::Error::duplicate_field("purposes"));
                    }
                    purposes = Some(map.next_value_seed(ListSeed::new(&mut self.counter))?);
                }
                Field::Datasets => {
                    if datasets.is_some() {
                        return Err(de::Error::duplicate_field("datasets"));
                    }
                    datasets = Some(map.next_value_seed(ListSeed::new(&mut self.counter))?);
                }
                Field::Grants => {
                    if grants.is_some() {
                        return Err(de::Error::duplicate_field("grants"));
                    }
                    grants = Some(map.next_value_seed(ListSeed::new(&mut self.counter))?);
                }
                Field::Contractors => {
                    if contractors.is_some() {
                        return Err(de::Error::duplicate_field("contractors"));
                    }
                    contractors = Some(map.next_value_seed(ListSeed::new(&mut self.counter))?);
                }
            }
        }
        self.counter.report();
        Ok(RegistryDoc {
            departments: departments.ok_or_else(|| de::Error::missing_field("departments"))?,
            purposes,
            datasets: datasets.ok_or_else(|| de::Error::missing_field("datasets"))?,
            grants: grants.ok_or_else(|| de::Error::missing_field("grants"))?,
            contractors,
        })
    }
}

/// The seed of one list of records, counting each.
struct ListSeed<'c, 'p, T> {
    counter: &'c mut Counter<'p>,
    item: PhantomData<T>,
}

impl<'c, 'p, T> ListSeed<'c, 'p, T> {
    fn new(counter: &'c mut Counter<'p>) -> Self {
        Self {
            counter,
            item: PhantomData,
        }
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for ListSeed<'_, '_, T> {
    type Value = Vec<T>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListSeed<'_, '_, T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(value) = seq.next_element()? {
            out.push(value);
            self.counter.tick();
        }
        Ok(out)
    }
}
