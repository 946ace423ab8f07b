//! The statutory floor, the schema and the optional policies, compiled into
//! the binary so the library works with no files on disk.

macro_rules! policy_file {
    ($dir:literal, $name:literal) => {
        (
            $name,
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/policies/",
                $dir,
                "/",
                $name
            )),
        )
    };
}

/// The Cedar schema.
pub(super) const SCHEMA: (&str, &str) = (
    "govshare.cedarschema",
    include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/policies/govshare.cedarschema"
    )),
);

/// `policies/statutory/*.cedar`, in file-name order.
pub(super) const STATUTORY: &[(&str, &str)] = &[
    policy_file!("statutory", "00-permit.cedar"),
    policy_file!("statutory", "01-unknown-requester.cedar"),
    policy_file!("statutory", "02-not-published.cedar"),
    policy_file!("statutory", "03-not-shared.cedar"),
    policy_file!("statutory", "03a-unknown-provider.cedar"),
    policy_file!("statutory", "03b-secret-data.cedar"),
    policy_file!("statutory", "03c-outside-sharing-scope.cedar"),
    policy_file!("statutory", "03d-use-not-permitted.cedar"),
    policy_file!("statutory", "03e-unregistered-purpose.cedar"),
    policy_file!("statutory", "04-no-grant.cedar"),
    policy_file!("statutory", "05-grant-other-requester.cedar"),
    policy_file!("statutory", "06-scope-expansion.cedar"),
    policy_file!("statutory", "07-purpose-change.cedar"),
    policy_file!("statutory", "08-third-party.cedar"),
    policy_file!("statutory", "08a-processor-not-entrusted.cedar"),
    policy_file!("statutory", "09-method-not-granted.cedar"),
    policy_file!("statutory", "10-not-yet-valid.cedar"),
    policy_file!("statutory", "11-period-ended.cedar"),
    policy_file!("statutory", "12-purpose-ended.cedar"),
    policy_file!("statutory", "13-grant-suspended.cedar"),
    policy_file!("statutory", "14-grant-terminated.cedar"),
    policy_file!("statutory", "15-disposed.cedar"),
];

/// `policies/optional/*.cedar`, in file-name order.
pub(super) const OPTIONAL: &[(&str, &str)] = &[policy_file!(
    "optional",
    "block-while-disposal-overdue.cedar"
)];
