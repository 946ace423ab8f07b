//! The facts a decision needs: the in-memory [`Registry`] loaded from JSON,
//! the [`FactSource`] trait through which a host can serve the same facts
//! from its own database, the checked changes that are the one way a loaded
//! registry changes, and where each grant stands with respect to disposal.

mod change;
mod consistency;
mod disposal;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

pub use change::CheckedChange;
pub use disposal::{DisposalEntry, DisposalState, disposal_due, disposal_state, overdue_disposals};

use crate::error::{FactError, LoadError, TransitionError};
use crate::input::{ObjectError, check_json_depth, parse_object, read_text};
use crate::limits::{MAX_JSON_DEPTH, MAX_REGISTRY_BYTES};
use crate::model::{Dataset, DatasetId, Department, DepartmentId, Grant, GrantId};

/// Where the engine gets the facts of one request: the requester, the
/// dataset and the candidate grants. [`Registry`] implements it; a host can
/// implement it over its own store.
///
/// Any error is reported in the decision, which is then a deny.
pub trait FactSource {
    /// The registered department with this id, if any.
    ///
    /// # Errors
    ///
    /// A [`FactError`] when the source cannot answer.
    fn department(&self, id: &DepartmentId) -> Result<Option<Cow<'_, Department>>, FactError>;

    /// The catalog entry with this id, if any.
    ///
    /// # Errors
    ///
    /// A [`FactError`] when the source cannot answer.
    fn dataset(&self, id: &DatasetId) -> Result<Option<Cow<'_, Dataset>>, FactError>;

    /// The grant with this id, if any.
    ///
    /// # Errors
    ///
    /// A [`FactError`] when the source cannot answer.
    fn grant(&self, id: &GrantId) -> Result<Option<Cow<'_, Grant>>, FactError>;

    /// Every grant of `requester` for `dataset`, in any order.
    ///
    /// # Errors
    ///
    /// A [`FactError`] when the source cannot answer.
    fn grants_for(
        &self,
        requester: &DepartmentId,
        dataset: &DatasetId,
    ) -> Result<Vec<Cow<'_, Grant>>, FactError>;

    /// Every grant of `requester`, for any dataset. Only the optional policy
    /// `block-while-disposal-overdue` needs it (Art. 40(4)); a source that
    /// cannot list them keeps the default, and any request judged under that
    /// policy is then denied with the reason.
    ///
    /// # Errors
    ///
    /// A [`FactError`] when the source cannot answer.
    fn grants_of(&self, requester: &DepartmentId) -> Result<Vec<Cow<'_, Grant>>, FactError> {
        Err(FactError::new(format!(
            "this fact source cannot list the grants of `{requester}`"
        )))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistryDoc {
    departments: Vec<Department>,
    datasets: Vec<Dataset>,
    grants: Vec<Grant>,
}

#[derive(Serialize)]
struct RegistryDocRef<'a> {
    departments: &'a [Department],
    datasets: &'a [Dataset],
    grants: &'a [Grant],
}

/// The catalog and the grants, held in memory and indexed for the lookups a
/// decision makes.
///
/// # Example
///
/// ```
/// use govshare::{DepartmentId, FactSource, Registry};
///
/// let registry = Registry::from_json_str(
///     r#"{"departments": [{"id": "hz-amr", "name": "杭州市市场监督管理局", "level": "municipal"}],
///         "datasets": [], "grants": []}"#,
/// )?;
/// assert!(registry.department(&DepartmentId::new("hz-amr")?)?.is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Registry {
    departments: Vec<Department>,
    datasets: Vec<Dataset>,
    grants: Vec<Grant>,
    department_index: HashMap<DepartmentId, usize>,
    dataset_index: HashMap<DatasetId, usize>,
    grant_index: HashMap<GrantId, usize>,
    pair_index: HashMap<(DepartmentId, DatasetId), Vec<usize>>,
    requester_index: HashMap<DepartmentId, Vec<usize>>,
}

impl Registry {
    /// Builds a registry from records.
    ///
    /// # Errors
    ///
    /// [`LoadError::DuplicateId`] when two departments, datasets or grants
    /// share an id; [`LoadError::Grant`] when a grant's records contradict
    /// each other (status `active` with a suspension record) or record an
    /// event dated past [`crate::limits::MAX_EVENT_LEAD_SECONDS`] from now.
    pub fn from_parts(
        departments: Vec<Department>,
        datasets: Vec<Dataset>,
        grants: Vec<Grant>,
    ) -> Result<Self, LoadError> {
        Self::build("<memory>", departments, datasets, grants)
    }

    fn build(
        origin: &str,
        departments: Vec<Department>,
        datasets: Vec<Dataset>,
        grants: Vec<Grant>,
    ) -> Result<Self, LoadError> {
        let dup = |kind: &'static str, id: &str| LoadError::DuplicateId {
            origin: origin.to_owned(),
            kind,
            id: id.to_owned(),
        };
        let mut department_index = HashMap::with_capacity(departments.len());
        for (i, d) in departments.iter().enumerate() {
            if department_index.insert(d.id.clone(), i).is_some() {
                return Err(dup("department", d.id.as_str()));
            }
        }
        let mut dataset_index = HashMap::with_capacity(datasets.len());
        for (i, d) in datasets.iter().enumerate() {
            if dataset_index.insert(d.id.clone(), i).is_some() {
                return Err(dup("dataset", d.id.as_str()));
            }
        }
        let mut grant_index = HashMap::with_capacity(grants.len());
        let mut pair_index: HashMap<(DepartmentId, DatasetId), Vec<usize>> = HashMap::new();
        let mut requester_index: HashMap<DepartmentId, Vec<usize>> = HashMap::new();
        let now = chrono::Utc::now();
        for (i, g) in grants.iter().enumerate() {
            if grant_index.insert(g.id.clone(), i).is_some() {
                return Err(dup("grant", g.id.as_str()));
            }
            consistency::check_grant(g, now).map_err(|message| LoadError::Grant {
                origin: origin.to_owned(),
                grant: g.id.to_string(),
                message,
            })?;
            pair_index
                .entry((g.requester.clone(), g.dataset.clone()))
                .or_default()
                .push(i);
            requester_index
                .entry(g.requester.clone())
                .or_default()
                .push(i);
        }
        Ok(Self {
            departments,
            datasets,
            grants,
            department_index,
            dataset_index,
            grant_index,
            pair_index,
            requester_index,
        })
    }

    /// Parses a registry in the wire format (DESIGN §4).
    ///
    /// # Errors
    ///
    /// [`LoadError::RegistryJson`] naming the value, line, column and
    /// problem (unknown or missing key, bad value, bad id or timestamp),
    /// [`LoadError::Registry`] for a document that is not an object or is
    /// nested too deeply, [`LoadError::TooLarge`] over
    /// [`crate::limits::MAX_REGISTRY_BYTES`], [`LoadError::DuplicateId`], or
    /// [`LoadError::Grant`] (see [`Registry::from_parts`]).
    pub fn from_json_str(json: &str) -> Result<Self, LoadError> {
        let origin = "<memory>";
        if json.len() > MAX_REGISTRY_BYTES {
            return Err(LoadError::TooLarge {
                what: "registry",
                origin: origin.to_owned(),
                size: json.len(),
                max: MAX_REGISTRY_BYTES,
            });
        }
        if let Err(depth) = check_json_depth(json, MAX_JSON_DEPTH) {
            return Err(LoadError::Registry {
                origin: origin.to_owned(),
                message: format!(
                    "JSON nested deeper than {MAX_JSON_DEPTH} levels (reached {depth})"
                ),
            });
        }
        let doc: RegistryDoc = parse_object(json).map_err(|e| match e {
            ObjectError::NotAnObject => LoadError::Registry {
                origin: origin.to_owned(),
                message: "a registry must be a JSON object".into(),
            },
            ObjectError::Json { location, source } => LoadError::RegistryJson {
                origin: origin.to_owned(),
                location,
                source,
            },
        })?;
        Self::build(origin, doc.departments, doc.datasets, doc.grants)
    }

    /// Reads and parses a registry file. Only a regular file is read (a
    /// FIFO, a directory or a device is refused before a byte is read), and
    /// no more than [`crate::limits::MAX_REGISTRY_BYTES`] of it.
    ///
    /// # Errors
    ///
    /// As [`Registry::from_json_str`], plus [`LoadError::Io`] when the file
    /// cannot be read or is not a regular file.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, LoadError> {
        let path = path.as_ref();
        let text = read_text(path, MAX_REGISTRY_BYTES)
            .map_err(|e| e.into_load("registry", path, MAX_REGISTRY_BYTES))?;
        Self::from_json_str(&text).map_err(|e| e.with_origin(&path.display().to_string()))
    }

    /// The registry in the wire format.
    pub fn to_json(&self) -> String {
        let doc = RegistryDocRef {
            departments: &self.departments,
            datasets: &self.datasets,
            grants: &self.grants,
        };
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    }

    /// All departments, in load order.
    pub fn departments(&self) -> &[Department] {
        &self.departments
    }

    /// All catalog entries, in load order.
    pub fn datasets(&self) -> &[Dataset] {
        &self.datasets
    }

    /// All grants, in load order.
    pub fn grants(&self) -> &[Grant] {
        &self.grants
    }

    /// The department with this id.
    pub fn get_department(&self, id: &DepartmentId) -> Option<&Department> {
        self.department_index
            .get(id)
            .and_then(|&i| self.departments.get(i))
    }

    /// The catalog entry with this id.
    pub fn get_dataset(&self, id: &DatasetId) -> Option<&Dataset> {
        self.dataset_index
            .get(id)
            .and_then(|&i| self.datasets.get(i))
    }

    /// The grant with this id.
    pub fn get_grant(&self, id: &GrantId) -> Option<&Grant> {
        self.grant_index.get(id).and_then(|&i| self.grants.get(i))
    }

    /// Every grant of `requester` for `dataset`, in load order.
    pub fn iter_grants_for(
        &self,
        requester: &DepartmentId,
        dataset: &DatasetId,
    ) -> impl Iterator<Item = &Grant> {
        // The pair index is keyed by owned ids; a lookup clones two short
        // strings rather than keeping a second, borrowed index.
        self.pair_index
            .get(&(requester.clone(), dataset.clone()))
            .into_iter()
            .flatten()
            .filter_map(|&i| self.grants.get(i))
    }

    /// Replaces a grant by its new state (a committed change).
    fn replace_grant(&mut self, grant: Grant) -> Result<(), TransitionError> {
        let slot = self
            .grant_index
            .get(&grant.id)
            .and_then(|&i| self.grants.get_mut(i));
        match slot {
            Some(slot) => {
                *slot = grant;
                Ok(())
            }
            None => Err(TransitionError::UnknownGrant {
                grant: grant.id.to_string(),
            }),
        }
    }

    /// Adds an approved grant (a committed change).
    fn insert_grant(&mut self, grant: Grant) -> Result<(), TransitionError> {
        if self.grant_index.contains_key(&grant.id) {
            return Err(TransitionError::DuplicateGrant {
                grant: grant.id.to_string(),
            });
        }
        let i = self.grants.len();
        self.grant_index.insert(grant.id.clone(), i);
        self.pair_index
            .entry((grant.requester.clone(), grant.dataset.clone()))
            .or_default()
            .push(i);
        self.requester_index
            .entry(grant.requester.clone())
            .or_default()
            .push(i);
        self.grants.push(grant);
        Ok(())
    }

    /// Every grant of `requester`, in load order.
    pub fn iter_grants_of(&self, requester: &DepartmentId) -> impl Iterator<Item = &Grant> {
        self.requester_index
            .get(requester)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.grants.get(i))
    }
}

impl FactSource for Registry {
    fn department(&self, id: &DepartmentId) -> Result<Option<Cow<'_, Department>>, FactError> {
        Ok(self.get_department(id).map(Cow::Borrowed))
    }

    fn dataset(&self, id: &DatasetId) -> Result<Option<Cow<'_, Dataset>>, FactError> {
        Ok(self.get_dataset(id).map(Cow::Borrowed))
    }

    fn grant(&self, id: &GrantId) -> Result<Option<Cow<'_, Grant>>, FactError> {
        Ok(self.get_grant(id).map(Cow::Borrowed))
    }

    fn grants_for(
        &self,
        requester: &DepartmentId,
        dataset: &DatasetId,
    ) -> Result<Vec<Cow<'_, Grant>>, FactError> {
        Ok(self
            .iter_grants_for(requester, dataset)
            .map(Cow::Borrowed)
            .collect())
    }

    fn grants_of(&self, requester: &DepartmentId) -> Result<Vec<Cow<'_, Grant>>, FactError> {
        Ok(self.iter_grants_of(requester).map(Cow::Borrowed).collect())
    }
}
