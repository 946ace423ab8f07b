//! Named limits on untrusted input. Each breach is a clear error, never a
//! truncation and never an allow.

pub use crate::model::MAX_ID_LEN;

/// Largest usage request accepted, in bytes of JSON.
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;
/// Most data items one request may name.
pub const MAX_REQUEST_ITEMS: usize = 1024;
/// Deepest nesting of arrays and objects accepted in any JSON input.
pub const MAX_JSON_DEPTH: usize = 32;
/// Largest registry document accepted, in bytes.
pub const MAX_REGISTRY_BYTES: usize = 1 << 30;
/// Largest policy or schema file accepted, in bytes.
pub const MAX_POLICY_FILE_BYTES: usize = 1024 * 1024;
/// Most requests in one batch.
pub const MAX_BATCH_REQUESTS: usize = 10_000;

/// The deepest nesting of arrays and objects in a JSON text, counted
/// without parsing, so a hostile document cannot exhaust the stack. Returns
/// `Err(depth)` as soon as the depth exceeds `max`.
pub(crate) fn check_json_depth(text: &str, max: usize) -> Result<(), usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for b in text.bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return Err(depth);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Parses one JSON document of type `T` that must be an object, naming the
/// path of the first error (`grants[3].valid_until: …`). serde would also
/// accept a positional array for a struct; the wire format is objects only.
pub(crate) fn parse_object<T: serde::de::DeserializeOwned>(
    text: &str,
    what: &str,
) -> Result<T, String> {
    if !text.trim_start().starts_with('{') {
        return Err(format!("{what} must be a JSON object"));
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        if path == "." || path.is_empty() {
            e.into_inner().to_string()
        } else {
            format!("`{path}`: {}", e.into_inner())
        }
    })?;
    de.end().map_err(|e| e.to_string())?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_counts_nesting_outside_strings() {
        assert!(check_json_depth(r#"{"a":[1,{"b":2}]}"#, 3).is_ok());
        assert_eq!(check_json_depth(r#"{"a":[1,{"b":2}]}"#, 2), Err(3));
        assert!(check_json_depth(r#"{"a":"[[[[[[\"[["}"#, 1).is_ok());
        let deep = "[".repeat(10_000);
        assert_eq!(
            check_json_depth(&deep, MAX_JSON_DEPTH),
            Err(MAX_JSON_DEPTH + 1)
        );
    }
}
