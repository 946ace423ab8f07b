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

/// Parses an instant written strictly as RFC 3339 (§5.6) with an offset:
/// `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`.
///
/// This is the one parser of instants in every input of the library
/// (requests, registries, transitions, applications, replies, the
/// command line's flags), so they all agree on what an instant is:
///
/// - `T` or `t` between date and time, and `Z`, `z`, `+` or `-` (ASCII
///   only) for the offset; no space, no U+2212 `−`, no other sign;
/// - hours 00–23, minutes 00–59 and **seconds 00–59**: a leap second
///   (`23:59:60`) is refused, so two instants always order the same way as
///   written, as epoch microseconds and as the policies compare them;
/// - a fraction of 1 to 9 digits (nanoseconds at most);
/// - offsets from `-23:59` to `+23:59` (`-00:00` is UTC);
/// - a year from [`MIN_YEAR`](crate::limits::MIN_YEAR) to
///   [`MAX_YEAR`](crate::limits::MAX_YEAR), as written.
///
/// # Errors
///
/// [`InstantError`] naming the value and what is wrong: not this form, a
/// missing offset (a time without a zone is ambiguous), a date or time
/// that does not exist, a leap second, or a year outside the range.
///
/// # Example
///
/// ```
/// use govshare::time::parse_rfc3339;
///
/// assert!(parse_rfc3339("2026-03-02T10:00:00+08:00").is_ok());
/// assert!(parse_rfc3339("2026-03-02t02:00:00.5z").is_ok());
/// assert!(parse_rfc3339("2026-03-02T10:00:00").is_err()); // no offset
/// assert!(parse_rfc3339("2025-08-31T23:59:60.5+08:00").is_err()); // leap second
/// assert!(parse_rfc3339("2026-03-02T10:00:00\u{2212}05:00").is_err()); // U+2212
/// assert!(parse_rfc3339("9999-12-31T23:59:59Z").is_err()); // beyond MAX_YEAR
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn parse_rfc3339(value: &str) -> Result<DateTime<FixedOffset>, InstantError> {
    strict::parse(value).map_err(|reason| InstantError::new(value, reason))
}

/// The strict RFC 3339 grammar, byte by byte (every accepted byte is ASCII).
mod strict {
    use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};

    use crate::limits::{MAX_YEAR, MIN_YEAR};

    /// A cursor over the bytes of the text.
    struct Cursor<'a> {
        bytes: &'a [u8],
        pos: usize,
    }

    impl Cursor<'_> {
        fn peek(&self) -> Option<u8> {
            self.bytes.get(self.pos).copied()
        }

        /// Exactly `n` ASCII digits as a number, naming `what` on error.
        fn digits(&mut self, n: usize, what: &str) -> Result<u32, String> {
            let mut value = 0u32;
            for _ in 0..n {
                match self.peek() {
                    Some(b @ b'0'..=b'9') => {
                        value = value * 10 + u32::from(b - b'0');
                        self.pos += 1;
                    }
                    _ => return Err(format!("expected {n} ASCII digits for the {what}")),
                }
            }
            Ok(value)
        }

        /// One of `expected`, naming `what` on error.
        fn one_of(&mut self, expected: &[u8], what: &str) -> Result<u8, String> {
            match self.peek() {
                Some(b) if expected.contains(&b) => {
                    self.pos += 1;
                    Ok(b)
                }
                _ => Err(format!("expected {what}")),
            }
        }
    }

    pub(super) fn parse(value: &str) -> Result<DateTime<FixedOffset>, String> {
        let mut c = Cursor {
            bytes: value.as_bytes(),
            pos: 0,
        };
        let year = c.digits(4, "year")?;
        c.one_of(b"-", "`-` after the year")?;
        let month = c.digits(2, "month")?;
        c.one_of(b"-", "`-` after the month")?;
        let day = c.digits(2, "day")?;
        if c.peek().is_none() {
            return Err("a date without a time and an offset".into());
        }
        c.one_of(b"Tt", "`T` between the date and the time")?;
        let hour = c.digits(2, "hour")?;
        c.one_of(b":", "`:` after the hour")?;
        let minute = c.digits(2, "minute")?;
        c.one_of(b":", "`:` after the minute")?;
        let second = c.digits(2, "second")?;
        let mut nanos = 0u32;
        if c.peek() == Some(b'.') {
            c.pos += 1;
            let mut count = 0u32;
            while let Some(b @ b'0'..=b'9') = c.peek() {
                count += 1;
                if count > 9 {
                    return Err("more than 9 digits of fraction (nanoseconds at most)".into());
                }
                nanos = nanos * 10 + u32::from(b - b'0');
                c.pos += 1;
            }
            if count == 0 {
                return Err("expected digits after `.`".into());
            }
            nanos *= 10u32.pow(9 - count);
        }
        let offset_seconds = match c.peek() {
            None => return Err("no offset: write `Z` or `+hh:mm`".into()),
            Some(b'Z' | b'z') => {
                c.pos += 1;
                0
            }
            Some(b'+' | b'-') => {
                let sign = if c.one_of(b"+-", "`+` or `-`")? == b'-' {
                    -1
                } else {
                    1
                };
                let oh = c.digits(2, "offset hours")?;
                c.one_of(b":", "`:` in the offset")?;
                let om = c.digits(2, "offset minutes")?;
                if oh > 23 || om > 59 {
                    return Err(format!("offset {oh:02}:{om:02} does not exist"));
                }
                sign * i32::try_from(oh * 3600 + om * 60).map_err(|e| e.to_string())?
            }
            Some(_) => {
                return Err("expected the offset: `Z`, or `+` or `-` (ASCII) and `hh:mm`".into());
            }
        };
        if c.pos != c.bytes.len() {
            return Err("unexpected text after the offset".into());
        }
        if second == 60 {
            return Err(
                "second 60 (a leap second) is not accepted: seconds run from 00 to 59".into(),
            );
        }
        let year = i32::try_from(year).map_err(|e| e.to_string())?;
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(format!(
                "year {year} is outside the accepted range {MIN_YEAR}–{MAX_YEAR}"
            ));
        }
        let date = NaiveDate::from_ymd_opt(year, month, day)
            .ok_or_else(|| format!("the date {year:04}-{month:02}-{day:02} does not exist"))?;
        // `second` ≤ 59 here, so chrono's leap-second encoding never arises.
        let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
            .ok_or_else(|| format!("the time {hour:02}:{minute:02}:{second:02} does not exist"))?;
        let offset = FixedOffset::east_opt(offset_seconds)
            .ok_or_else(|| "the offset does not exist".to_owned())?;
        date.and_time(time)
            .and_local_timezone(offset)
            .single()
            .ok_or_else(|| "the instant cannot be represented".to_owned())
    }
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
    fn only_the_strict_rfc_3339_form_is_accepted() {
        for ok in [
            "2026-03-02T10:00:00+08:00",
            "2026-03-02t10:00:00z",
            "2026-03-02T10:00:00.1Z",
            "2026-03-02T10:00:00.123456789-05:00",
            "2026-03-02T10:00:00-00:00",
            "2024-02-29T23:59:59+23:59",
            "2000-01-01T00:00:00Z",
            "2199-12-31T23:59:59.999999999Z",
        ] {
            assert!(parse_rfc3339(ok).is_ok(), "{ok} refused");
        }
        let refused = |text: &str, phrase: &str| {
            let err = parse_rfc3339(text).expect_err(text).to_string();
            assert!(err.contains(phrase), "{text}: {err} (lacks {phrase})");
        };
        refused("2025-08-31T23:59:60.5+08:00", "leap second");
        refused("2026-03-02T10:14:60+08:00", "leap second");
        refused("2016-12-31T23:59:60Z", "leap second");
        refused("2026-03-02T10:00:00\u{2212}05:00", "ASCII");
        refused("2026-03-02T10:00:00\u{ff0b}08:00", "ASCII");
        refused("2026-03-02 10:00:00+08:00", "`T`");
        refused("2026-03-02T10:00:00", "no offset");
        refused("2026-03-02", "without a time");
        refused("2026-3-02T10:00:00Z", "month");
        refused("\u{ff12}026-03-02T10:00:00Z", "year");
        refused("2026-03-02T24:00:00Z", "does not exist");
        refused("2026-03-02T10:60:00Z", "does not exist");
        refused("2025-02-29T10:00:00Z", "does not exist");
        refused("2026-03-02T10:00:00+24:00", "does not exist");
        refused("2026-03-02T10:00:00+08:60", "does not exist");
        refused("2026-03-02T10:00:00+0800", "`:`");
        refused("2026-03-02T10:00:00.Z", "digits after");
        refused("2026-03-02T10:00:00.1234567891Z", "9 digits");
        refused("2026-03-02T10:00:00Z ", "after the offset");
        refused("9999-12-31T23:59:59Z", "outside the accepted range");
        refused("1999-12-31T23:59:59+08:00", "outside the accepted range");
        refused("2200-01-01T00:00:00Z", "outside the accepted range");
        refused("+2026-03-02T10:00:00Z", "year");
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
        let far = parse_rfc3339("2199-12-31T23:59:59.9999995Z").unwrap();
        assert_eq!(epoch_micros_ceil(&far), epoch_micros(&far) + 1);
        let early = parse_rfc3339("2000-01-01T00:00:00.0000001+14:00").unwrap();
        assert!(epoch_micros(&early) > 0);
        assert_eq!(epoch_micros_ceil(&early), epoch_micros(&early) + 1);
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
