//! Reading untrusted JSON: the nesting depth counted before parsing, and a
//! document that must be one JSON object of a given type.

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

/// Why a document is not an object of the expected type.
#[derive(Debug)]
pub(crate) enum ObjectError {
    /// The text does not start with `{`.
    NotAnObject,
    /// The parser refused it; `location` is the path of the offending
    /// value (`grants[3].valid_until`), `None` for the document itself.
    Json {
        location: Option<String>,
        source: serde_json::Error,
    },
}

/// Parses one JSON document of type `T` that must be an object, naming the
/// path of the first error. serde would also accept a positional array for
/// a struct; the wire format is objects only.
pub(crate) fn parse_object<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, ObjectError> {
    parse_object_seed(text, std::marker::PhantomData::<T>)
}

/// As [`parse_object`], with a seed that carries state into the parse (a
/// progress callback, say).
pub(crate) fn parse_object_seed<'de, S: serde::de::DeserializeSeed<'de>>(
    text: &'de str,
    seed: S,
) -> Result<S::Value, ObjectError> {
    if !text.trim_start().starts_with('{') {
        return Err(ObjectError::NotAnObject);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let mut track = serde_path_to_error::Track::new();
    let parsed = seed.deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track));
    let value = parsed.map_err(|source| {
        let path = track.path().to_string();
        ObjectError::Json {
            // `.` is the document itself; `?` a place the parser could not name.
            location: (!matches!(path.as_str(), "" | "." | "?")).then_some(path),
            source,
        }
    })?;
    de.end().map_err(|source| ObjectError::Json {
        location: None,
        source,
    })?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::limits::MAX_JSON_DEPTH;

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
