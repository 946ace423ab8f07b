//! The facts a decision needs: the in-memory [`Registry`] loaded from JSON,
//! the [`FactSource`] trait through which a host can serve the same facts
//! from its own database, the checked changes that are the one way a loaded
//! registry changes (with who may make each, and when), and where each
//! grant, and each contractor holding its data, stands with respect to
//! disposal.

mod authority;
mod change;
mod consistency;
mod disposal;
mod entrustment;
mod index;
mod parse;

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

use serde::Serialize;

pub use change::{CheckedChange, DEFAULT_CLOCK_TOLERANCE};
pub(crate) use disposal::{ContractorHolding, HoldingTrigger, contractor_holdings, holding_due};
pub use disposal::{DisposalEntry, DisposalState, disposal_due, disposal_state, overdue_disposals};

use crate::digest::ContentDigest;
use crate::error::{FactError, IdError, LoadError, TransitionError};
use crate::input::{ObjectError, check_json_depth, open_regular, parse_object_seed};
use crate::limits::{MAX_GRANTS_PER_PAIR, MAX_JSON_DEPTH, MAX_REGISTRY_BYTES};
use crate::model::{
    Contractor, ContractorId, Dataset, DatasetId, Department, DepartmentId, Grant, GrantId,
    Purpose, PurposeVocabulary,
};
use crate::progress::{Progress, ProgressStage, REPORT_EVERY, ignore};
use index::{GrantIndex, Refusal};

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

    /// The version of the facts, when they come from a store: the sequence
    /// number of the last change applied. A decision carries it as
    /// `registry_version`. `None` (the default) for facts with no version.
    fn registry_version(&self) -> Option<u64> {
        None
    }

    /// The registered purpose vocabulary (DESIGN §7), if the source keeps
    /// one. With one, a stated purpose must be registered and "under a
    /// granted purpose" counts only between registered codes; a source
    /// that keeps none keeps the default, and purposes are judged by their
    /// dot-separated codes alone.
    ///
    /// # Errors
    ///
    /// A [`FactError`] when the source cannot answer.
    fn purposes(&self) -> Result<Option<Cow<'_, PurposeVocabulary>>, FactError> {
        Ok(None)
    }

    /// The [`ContentDigest`] of a record this source returned, when the
    /// source keeps one, so that the engine's decision cache need not
    /// digest the record per request. [`Registry`] keeps them (a grant's
    /// from the first time it is asked for). A source that answers must
    /// answer `ContentDigest::of(record)` (or another digest that only this
    /// content has); the default, `None`, has the engine compute it.
    fn content_digest(&self, record: FactRecord<'_>) -> Option<ContentDigest> {
        let _ = record;
        None
    }

    /// The contractor entry with this id (受托方, Art. 36), if any: the
    /// engine asks for it when a request names a `processor`. A source
    /// that keeps no contractors keeps the default, which knows none, so
    /// every request through a processor is denied.
    ///
    /// # Errors
    ///
    /// A [`FactError`] when the source cannot answer.
    fn contractor(&self, id: &ContractorId) -> Result<Option<Cow<'_, Contractor>>, FactError> {
        let _ = id;
        Ok(None)
    }

    /// Every contractor of `department` entrusted with `dataset`, in any
    /// order: the holders of the data besides the department, named by a
    /// disposal duty. The default knows none; a source that keeps
    /// contractors answers both this and [`FactSource::contractor`].
    ///
    /// # Errors
    ///
    /// A [`FactError`] when the source cannot answer.
    fn contractors_of(
        &self,
        department: &DepartmentId,
        dataset: &DatasetId,
    ) -> Result<Vec<Cow<'_, Contractor>>, FactError> {
        let _ = (department, dataset);
        Ok(Vec::new())
    }
}

/// A record a decision reads, as [`FactSource::content_digest`] is asked
/// for its digest.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub enum FactRecord<'a> {
    /// A catalog entry.
    Dataset(&'a Dataset),
    /// A grant.
    Grant(&'a Grant),
    /// A contractor entry.
    Contractor(&'a Contractor),
}

#[derive(Serialize)]
struct RegistryDocRef<'a> {
    departments: &'a [Department],
    #[serde(skip_serializing_if = "Option::is_none")]
    purposes: Option<&'a [Purpose]>,
    datasets: &'a [Dataset],
    grants: &'a [Grant],
    #[serde(skip_serializing_if = "<[Contractor]>::is_empty")]
    contractors: &'a [Contractor],
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
    /// The content digest of each catalog entry, by position.
    dataset_digests: Vec<ContentDigest>,
    /// The content digest of each grant, by position, computed when first
    /// asked for (by the engine's decision cache), so that loading a large
    /// registry does not digest grants no request reads.
    grant_digests: Vec<OnceLock<ContentDigest>>,
    purposes: Option<PurposeVocabulary>,
    /// The contractor entries (Art. 36), their content digests by
    /// position, and their positions by id and by entrusting department.
    contractors: Vec<Contractor>,
    contractor_digests: Vec<ContentDigest>,
    contractor_index: HashMap<ContractorId, usize>,
    department_contractors: HashMap<DepartmentId, Vec<usize>>,
    department_index: HashMap<DepartmentId, usize>,
    dataset_index: HashMap<DatasetId, usize>,
    /// Positions in `grants` by id, by requester and dataset, and by
    /// requester, as `u32` (a registry within `MAX_REGISTRY_BYTES` holds
    /// far fewer grants).
    grant_index: GrantIndex,
    /// See [`Registry::clock_tolerance`].
    clock_tolerance: Option<std::time::Duration>,
    /// See [`Registry::version`].
    version: Option<u64>,
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
        Self::build("<memory>", departments, datasets, grants, &mut ignore)
    }

    fn build(
        origin: &str,
        departments: Vec<Department>,
        datasets: Vec<Dataset>,
        grants: Vec<Grant>,
        progress: &mut dyn FnMut(Progress),
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
        let mut grant_index = GrantIndex::with_capacity(grants.len());
        let total = Some(grants.len() as u64);
        let report = |done: usize| Progress {
            stage: ProgressStage::IndexRegistry,
            done: done as u64,
            total,
        };
        let now = chrono::Utc::now();
        for (i, g) in grants.iter().enumerate() {
            if (i as u64).is_multiple_of(REPORT_EVERY) {
                progress(report(i));
            }
            match grant_index.admits(&grants, g) {
                Ok(()) => {}
                Err(Refusal::Duplicate) => return Err(dup("grant", g.id.as_str())),
                Err(Refusal::PairFull) => {
                    return Err(LoadError::Grant {
                        origin: origin.to_owned(),
                        grant: g.id.to_string(),
                        message: too_many_on_pair(g),
                    });
                }
            }
            check_history(g)
                .and_then(|()| consistency::check_grant(g, now))
                .map_err(|message| LoadError::Grant {
                    origin: origin.to_owned(),
                    grant: g.id.to_string(),
                    message,
                })?;
            let position = u32::try_from(i).map_err(|_| LoadError::Registry {
                origin: origin.to_owned(),
                message: format!("more than {} grants", u32::MAX),
            })?;
            grant_index.add(&grants, position);
        }
        let dataset_digests = datasets.iter().map(ContentDigest::of).collect();
        let grant_digests = std::iter::repeat_with(OnceLock::new)
            .take(grants.len())
            .collect();
        progress(report(grants.len()));
        Ok(Self {
            departments,
            datasets,
            grants,
            dataset_digests,
            grant_digests,
            purposes: None,
            contractors: Vec::new(),
            contractor_digests: Vec::new(),
            contractor_index: HashMap::new(),
            department_contractors: HashMap::new(),
            department_index,
            dataset_index,
            grant_index,
            clock_tolerance: None,
            version: None,
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
        Self::from_json_str_with_progress(json, &mut ignore)
    }

    /// As [`Registry::from_json_str`], reporting progress as it parses
    /// (records parsed so far) and indexes (grants indexed of all).
    ///
    /// # Errors
    ///
    /// As [`Registry::from_json_str`].
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::{ProgressStage, Registry};
    ///
    /// let mut stages = Vec::new();
    /// let registry = Registry::from_json_str_with_progress(
    ///     include_str!("../../examples/data/registry.json"),
    ///     &mut |p| stages.push((p.stage, p.done)),
    /// )?;
    /// let grants = registry.grants().len() as u64;
    /// assert_eq!(stages.last(), Some(&(ProgressStage::IndexRegistry, grants)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json_str_with_progress(
        json: &str,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Self, LoadError> {
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
        let doc = parse_object_seed(json, parse::DocSeed::new(progress)).map_err(|e| match e {
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
        let mut registry =
            Self::build(origin, doc.departments, doc.datasets, doc.grants, progress)?;
        if let Some(purposes) = doc.purposes {
            registry = registry.vocabulary(origin, purposes)?;
        }
        match doc.contractors {
            Some(contractors) => registry.entrust(origin, contractors),
            None => Ok(registry),
        }
    }

    /// The registry with contractor entries (受托方, Art. 36).
    ///
    /// # Errors
    ///
    /// [`LoadError::DuplicateId`] when two entries share an id;
    /// [`LoadError::Contractor`] when an entry's department is not a
    /// registered department, a dataset it is entrusted with is not in the
    /// catalog, it entrusts no dataset or no activity, a disposal receipt
    /// names a grant the registry does not hold, or its records contradict
    /// each other or record an event dated past
    /// [`crate::limits::MAX_EVENT_LEAD_SECONDS`] from now.
    pub fn with_contractors(self, contractors: Vec<Contractor>) -> Result<Self, LoadError> {
        self.entrust("<memory>", contractors)
    }

    fn entrust(mut self, origin: &str, contractors: Vec<Contractor>) -> Result<Self, LoadError> {
        let now = chrono::Utc::now();
        for c in contractors {
            if self.contractor_index.contains_key(&c.id) {
                return Err(LoadError::DuplicateId {
                    origin: origin.to_owned(),
                    kind: "contractor",
                    id: c.id.to_string(),
                });
            }
            consistency::check_contractor(&self, &c, now).map_err(|message| {
                LoadError::Contractor {
                    origin: origin.to_owned(),
                    contractor: c.id.to_string(),
                    message,
                }
            })?;
            self.push_contractor(c);
        }
        Ok(self)
    }

    fn push_contractor(&mut self, c: Contractor) {
        let i = self.contractors.len();
        self.contractor_index.insert(c.id.clone(), i);
        self.department_contractors
            .entry(c.department.clone())
            .or_default()
            .push(i);
        self.contractor_digests.push(ContentDigest::of(&c));
        self.contractors.push(c);
    }

    /// The registry with a purpose vocabulary (DESIGN §7): from then on a
    /// stated purpose must be one of its codes.
    ///
    /// # Errors
    ///
    /// [`LoadError::DuplicateId`] when two purposes share a code.
    pub fn with_purposes(self, purposes: Vec<Purpose>) -> Result<Self, LoadError> {
        self.vocabulary("<memory>", purposes)
    }

    fn vocabulary(mut self, origin: &str, purposes: Vec<Purpose>) -> Result<Self, LoadError> {
        let vocabulary = PurposeVocabulary::new(purposes).map_err(|e| match e {
            IdError::Duplicate { value, .. } => LoadError::DuplicateId {
                origin: origin.to_owned(),
                kind: "purpose",
                id: value,
            },
            other => LoadError::Registry {
                origin: origin.to_owned(),
                message: other.to_string(),
            },
        })?;
        self.purposes = Some(vocabulary);
        Ok(self)
    }

    /// The registered purpose vocabulary, if the registry has one.
    pub fn purpose_vocabulary(&self) -> Option<&PurposeVocabulary> {
        self.purposes.as_ref()
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
        Self::from_path_with_progress(path, &mut ignore)
    }

    /// As [`Registry::from_path`], reporting progress as it reads (bytes of
    /// the file), parses and indexes. A file larger than
    /// [`crate::limits::MAX_REGISTRY_BYTES`] is refused before it is read.
    ///
    /// # Errors
    ///
    /// As [`Registry::from_path`].
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::{ProgressStage, Registry};
    ///
    /// let mut read = 0;
    /// Registry::from_path_with_progress("examples/data/registry.json", &mut |p| {
    ///     if p.stage == ProgressStage::ReadRegistry {
    ///         read = p.done;
    ///     }
    /// })?;
    /// assert_eq!(read, std::fs::metadata("examples/data/registry.json")?.len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_path_with_progress(
        path: impl AsRef<Path>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Self, LoadError> {
        let path = path.as_ref();
        let text = read_with_progress(path, progress)?;
        Self::from_json_str_with_progress(&text, progress)
            .map_err(|e| e.with_origin(&path.display().to_string()))
    }

    /// The registry in the wire format.
    pub fn to_json(&self) -> String {
        let doc = RegistryDocRef {
            departments: &self.departments,
            purposes: self.purposes.as_ref().map(PurposeVocabulary::purposes),
            datasets: &self.datasets,
            grants: &self.grants,
            contractors: &self.contractors,
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

    /// All contractor entries, in load order.
    pub fn contractors(&self) -> &[Contractor] {
        &self.contractors
    }

    /// The contractor entry with this id.
    pub fn get_contractor(&self, id: &ContractorId) -> Option<&Contractor> {
        self.contractor_index
            .get(id)
            .and_then(|&i| self.contractors.get(i))
    }

    /// Every contractor entry of `department` (the one entrusting), in
    /// load order.
    pub fn iter_contractors_of(
        &self,
        department: &DepartmentId,
    ) -> impl Iterator<Item = &Contractor> {
        self.department_contractors
            .get(department)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.contractors.get(i))
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
        self.grant_index
            .position(&self.grants, id)
            .and_then(|i| self.grants.get(i))
    }

    /// Every grant of `requester` for `dataset`, in load order.
    pub fn iter_grants_for(
        &self,
        requester: &DepartmentId,
        dataset: &DatasetId,
    ) -> impl Iterator<Item = &Grant> {
        self.grant_index
            .pair(&self.grants, requester, dataset)
            .iter()
            .filter_map(|&i| self.grants.get(i as usize))
    }

    /// The version of a registry kept by a store: the store's sequence
    /// number of the last change applied from its journal (0 when none
    /// was), which decisions report as `registry_version`; `None` for a
    /// registry that no store keeps. Only the store sets it.
    pub fn version(&self) -> Option<u64> {
        self.version
    }

    /// Marks the registry as kept by a store, at `version`: the sequence
    /// number of the journal's last change applied.
    pub(crate) fn set_version(&mut self, version: Option<u64>) {
        self.version = version;
    }

    /// Replaces a catalog entry by its new state (a committed change).
    fn replace_dataset(&mut self, dataset: Dataset) -> Result<(), TransitionError> {
        let i = self.dataset_index.get(&dataset.id).copied();
        let slot =
            i.and_then(|i| Some((self.datasets.get_mut(i)?, self.dataset_digests.get_mut(i)?)));
        match slot {
            Some((slot, digest)) => {
                *digest = ContentDigest::of(&dataset);
                *slot = dataset;
                Ok(())
            }
            None => Err(TransitionError::UnknownDataset {
                dataset: dataset.id.to_string(),
            }),
        }
    }

    /// Replaces a grant by its new state (a committed change).
    fn replace_grant(&mut self, grant: Grant) -> Result<(), TransitionError> {
        let i = self.grant_index.position(&self.grants, &grant.id);
        let slot = i.and_then(|i| Some((self.grants.get_mut(i)?, self.grant_digests.get_mut(i)?)));
        match slot {
            // The indexes find a grant by its requester and dataset as well
            // as its id: a change keeps all three.
            Some((slot, _))
                if slot.requester != grant.requester || slot.dataset != grant.dataset =>
            {
                Err(TransitionError::NotAllowed {
                    grant: grant.id.to_string(),
                    change: "replace",
                    why: "a change may not move a grant to another requester or dataset".into(),
                })
            }
            Some((slot, digest)) => {
                *digest = OnceLock::new();
                *slot = grant;
                Ok(())
            }
            None => Err(TransitionError::UnknownGrant {
                grant: grant.id.to_string(),
            }),
        }
    }

    /// Adds a contractor entry (a committed change).
    fn insert_contractor(&mut self, contractor: Contractor) -> Result<(), TransitionError> {
        if self.contractor_index.contains_key(&contractor.id) {
            return Err(TransitionError::DuplicateContractor {
                contractor: contractor.id.to_string(),
            });
        }
        self.push_contractor(contractor);
        Ok(())
    }

    /// Replaces a contractor entry by its new state (a committed change).
    fn replace_contractor(&mut self, contractor: Contractor) -> Result<(), TransitionError> {
        let i = self.contractor_index.get(&contractor.id).copied();
        let slot = i.and_then(|i| {
            Some((
                self.contractors.get_mut(i)?,
                self.contractor_digests.get_mut(i)?,
            ))
        });
        match slot {
            Some((slot, digest)) => {
                *digest = ContentDigest::of(&contractor);
                *slot = contractor;
                Ok(())
            }
            None => Err(TransitionError::UnknownContractor {
                contractor: contractor.id.to_string(),
            }),
        }
    }

    /// Adds an approved grant (a committed change).
    fn insert_grant(&mut self, grant: Grant) -> Result<(), TransitionError> {
        match self.grant_index.admits(&self.grants, &grant) {
            Ok(()) => {}
            Err(Refusal::Duplicate) => {
                return Err(TransitionError::DuplicateGrant {
                    grant: grant.id.to_string(),
                });
            }
            Err(Refusal::PairFull) => {
                return Err(TransitionError::NotAllowed {
                    grant: grant.id.to_string(),
                    change: "grant_approved",
                    why: too_many_on_pair(&grant),
                });
            }
        }
        let i = self.grants.len();
        let position = u32::try_from(i).map_err(|_| TransitionError::NotAllowed {
            grant: grant.id.to_string(),
            change: "grant_approved",
            why: format!("the registry holds {} grants, the most it can", u32::MAX),
        })?;
        self.grant_digests.push(OnceLock::new());
        self.grants.push(grant);
        self.grant_index.add(&self.grants, position);
        Ok(())
    }

    /// Every grant of `requester`, in load order.
    pub fn iter_grants_of(&self, requester: &DepartmentId) -> impl Iterator<Item = &Grant> {
        self.grant_index
            .of_requester(&self.grants, requester)
            .iter()
            .filter_map(|&i| self.grants.get(i as usize))
    }
}

/// Reads a registry file in chunks, reporting the bytes read.
fn read_with_progress(
    path: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<String, LoadError> {
    use std::io::Read as _;
    let io = |source| LoadError::Io {
        path: path.to_owned(),
        source,
    };
    // Only a regular file, and one no larger than the limit (a FIFO or a
    // device is refused before a byte is read).
    let (mut file, size) = open_regular(path, MAX_REGISTRY_BYTES)
        .map_err(|e| e.into_load("registry", path, MAX_REGISTRY_BYTES))?;
    const CHUNK: usize = 8 << 20;
    let total = Some(size);
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // One byte over the limit is enough to know a growing file is too large.
    let mut limited = (&mut file).take(MAX_REGISTRY_BYTES as u64 + 1);
    loop {
        let read = (&mut limited)
            .take(CHUNK as u64)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        progress(Progress {
            stage: ProgressStage::ReadRegistry,
            done: bytes.len() as u64,
            total: total.map(|t| t.max(bytes.len() as u64)),
        });
        if read == 0 {
            break;
        }
    }
    if bytes.len() > MAX_REGISTRY_BYTES {
        return Err(LoadError::TooLarge {
            what: "registry",
            origin: path.display().to_string(),
            size: bytes.len(),
            max: MAX_REGISTRY_BYTES,
        });
    }
    String::from_utf8(bytes)
        .map_err(|e| io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
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

    fn purposes(&self) -> Result<Option<Cow<'_, PurposeVocabulary>>, FactError> {
        Ok(self.purposes.as_ref().map(Cow::Borrowed))
    }

    fn registry_version(&self) -> Option<u64> {
        self.version
    }

    fn contractor(&self, id: &ContractorId) -> Result<Option<Cow<'_, Contractor>>, FactError> {
        Ok(self.get_contractor(id).map(Cow::Borrowed))
    }

    fn contractors_of(
        &self,
        department: &DepartmentId,
        dataset: &DatasetId,
    ) -> Result<Vec<Cow<'_, Contractor>>, FactError> {
        Ok(self
            .iter_contractors_of(department)
            .filter(|c| c.entrusted_with(dataset))
            .map(Cow::Borrowed)
            .collect())
    }

    /// The digest kept since the record was loaded or last changed, when
    /// `record` is this registry's own (the same object, not a copy).
    fn content_digest(&self, record: FactRecord<'_>) -> Option<ContentDigest> {
        match record {
            FactRecord::Grant(g) => {
                let i = self.grant_index.position(&self.grants, &g.id)?;
                let own = self.grants.get(i)?;
                let digest = self.grant_digests.get(i)?;
                std::ptr::eq(own, g).then(|| *digest.get_or_init(|| ContentDigest::of(own)))
            }
            FactRecord::Dataset(d) => {
                let i = *self.dataset_index.get(&d.id)?;
                let own = self.datasets.get(i)?;
                std::ptr::eq(own, d).then(|| self.dataset_digests.get(i).copied())?
            }
            FactRecord::Contractor(c) => {
                let i = *self.contractor_index.get(&c.id)?;
                let own = self.contractors.get(i)?;
                std::ptr::eq(own, c).then(|| self.contractor_digests.get(i).copied())?
            }
        }
    }
}

/// Why a grant cannot join its requester's grants on its dataset.
fn too_many_on_pair(g: &Grant) -> String {
    format!(
        "requester `{}` already holds {MAX_GRANTS_PER_PAIR} grants on dataset `{}`, the most one \
         requester may hold on one catalog entry (limits::MAX_GRANTS_PER_PAIR)",
        g.requester, g.dataset
    )
}

/// A grant's history runs forward, and its `status` says where the history
/// leaves it.
fn check_history(g: &Grant) -> Result<(), String> {
    if let Some(pair) = g.history.windows(2).find(|w| match w {
        [a, b] => b.at < a.at,
        _ => false,
    }) && let [a, b] = pair
    {
        return Err(format!(
            "`history` runs backwards: `{}` at {} follows `{}` at {}",
            b.change.as_str(),
            crate::time::format_rfc3339(&b.at),
            a.change.as_str(),
            crate::time::format_rfc3339(&a.at)
        ));
    }
    match g.status_after_history() {
        Some(status) if status != g.status => Err(format!(
            "`status` is `{}` but its history leaves it `{}`",
            g.status.as_str(),
            status.as_str()
        )),
        _ => Ok(()),
    }
}
