//! No repeated collection (Art. 19, 40(1)): a department may not collect
//! again from citizens and organisations what it can obtain through sharing.

use serde::Serialize;

use crate::model::{CatalogStatus, DatasetId, DepartmentId, ItemName, Sharing};
use crate::registry::Registry;

/// An item a department is about to collect that the catalog already
/// offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObtainableItem {
    /// The item.
    pub item: ItemName,
    /// A published, shareable dataset that holds it.
    pub dataset: DatasetId,
    /// Its provider.
    pub provider: DepartmentId,
    /// `unconditional` or `conditional`.
    pub class: &'static str,
    /// The item's authoritative source department, when one is named
    /// (Art. 19: 数源部门).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_department: Option<DepartmentId>,
}

/// The items of `items` that `requester` could obtain through sharing
/// instead of collecting them again (an Art. 40(1) risk), each with every
/// published, shareable dataset that offers it; the requester's own datasets
/// are left out. Sorted by item, then dataset.
///
/// # Example
///
/// ```
/// use govshare::{DepartmentId, ItemName, Registry};
/// use govshare::lifecycle::duplicate_collection;
///
/// let registry = Registry::from_json_str(include_str!("../../examples/data/registry.json"))?;
/// let form = [ItemName::new("uscc")?, ItemName::new("phone")?];
/// let found = duplicate_collection(&registry, &DepartmentId::new("hz-hrss")?, &form);
/// assert!(found.iter().all(|f| f.item.as_str() == "uscc"));
/// assert!(found.iter().any(|f| f.dataset.as_str() == "ent-public"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn duplicate_collection(
    registry: &Registry,
    requester: &DepartmentId,
    items: &[ItemName],
) -> Vec<ObtainableItem> {
    let mut out = Vec::new();
    for d in registry.datasets() {
        if d.status != CatalogStatus::Published || &d.provider == requester {
            continue;
        }
        let class = match d.sharing {
            Sharing::NotShared { .. } => continue,
            _ => d.sharing.class_name(),
        };
        for item in items {
            if let Some(di) = d.item(item) {
                out.push(ObtainableItem {
                    item: item.clone(),
                    dataset: d.id.clone(),
                    provider: d.provider.clone(),
                    class,
                    source_department: di.source_department.clone(),
                });
            }
        }
    }
    out.sort_by(|a, b| (&a.item, &a.dataset).cmp(&(&b.item, &b.dataset)));
    out.dedup_by(|a, b| a.item == b.item && a.dataset == b.dataset);
    out
}
