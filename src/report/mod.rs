//! The self-check report (合规体检报告): what a city's data bureau, a
//! department head or an auditor needs to see of a registry at one time —
//! the catalog findings by department and by article with each article's
//! text, the sharing-class mix, grants by state and those about to expire,
//! disposals due and overdue, pending applications and their reply
//! deadlines, and whether the usage record's hash chain holds.
//!
//! [`Report`] is the data, built once from the registry and serialized as
//! JSON for dashboards; with the `report-html` feature, `Report::to_html`
//! renders the same content as one self-contained HTML file (inline CSS
//! and SVG charts, no script, no network), Chinese first with English
//! beside it, laid out for A4 with a page per section.

mod articles;
#[cfg(feature = "report-html")]
mod charts;
#[cfg(feature = "report-html")]
mod html;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use chrono::{DateTime, Days, FixedOffset, NaiveDate};
use serde::Serialize;

pub use articles::{ARTICLES, Article, article, article_number};

use crate::calendar::{Calendar, CalendarReach};
use crate::error::{Break, RecordError, StoreError};
use crate::lifecycle::{
    Application, CoverageSummary, DisposalEntry, Finding, Severity, check_application, coverage,
    overdue_disposals, reply_deadline, validate_at,
};
use crate::model::{
    ContractorId, DatasetId, DepartmentId, Grant, GrantId, GrantStatus, Level, SharingClass,
};
use crate::progress::Progress;
use crate::registry::Registry;
use crate::store::{Checkpoint, SignatureCheck, Store, VerifyReport, verify_export};
use crate::time::{china_date, format_rfc3339, serialize_rfc3339};

/// How far ahead the report looks for grants about to expire, in days.
pub const EXPIRY_HORIZON_DAYS: u64 = 30;

/// Where the report's inputs came from, as the report names them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Sources {
    /// The registry (a file name, say).
    pub registry: String,
    /// The journal replayed onto it, if any.
    pub journal: Option<String>,
    /// Where the pending applications came from, if any.
    pub applications: Option<String>,
}

/// The headline figures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Registered departments.
    pub departments: usize,
    /// Catalog entries.
    pub datasets: usize,
    /// Catalog entries by sharing class.
    pub unconditional: usize,
    /// Conditional entries.
    pub conditional: usize,
    /// Not-shared entries.
    pub not_shared: usize,
    /// Grants.
    pub grants: usize,
    /// Error findings: the catalog's and the pending applications'.
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
    /// Grants usable at the report's time.
    pub grants_active: usize,
    /// Active grants whose period of use ends within
    /// [`EXPIRY_HORIZON_DAYS`].
    pub grants_expiring: usize,
    /// How much of the catalog's conditions the engine enforces by code
    /// ([`crate::lifecycle::coverage`]): entries and grants whose every
    /// condition is machine-checkable.
    pub coverage: CoverageSummary,
    /// Disposals owed and not yet due.
    pub disposals_due: usize,
    /// Disposals past due (Art. 40(4)).
    pub disposals_overdue: usize,
    /// Applications awaiting a reply.
    pub applications_pending: usize,
    /// Of them, those past their reply deadline (Art. 21, 39(4)).
    pub applications_overdue: usize,
    /// Whether the usage record's chain holds; `None` when no record was
    /// given.
    pub record_intact: Option<bool>,
    /// Whether the working-day calendar's last year ends within
    /// [`crate::CALENDAR_WARNING_DAYS`] of the report's date, or has
    /// ended ([`Report::calendar`]).
    pub calendar_ends_soon: bool,
}

/// The findings that fall to one department.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepartmentFindings {
    /// The department's id.
    pub id: DepartmentId,
    /// Its name; `None` when it is named in the registry but not
    /// registered.
    pub name: Option<String>,
    /// Its level of government, when registered.
    pub level: Option<Level>,
    /// Error findings.
    pub errors: usize,
    /// Warning findings.
    pub warnings: usize,
    /// The findings, errors first.
    pub findings: Vec<Finding>,
}

/// The findings that cite one article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArticleFindings {
    /// The article's number.
    pub article: u8,
    /// Its key phrase in Chinese.
    pub zh: &'static str,
    /// Its gist in English.
    pub en: &'static str,
    /// Error findings citing it.
    pub errors: usize,
    /// Warning findings citing it.
    pub warnings: usize,
    /// The finding codes, each with how often it occurs.
    pub codes: Vec<(&'static str, usize)>,
}

/// One provider's catalog entries by sharing class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SharingMix {
    /// The provider.
    pub department: DepartmentId,
    /// Its name, when registered.
    pub name: Option<String>,
    /// 无条件共享 entries.
    pub unconditional: usize,
    /// 有条件共享 entries.
    pub conditional: usize,
    /// 不予共享 entries.
    pub not_shared: usize,
}

/// Where a grant stands at the report's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantState {
    /// Usable now.
    Active,
    /// Its period of use has not begun.
    NotYetValid,
    /// Its period of use has ended; disposal is owed unless receipted.
    PeriodEnded,
    /// A purpose-end event was recorded (Art. 27).
    PurposeEnded,
    /// Suspended (Art. 27(2)).
    Suspended,
    /// Terminated.
    Terminated,
    /// The data was disposed of.
    Disposed,
}

impl GrantState {
    /// Every state, in the order the report lists them.
    pub const ALL: [GrantState; 7] = [
        GrantState::Active,
        GrantState::NotYetValid,
        GrantState::PeriodEnded,
        GrantState::PurposeEnded,
        GrantState::Suspended,
        GrantState::Terminated,
        GrantState::Disposed,
    ];

    /// The state of `grant` at `at`: a disposal receipt first, then
    /// termination, suspension, a purpose end, the end and start of the
    /// period of use.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::Registry;
    /// use govshare::report::GrantState;
    ///
    /// let registry = Registry::from_path("examples/data/registry.json")?;
    /// let grant = &registry.grants()[0];
    /// let during = govshare::time::parse_rfc3339("2026-03-02T10:00:00+08:00")?;
    /// let after = govshare::time::parse_rfc3339("2026-09-02T10:00:00+08:00")?;
    /// assert_eq!(GrantState::of(grant, &during), GrantState::Active);
    /// assert_eq!(GrantState::of(grant, &after), GrantState::PeriodEnded);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn of(grant: &Grant, at: &DateTime<FixedOffset>) -> Self {
        // The grant as it stood at `at`: suspensions, terminations,
        // renewals and amendments count from their own instants.
        let grant = grant.as_of(at);
        if grant.disposed.as_ref().is_some_and(|d| d.at <= *at) {
            GrantState::Disposed
        } else if grant.status == GrantStatus::Terminated {
            GrantState::Terminated
        } else if grant.status == GrantStatus::Suspended {
            GrantState::Suspended
        } else if grant.ended.as_ref().is_some_and(|e| e.at <= *at) {
            GrantState::PurposeEnded
        } else if grant.valid_until <= *at {
            GrantState::PeriodEnded
        } else if grant.valid_from > *at {
            GrantState::NotYetValid
        } else {
            GrantState::Active
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            GrantState::Active => "active",
            GrantState::NotYetValid => "not_yet_valid",
            GrantState::PeriodEnded => "period_ended",
            GrantState::PurposeEnded => "purpose_ended",
            GrantState::Suspended => "suspended",
            GrantState::Terminated => "terminated",
            GrantState::Disposed => "disposed",
        }
    }

    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            GrantState::Active => "有效",
            GrantState::NotYetValid => "尚未生效",
            GrantState::PeriodEnded => "使用时限届满",
            GrantState::PurposeEnded => "共享目的已终结",
            GrantState::Suspended => "已暂停",
            GrantState::Terminated => "已终止",
            GrantState::Disposed => "已处置",
        }
    }

    /// The English name.
    pub fn en(self) -> &'static str {
        match self {
            GrantState::Active => "active",
            GrantState::NotYetValid => "not yet valid",
            GrantState::PeriodEnded => "period ended",
            GrantState::PurposeEnded => "purpose ended",
            GrantState::Suspended => "suspended",
            GrantState::Terminated => "terminated",
            GrantState::Disposed => "disposed",
        }
    }
}

/// An active grant whose period of use ends soon.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExpiringGrant {
    /// The grant.
    pub grant: String,
    /// The dataset.
    pub dataset: String,
    /// The requester.
    pub requester: String,
    /// The end of the period of use (exclusive).
    #[serde(serialize_with = "serialize_rfc3339")]
    pub valid_until: DateTime<FixedOffset>,
    /// Whole days from the report's time to `valid_until`.
    pub days_left: i64,
}

/// Grants by state, and those about to expire.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct GrantSection {
    /// How many grants are in each state, every state listed.
    pub by_state: Vec<(GrantState, usize)>,
    /// Active grants ending within [`EXPIRY_HORIZON_DAYS`], soonest first.
    pub expiring: Vec<ExpiringGrant>,
}

/// An application awaiting a reply, with its deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingApplication {
    /// The application's id.
    pub id: String,
    /// The requester.
    pub requester: String,
    /// The dataset applied for.
    pub dataset: String,
    /// When it was received.
    #[serde(serialize_with = "serialize_rfc3339")]
    pub received_at: DateTime<FixedOffset>,
    /// The dataset's sharing class, which sets the deadline.
    pub class: Option<SharingClass>,
    /// The last day to reply (Art. 21), when the calendar covers it.
    pub reply_due: Option<NaiveDate>,
    /// Why `reply_due` is unknown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_error: Option<String>,
    /// Whether the deadline has passed; `None` when it is unknown.
    pub overdue: Option<bool>,
    /// What the application lacks, to be asked for at once (Art. 21).
    pub missing: Vec<Finding>,
}

/// Whether the usage record's hash chain holds (Art. 29).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordStatus {
    /// Where the record is (a store file, or the JSON-lines export of one).
    pub store: String,
    /// Usage records whose chain holds.
    pub entries: u64,
    /// The hash of the last good usage record: the anchor to hand to the
    /// provider or the authority.
    pub head: String,
    /// Registry changes (the journal kept beside the record) whose chain
    /// holds.
    pub journal_entries: u64,
    /// Checkpoints whose signatures verified.
    pub checkpoints: u64,
    /// The last signed checkpoint: when the chain was last sealed, and up
    /// to which entry.
    pub last_checkpoint: Option<Checkpoint>,
    /// Whose key the checkpoint signatures were checked against: the
    /// store's own key, as the report is given no other.
    pub signatures: Option<SignatureCheck>,
    /// The first break, if any.
    pub broken: Option<Break>,
    /// Why the record could not be read at all.
    pub error: Option<String>,
}

impl RecordStatus {
    /// Whether the record was read and its chain holds.
    pub fn intact(&self) -> bool {
        self.error.is_none() && self.broken.is_none()
    }

    fn unread(store: String, broken: Option<Break>, error: Option<String>) -> Self {
        RecordStatus {
            store,
            entries: 0,
            head: String::new(),
            journal_entries: 0,
            checkpoints: 0,
            last_checkpoint: None,
            signatures: None,
            broken,
            error,
        }
    }
}

/// Whether a file starts as an SQLite database does.
fn is_database(path: &Path) -> std::io::Result<bool> {
    use std::io::Read as _;
    let mut head = Vec::with_capacity(16);
    std::fs::File::open(path)?.take(16).read_to_end(&mut head)?;
    Ok(head == b"SQLite format 3\0")
}

/// The verification status of a usage record: a store file
/// (`govshare.db`), or the JSON-lines export of one (`govshare record
/// export`). This is the one place the report meets the record's store: a
/// record that cannot be read is a status that says so, not an error, so
/// the rest of the report still stands.
///
/// # Example
///
/// ```
/// use govshare::report::record_status;
///
/// let status = record_status("/no/such/govshare.db", &mut |_| {});
/// assert!(!status.intact());
/// assert!(status.error.is_some());
/// ```
pub fn record_status(path: impl AsRef<Path>, progress: &mut dyn FnMut(Progress)) -> RecordStatus {
    let path = path.as_ref();
    let store = path.display().to_string();
    let verified = match is_database(path) {
        Ok(true) => Store::open_read_only(path)
            .and_then(|s| s.verify_with_progress(None, progress))
            .map_err(RecordError::Store),
        Ok(false) => verify_export(path, None),
        Err(e) => {
            return RecordStatus::unread(store, None, Some(format!("{}: {e}", path.display())));
        }
    };
    RecordStatus::from_verification(store, verified)
}

impl RecordStatus {
    /// The status of a record verified elsewhere (a PostgreSQL store, a
    /// host's own store), named `store` (a URL without its password).
    pub fn from_verification(store: String, verified: Result<VerifyReport, RecordError>) -> Self {
        match verified {
            Ok(v) => RecordStatus {
                store,
                entries: v.record.entries,
                head: v.record.last.head,
                journal_entries: v.journal.entries,
                checkpoints: v.checkpoints,
                last_checkpoint: v.last_checkpoint,
                signatures: Some(v.signatures),
                broken: v.broken,
                error: None,
            },
            // Damage found before any entry could be walked (a forged header).
            Err(
                RecordError::Store(StoreError::Broken { broken, .. })
                | RecordError::Broken { broken, .. },
            ) => RecordStatus::unread(store, Some(broken), None),
            Err(e) => RecordStatus::unread(store, None, Some(crate::error::error_report(&e))),
        }
    }
}

/// The self-check report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Report {
    /// The time the report judges at.
    #[serde(serialize_with = "serialize_rfc3339")]
    pub at: DateTime<FixedOffset>,
    /// That time's date in China Standard Time.
    pub date: NaiveDate,
    /// The library that made it, such as `govshare 0.2.0`.
    pub generator: String,
    /// Where the inputs came from.
    pub sources: Sources,
    /// The headline figures.
    pub summary: Summary,
    /// Every catalog finding, in registry order.
    pub findings: Vec<Finding>,
    /// Findings by the department they fall to: the provider of an entry
    /// or of a grant's dataset, the requester for its own disposal or
    /// application; most errors first.
    pub departments: Vec<DepartmentFindings>,
    /// Findings by the article they cite, in article order.
    pub articles: Vec<ArticleFindings>,
    /// Each provider's entries by sharing class.
    pub sharing_mix: Vec<SharingMix>,
    /// Grants by state, and those about to expire.
    pub grants: GrantSection,
    /// Disposals due and overdue, oldest first (Art. 27, 40(4)).
    pub disposals: Vec<DisposalEntry>,
    /// Applications awaiting a reply, soonest deadline first.
    pub applications: Vec<PendingApplication>,
    /// The usage record's status, when one was given.
    pub record: Option<RecordStatus>,
    /// The working-day calendar's years, and whether the last one ends
    /// soon: deadlines past it cannot be counted.
    pub calendar: CalendarReach,
}

/// What a report is built from, beyond the registry and the time.
#[derive(Debug, Clone, Default)]
pub struct ReportInputs<'a> {
    /// Where the inputs came from.
    pub sources: Sources,
    /// Applications awaiting a reply.
    pub applications: &'a [Application],
    /// The usage record's status ([`record_status`]).
    pub record: Option<RecordStatus>,
}

impl Report {
    /// Builds the report of `registry` at `at`.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::{Calendar, Registry};
    /// use govshare::report::{Report, ReportInputs};
    ///
    /// let registry = Registry::from_path("examples/data/registry.json")?;
    /// let at = govshare::time::parse_rfc3339("2026-08-20T09:00:00+08:00")?;
    /// let report = Report::build(&registry, &Calendar::embedded()?, at, ReportInputs::default());
    /// assert_eq!(report.summary.datasets, registry.datasets().len());
    /// assert!(report.disposals.iter().any(|d| d.overdue == Some(true)));
    /// assert!(report.to_json().contains("\"sharing_mix\""));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn build(
        registry: &Registry,
        calendar: &Calendar,
        at: DateTime<FixedOffset>,
        inputs: ReportInputs<'_>,
    ) -> Self {
        let findings = validate_at(registry, &at);
        let coverage = coverage(registry).summary;
        let applications = pending(registry, calendar, &at, inputs.applications);
        let disposals = overdue_disposals(registry, &at, calendar);
        let grants = grant_section(registry, &at);
        let sharing_mix = sharing_mix(registry);
        let departments = by_department(registry, &findings, &applications, inputs.applications);
        let articles = by_article(&findings, &applications);
        let state_count = |s: GrantState| {
            grants
                .by_state
                .iter()
                .find(|(state, _)| *state == s)
                .map_or(0, |(_, n)| *n)
        };
        let app_errors = applications.iter().map(|a| a.missing.len()).sum::<usize>();
        let reach = calendar.reach(china_date(&at));
        let summary = Summary {
            departments: registry.departments().len(),
            datasets: registry.datasets().len(),
            unconditional: sharing_mix.iter().map(|m| m.unconditional).sum(),
            conditional: sharing_mix.iter().map(|m| m.conditional).sum(),
            not_shared: sharing_mix.iter().map(|m| m.not_shared).sum(),
            grants: registry.grants().len(),
            errors: findings.iter().filter(|f| f.is_error()).count() + app_errors,
            warnings: findings.iter().filter(|f| !f.is_error()).count(),
            grants_active: state_count(GrantState::Active),
            grants_expiring: grants.expiring.len(),
            coverage,
            disposals_due: disposals.iter().filter(|d| d.overdue != Some(true)).count(),
            disposals_overdue: disposals.iter().filter(|d| d.overdue == Some(true)).count(),
            applications_pending: applications.len(),
            applications_overdue: applications
                .iter()
                .filter(|a| a.overdue == Some(true))
                .count(),
            record_intact: inputs.record.as_ref().map(RecordStatus::intact),
            calendar_ends_soon: reach.ends_soon,
        };
        Report {
            at,
            date: china_date(&at),
            generator: format!("govshare {}", env!("CARGO_PKG_VERSION")),
            sources: inputs.sources,
            summary,
            findings,
            departments,
            articles,
            sharing_mix,
            grants,
            disposals,
            applications,
            record: inputs.record,
            calendar: reach,
        }
    }

    /// The report as indented JSON, for dashboards.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The time the report judges at, as RFC 3339.
    pub fn at_rfc3339(&self) -> String {
        format_rfc3339(&self.at)
    }
}

/// Applications awaiting a reply, with their deadlines and what they lack.
fn pending(
    registry: &Registry,
    calendar: &Calendar,
    at: &DateTime<FixedOffset>,
    applications: &[Application],
) -> Vec<PendingApplication> {
    let today = china_date(at);
    let mut out: Vec<PendingApplication> = applications
        .iter()
        .map(|app| {
            let class = registry
                .get_dataset(&app.dataset)
                .map(|d| d.sharing.class());
            // As the reply itself does: an application for no known entry
            // is answered on the shorter clock.
            let clock = class.unwrap_or(SharingClass::Unconditional);
            let (reply_due, due_error) = match reply_deadline(calendar, &app.received_at, clock, 0)
            {
                Ok(w) => (Some(w.due), None),
                Err(e) => (None, Some(crate::error::error_report(&e))),
            };
            PendingApplication {
                id: app.id.clone(),
                requester: app.requester.to_string(),
                dataset: app.dataset.to_string(),
                received_at: app.received_at,
                class,
                reply_due,
                due_error,
                overdue: reply_due.map(|d| today > d),
                missing: check_application(app, registry),
            }
        })
        .collect();
    out.sort_by(|a, b| (a.reply_due, &a.id).cmp(&(b.reply_due, &b.id)));
    out
}

fn grant_section(registry: &Registry, at: &DateTime<FixedOffset>) -> GrantSection {
    let mut counts: BTreeMap<GrantState, usize> = BTreeMap::new();
    let horizon = at.checked_add_days(Days::new(EXPIRY_HORIZON_DAYS));
    let mut expiring = Vec::new();
    for g in registry.grants() {
        let state = GrantState::of(g, at);
        *counts.entry(state).or_default() += 1;
        // The period as it stands at `at`, a renewal included.
        let g = g.as_of(at);
        if state == GrantState::Active && horizon.is_some_and(|h| g.valid_until <= h) {
            expiring.push(ExpiringGrant {
                grant: g.id.to_string(),
                dataset: g.dataset.to_string(),
                requester: g.requester.to_string(),
                valid_until: g.valid_until,
                days_left: (g.valid_until - *at).num_days(),
            });
        }
    }
    expiring.sort_by(|a, b| (a.valid_until, &a.grant).cmp(&(b.valid_until, &b.grant)));
    GrantSection {
        by_state: GrantState::ALL
            .iter()
            .map(|s| (*s, counts.get(s).copied().unwrap_or(0)))
            .collect(),
        expiring,
    }
}

fn sharing_mix(registry: &Registry) -> Vec<SharingMix> {
    let mut out: Vec<SharingMix> = Vec::new();
    let mut index: HashMap<&DepartmentId, usize> = HashMap::new();
    for d in registry.datasets() {
        let i = match index.get(&d.provider) {
            Some(&i) => i,
            None => {
                index.insert(&d.provider, out.len());
                out.push(SharingMix {
                    department: d.provider.clone(),
                    name: registry.get_department(&d.provider).map(|p| p.name.clone()),
                    unconditional: 0,
                    conditional: 0,
                    not_shared: 0,
                });
                out.len() - 1
            }
        };
        if let Some(m) = out.get_mut(i) {
            match d.sharing.class() {
                SharingClass::Unconditional => m.unconditional += 1,
                SharingClass::Conditional => m.conditional += 1,
                SharingClass::NotShared => m.not_shared += 1,
            }
        }
    }
    out
}

/// The department a finding falls to.
fn owner(
    registry: &Registry,
    finding: &Finding,
    applications: &[Application],
) -> Option<DepartmentId> {
    let id = finding.subject.id.as_str();
    match finding.subject.kind {
        "department" => DepartmentId::new(id).ok(),
        "dataset" => registry
            .get_dataset(&DatasetId::new(id).ok()?)
            .map(|d| d.provider.clone()),
        "grant" => {
            let g = registry.get_grant(&GrantId::new(id).ok()?)?;
            // The requester answers for its own disposal; the provider for
            // the grant it approved.
            if finding.code == "GRANT-DISPOSAL-METHOD-MISMATCH" {
                return Some(g.requester.clone());
            }
            registry
                .get_dataset(&g.dataset)
                .map(|d| d.provider.clone())
                .or_else(|| Some(g.requester.clone()))
        }
        // The entrusting department answers for its contractor (Art. 36).
        "contractor" => registry
            .get_contractor(&ContractorId::new(id).ok()?)
            .map(|c| c.department.clone()),
        "application" => applications
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.requester.clone()),
        _ => None,
    }
}

fn by_department(
    registry: &Registry,
    findings: &[Finding],
    pending: &[PendingApplication],
    applications: &[Application],
) -> Vec<DepartmentFindings> {
    let mut sections: Vec<DepartmentFindings> = registry
        .departments()
        .iter()
        .map(|d| DepartmentFindings {
            id: d.id.clone(),
            name: Some(d.name.clone()),
            level: Some(d.level),
            errors: 0,
            warnings: 0,
            findings: Vec::new(),
        })
        .collect();
    let mut index: HashMap<DepartmentId, usize> = sections
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();
    let app_findings = pending.iter().flat_map(|a| a.missing.iter());
    for f in findings.iter().chain(app_findings) {
        let Some(owner) = owner(registry, f, applications) else {
            continue;
        };
        let i = *index.entry(owner.clone()).or_insert_with(|| {
            sections.push(DepartmentFindings {
                id: owner,
                name: None,
                level: None,
                errors: 0,
                warnings: 0,
                findings: Vec::new(),
            });
            sections.len() - 1
        });
        if let Some(s) = sections.get_mut(i) {
            if f.is_error() {
                s.errors += 1;
            } else {
                s.warnings += 1;
            }
            s.findings.push(f.clone());
        }
    }
    for s in &mut sections {
        s.findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    }
    sections.sort_by(|a, b| {
        (b.errors, b.warnings, a.name.is_some(), &a.id).cmp(&(
            a.errors,
            a.warnings,
            b.name.is_some(),
            &b.id,
        ))
    });
    sections
}

fn by_article(findings: &[Finding], pending: &[PendingApplication]) -> Vec<ArticleFindings> {
    let mut map: BTreeMap<u8, (usize, usize, BTreeMap<&'static str, usize>)> = BTreeMap::new();
    let app_findings = pending.iter().flat_map(|a| a.missing.iter());
    for f in findings.iter().chain(app_findings) {
        let mut numbers: Vec<u8> = f
            .articles
            .iter()
            .filter_map(|a| article_number(a))
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        for n in numbers {
            let entry = map.entry(n).or_default();
            if f.severity == Severity::Error {
                entry.0 += 1;
            } else {
                entry.1 += 1;
            }
            *entry.2.entry(f.code).or_default() += 1;
        }
    }
    map.into_iter()
        .map(|(n, (errors, warnings, codes))| {
            let text = article(n);
            ArticleFindings {
                article: n,
                zh: text.map_or("", |a| a.zh),
                en: text.map_or("", |a| a.en),
                errors,
                warnings,
                codes: codes.into_iter().collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
