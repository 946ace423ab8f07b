//! The usage request: may department R perform action A on dataset D, over
//! items I, for purpose P, through method M, at time T?

use std::fmt;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::error::RequestError;
use crate::input::{ObjectError, check_json_depth, parse_object};
use crate::limits::{MAX_JSON_DEPTH, MAX_REQUEST_BYTES, MAX_REQUEST_ITEMS};
use crate::model::{
    ContractorId, DatasetId, DepartmentId, GrantId, ItemName, PurposeCode, RecipientId,
    SharingMethod,
};
use crate::time::rfc3339;

/// What the requester wants to do with the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Obtain data from the provider; needs a sharing method.
    Access,
    /// Process data already held.
    Use,
    /// Give data onward; needs a recipient (Art. 25: third parties).
    Transfer,
}

impl Action {
    /// The wire name, which is also the Cedar action id.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Access => "access",
            Action::Use => "use",
            Action::Transfer => "transfer",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A usage request in the wire format (DESIGN §4).
///
/// Build one with [`UsageRequest::from_json`], or fill the fields and call
/// [`UsageRequest::check`]; the engine checks it again before deciding.
///
/// # Example
///
/// ```
/// use govshare::{Action, UsageRequest};
///
/// let request = UsageRequest::from_json(r#"{
///     "requester": "hz-hrss", "dataset": "ent-reg", "action": "access",
///     "method": "service_interface", "purpose": "social-insurance.enrollment-check",
///     "items": ["uscc", "name"], "at": "2026-03-02T10:00:00+08:00"}"#)?;
/// assert_eq!(request.action, Action::Access);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UsageRequest {
    /// The requesting department.
    pub requester: DepartmentId,
    /// The catalog entry.
    pub dataset: DatasetId,
    /// The grant relied on; without it every grant of the requester for the
    /// dataset is considered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grant: Option<GrantId>,
    /// Access, use or transfer.
    pub action: Action,
    /// The sharing method; required for `access`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<SharingMethod>,
    /// The stated purpose.
    pub purpose: PurposeCode,
    /// The data items concerned.
    pub items: Vec<ItemName>,
    /// The time of use being judged. The rules never read the clock.
    #[serde(with = "rfc3339")]
    pub at: DateTime<FixedOffset>,
    /// The onward recipient; required for `transfer`, refused otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<RecipientId>,
    /// The contractor (受托方) acting for the requester, if one does
    /// (Art. 36). Every rule judges the request as the requester's; it is
    /// allowed only when the contractor is the requester's, entrusted with
    /// this dataset and an activity that covers the action, under a
    /// contract in force at `at` with a data-security agreement
    /// (`GS-PROCESSOR-NOT-ENTRUSTED`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub processor: Option<ContractorId>,
}

impl UsageRequest {
    /// Parses and checks a request.
    ///
    /// # Errors
    ///
    /// [`RequestError::Limit`] when the text is over
    /// [`crate::limits::MAX_REQUEST_BYTES`] or nested deeper than
    /// [`crate::limits::MAX_JSON_DEPTH`]; [`RequestError::Json`] for an
    /// unknown, duplicate or missing key, a wrong type, a bad id or a
    /// timestamp without an offset; [`RequestError::NotAnObject`];
    /// [`RequestError::Invalid`] as
    /// [`UsageRequest::check`] says.
    pub fn from_json(json: &str) -> Result<Self, RequestError> {
        if json.len() > MAX_REQUEST_BYTES {
            return Err(RequestError::Limit {
                what: "request size in bytes",
                size: json.len(),
                max: MAX_REQUEST_BYTES,
            });
        }
        if let Err(depth) = check_json_depth(json, MAX_JSON_DEPTH) {
            return Err(RequestError::Limit {
                what: "JSON nesting depth",
                size: depth,
                max: MAX_JSON_DEPTH,
            });
        }
        let request: UsageRequest = parse_object(json).map_err(|e| match e {
            ObjectError::NotAnObject => RequestError::NotAnObject,
            ObjectError::Json { location, source } => RequestError::Json { location, source },
        })?;
        request.check()?;
        Ok(request)
    }

    /// Checks the rules of the wire format that a type cannot hold: `access`
    /// needs `method`; `transfer` needs `recipient` and only `transfer` may
    /// name one; at least one item, at most
    /// [`crate::limits::MAX_REQUEST_ITEMS`].
    ///
    /// # Errors
    ///
    /// [`RequestError::Invalid`] naming the field, or
    /// [`RequestError::Limit`].
    pub fn check(&self) -> Result<(), RequestError> {
        if self.action == Action::Access && self.method.is_none() {
            return Err(RequestError::Invalid {
                field: "method",
                message: "is required when `action` is `access`".into(),
            });
        }
        match (self.action, &self.recipient) {
            (Action::Transfer, None) => {
                return Err(RequestError::Invalid {
                    field: "recipient",
                    message: "is required when `action` is `transfer`".into(),
                });
            }
            (Action::Access | Action::Use, Some(_)) => {
                return Err(RequestError::Invalid {
                    field: "recipient",
                    message: format!(
                        "is only allowed when `action` is `transfer`, not `{}`",
                        self.action
                    ),
                });
            }
            _ => {}
        }
        if self.items.is_empty() {
            return Err(RequestError::Invalid {
                field: "items",
                message: "must name at least one data item".into(),
            });
        }
        if self.items.len() > MAX_REQUEST_ITEMS {
            return Err(RequestError::Limit {
                what: "number of items",
                size: self.items.len(),
                max: MAX_REQUEST_ITEMS,
            });
        }
        Ok(())
    }

    /// The request in the wire format.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
