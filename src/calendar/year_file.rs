//! The year-file format (`cn-YYYY.json`): parsing and the rules a file
//! must keep. See the [calendar module](super) for the format.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Deserializer};

use crate::error::CalendarError;

/// The embedded year files: (file name, contents).
pub(super) const EMBEDDED: [(&str, &str); 2] = [
    (
        "cn-2025.json",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/policies/calendar/cn-2025.json"
        )),
    ),
    (
        "cn-2026.json",
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/policies/calendar/cn-2026.json"
        )),
    ),
];

/// A year file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    year: i32,
    source: String,
    holidays: Vec<HolidayEntry>,
    make_up_workdays: Vec<MakeUpEntry>,
}

/// One entry of `holidays`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayEntry {
    name: String,
    #[serde(default)]
    #[allow(
        dead_code,
        reason = "for readers of the file; the calendar reports the Chinese name"
    )]
    en: Option<String>,
    #[serde(deserialize_with = "iso_date")]
    from: NaiveDate,
    #[serde(deserialize_with = "iso_date")]
    to: NaiveDate,
}

/// One entry of `make_up_workdays`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MakeUpEntry {
    #[serde(deserialize_with = "iso_date")]
    date: NaiveDate,
    #[serde(rename = "for")]
    for_holiday: String,
}

/// Deserializes a date written exactly `YYYY-MM-DD`.
fn iso_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    let text = String::deserialize(deserializer)?;
    parse_iso_date(&text).ok_or_else(|| {
        serde::de::Error::custom(format!(
            "invalid date `{text}`, expected a calendar date written YYYY-MM-DD"
        ))
    })
}

/// `Some` for a valid date written exactly `YYYY-MM-DD` (zero-padded).
pub(super) fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    (date.format("%Y-%m-%d").to_string() == text).then_some(date)
}

/// The year in a file name `cn-YYYY.json`.
pub(super) fn file_name_year(name: &str) -> Option<i32> {
    let digits = name.strip_prefix("cn-")?.strip_suffix(".json")?;
    if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    }
}

/// One validated year.
#[derive(Debug, Clone)]
pub(super) struct YearData {
    pub(super) source: String,
    /// Holidays keyed by first day: (last day, name). They do not overlap.
    pub(super) holidays: BTreeMap<NaiveDate, (NaiveDate, String)>,
    /// Make-up workdays: the holiday each makes up for.
    pub(super) make_up: BTreeMap<NaiveDate, String>,
}

/// The holiday `date` belongs to, if any.
pub(super) fn holiday_on(
    holidays: &BTreeMap<NaiveDate, (NaiveDate, String)>,
    date: NaiveDate,
) -> Option<&str> {
    holidays
        .range(..=date)
        .next_back()
        .filter(|(_, (to, _))| date <= *to)
        .map(|(_, (_, name))| name.as_str())
}

pub(super) fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Parses and validates one year file; does not check for a duplicate year.
pub(super) fn parse_year(json: &str, origin: &str) -> Result<(i32, YearData), CalendarError> {
    let file: YearFile = serde_json::from_str(json).map_err(|source| CalendarError::Parse {
        origin: origin.to_owned(),
        source,
    })?;
    let year = file.year;
    let invalid = |problem: String| CalendarError::Invalid {
        origin: origin.to_owned(),
        message: format!("year `{year}`: {problem}"),
    };

    if file.source.trim().is_empty() {
        return Err(invalid(
            "`source` is empty; it must cite the notice the dates come from".to_owned(),
        ));
    }

    let mut names = BTreeSet::new();
    let mut holidays: BTreeMap<NaiveDate, (NaiveDate, String)> = BTreeMap::new();
    for h in file.holidays {
        if h.name.trim().is_empty() {
            return Err(invalid(format!(
                "the holiday from `{}` to `{}` has an empty name",
                h.from, h.to
            )));
        }
        if !names.insert(h.name.clone()) {
            return Err(invalid(format!(
                "holiday `{}` is listed more than once",
                h.name
            )));
        }
        if h.from > h.to {
            return Err(invalid(format!(
                "holiday `{}` has `from` `{}` after `to` `{}`",
                h.name, h.from, h.to
            )));
        }
        for (key, date) in [("from", h.from), ("to", h.to)] {
            if date.year() != year {
                return Err(invalid(format!(
                    "holiday `{}` has `{key}` `{date}` outside year `{year}`",
                    h.name
                )));
            }
        }
        if let Some((to, other)) = holidays.get(&h.from) {
            return Err(invalid(format!(
                "holidays `{other}` (`{}` to `{to}`) and `{}` (`{}` to `{}`) overlap",
                h.from, h.name, h.from, h.to
            )));
        }
        holidays.insert(h.from, (h.to, h.name));
    }
    // Sorted by first day, two holidays overlap only if some neighbours do.
    for ((a_from, (a_to, a_name)), (b_from, (b_to, b_name))) in
        holidays.iter().zip(holidays.iter().skip(1))
    {
        if b_from <= a_to {
            return Err(invalid(format!(
                "holidays `{a_name}` (`{a_from}` to `{a_to}`) and `{b_name}` (`{b_from}` to `{b_to}`) overlap"
            )));
        }
    }

    let mut make_up = BTreeMap::new();
    for m in file.make_up_workdays {
        let date = m.date;
        if date.year() != year {
            return Err(invalid(format!(
                "make-up workday `{date}` is outside year `{year}`"
            )));
        }
        if let Some(name) = holiday_on(&holidays, date) {
            return Err(invalid(format!(
                "make-up workday `{date}` is also a day of holiday `{name}`"
            )));
        }
        if !is_weekend(date) {
            return Err(invalid(format!(
                "make-up workday `{date}` is a {}, not a Saturday or Sunday",
                date.format("%A")
            )));
        }
        if !names.contains(&m.for_holiday) {
            return Err(invalid(format!(
                "make-up workday `{date}` is for `{}`, which names no holiday of this file",
                m.for_holiday
            )));
        }
        if make_up.contains_key(&date) {
            return Err(invalid(format!(
                "make-up workday `{date}` is listed more than once"
            )));
        }
        make_up.insert(date, m.for_holiday);
    }

    Ok((
        year,
        YearData {
            source: file.source,
            holidays,
            make_up,
        },
    ))
}
