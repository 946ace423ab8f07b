//! Time in the wire format and in China: strict RFC 3339 instants, the
//! microsecond form the policies compare, China Standard Time, in which
//! dates and deadlines are counted, and the [`Clock`] a store stamps changes
//! from and a live engine guards requests with.

use chrono::{DateTime, FixedOffset, NaiveDate, Offset as _, SecondsFormat, Utc};

use crate::error::InstantError;

mod clock;

pub use clock::{Clock, ManualClock, SystemClock};

/// UTC+08:00 in seconds east of UTC.
const CHINA_OFFSET_SECONDS: i32 = 8 * 60 * 60;

/// UTC+08:00; `Some`, as the compile-time assertion below proves.
const CHINA_OFFSET: Option<FixedOffset> = FixedOffset::east_opt(CHINA_OFFSET_SECONDS);

const _: () = assert!(CHINA_OFFSET.is_some(), "UTC+08:00 is a valid offset");

/// China Standard Time, UTC+08:00 (no DST since 1991).
///
/// # Example
///
/// ```
/// use govshare::time::china_offset;
///
/// assert_eq!(china_offset().local_minus_utc(), 8 * 60 * 60);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn china_offset() -> FixedOffset {
    // The `None` arm is unreachable: a compile-time assertion checks that
    // `CHINA_OFFSET` is `Some`. It keeps the function total without a panic.
    match CHINA_OFFSET {
        Some(offset) => offset,
        None => Utc.fix(),
    }
}

/// The calendar date, in China Standard Time, of an instant.
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use govshare::time::{china_date, parse_rfc3339};
///
/// // 16:30 UTC on 30 September is already 1 October in Beijing.
/// let instant = parse_rfc3339("2025-09-30T16:30:00Z")?;
/// assert_eq!(china_date(&instant), NaiveDate::from_ymd_opt(2025, 10, 1).ok_or("date")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn china_date(instant: &DateTime<FixedOffset>) -> NaiveDate {
    instant.with_timezone(&china_offset()).date_naive()
}

/// Parses an RFC 3339 timestamp that carries an offset (`Z` or `±hh:mm`).
///
/// # Errors
///
/// [`InstantError`] naming the value when it is not RFC 3339 with an
/// offset (a timestamp without a zone is refused: instants must be
/// unambiguous).
///
/// # Example
///
/// ```
/// use govshare::time::parse_rfc3339;
///
/// assert!(parse_rfc3339("2026-03-02T10:00:00+08:00").is_ok());
/// assert!(parse_rfc3339("2026-03-02T10:00:00").is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_rfc3339(value: &str) -> Result<DateTime<FixedOffset>, InstantError> {
    DateTime::parse_from_rfc3339(value).map_err(|e| InstantError::new(value, e))
}

/// Formats a timestamp as RFC 3339, keeping its offset.
pub fn format_rfc3339(value: &DateTime<FixedOffset>) -> String {
    value.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// Microseconds since the Unix epoch, rounded down: the form in which the
/// policies compare instants. Rounding the time of use and every end of a
/// period down, and every start up ([`epoch_micros_ceil`]), keeps each
/// comparison on the deny side when two instants fall within one
/// microsecond.
pub(crate) fn epoch_micros(value: &DateTime<FixedOffset>) -> i64 {
    value.timestamp_micros()
}

/// Microseconds since the Unix epoch, rounded up; see [`epoch_micros`].
pub(crate) fn epoch_micros_ceil(value: &DateTime<FixedOffset>) -> i64 {
    let floor = value.timestamp_micros();
    if value.timestamp_subsec_nanos().is_multiple_of(1000) {
        floor
    } else {
        floor.saturating_add(1)
    }
}

/// Serializes a timestamp as RFC 3339 (for `serialize_with`).
pub(crate) fn serialize_rfc3339<S: serde::Serializer>(
    value: &DateTime<FixedOffset>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_rfc3339(value))
}

pub(crate) mod rfc3339 {
    use chrono::{DateTime, FixedOffset};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_rfc3339(v))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<FixedOffset>, D::Error> {
        let raw = String::deserialize(d)?;
        super::parse_rfc3339(&raw).map_err(serde::de::Error::custom)
    }

    pub mod option {
        use chrono::{DateTime, FixedOffset};
        use serde::{Deserialize, Deserializer, Serializer};

        pub fn serialize<S: Serializer>(
            v: &Option<DateTime<FixedOffset>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match v {
                Some(v) => super::serialize(v, s),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<DateTime<FixedOffset>>, D::Error> {
            Option::<String>::deserialize(d)?
                .map(|raw| super::super::parse_rfc3339(&raw).map_err(serde::de::Error::custom))
                .transpose()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requires_an_offset() {
        assert!(parse_rfc3339("2026-03-02T10:00:00+08:00").is_ok());
        assert!(parse_rfc3339("2026-03-02T02:00:00Z").is_ok());
        let err = parse_rfc3339("2026-03-02T10:00:00").unwrap_err();
        assert!(err.to_string().contains("`2026-03-02T10:00:00`"), "{err}");
        assert!(parse_rfc3339("2026-03-02").is_err());
    }

    #[test]
    fn instants_compare_across_zones() {
        let a = parse_rfc3339("2026-09-01T00:00:00+08:00").unwrap();
        let b = parse_rfc3339("2026-08-31T16:00:00Z").unwrap();
        assert_eq!(epoch_micros(&a), epoch_micros(&b));
    }

    #[test]
    fn sub_microsecond_instants_round_toward_deny() {
        let t = parse_rfc3339("2026-09-01T00:00:00.0000005+08:00").unwrap();
        assert_eq!(epoch_micros_ceil(&t), epoch_micros(&t) + 1);
        let whole = parse_rfc3339("2026-09-01T00:00:00.000001+08:00").unwrap();
        assert_eq!(epoch_micros_ceil(&whole), epoch_micros(&whole));
        let far = parse_rfc3339("9999-12-31T23:59:59Z").unwrap();
        assert!(epoch_micros(&far) > 0);
        let before = parse_rfc3339("1969-12-31T23:59:59.9999995Z").unwrap();
        assert_eq!(epoch_micros(&before), -1);
        assert_eq!(epoch_micros_ceil(&before), 0);
    }

    #[test]
    fn china_standard_time() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(china_offset().local_minus_utc(), 8 * 3600);
        let at = |s| parse_rfc3339(s).unwrap();
        assert_eq!(china_date(&at("2025-09-30T15:59:59Z")), d(2025, 9, 30));
        assert_eq!(china_date(&at("2025-09-30T16:00:00Z")), d(2025, 10, 1));
        assert_eq!(china_date(&at("2025-10-01T00:30:00+08:00")), d(2025, 10, 1));
        // 23:30 in New York (UTC−05:00) is 12:30 the next day in Beijing.
        assert_eq!(china_date(&at("2025-12-31T23:30:00-05:00")), d(2026, 1, 1));
    }

    #[test]
    fn formatting_keeps_the_offset() {
        let a = parse_rfc3339("2026-09-01T00:00:00+08:00").unwrap();
        assert_eq!(format_rfc3339(&a), "2026-09-01T00:00:00+08:00");
    }
}
