//! The year-file format (`cn-YYYY.json`): parsing and the rules a file
//! must keep. See the [calendar module](super) for the format.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Deserializer, Serialize};

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
struct RawYearFile {
    year: i32,
    source: String,
    holidays: Vec<RawHoliday>,
    make_up_workdays: Vec<RawMakeUp>,
}

/// One entry of `holidays`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHoliday {
    name: String,
    #[serde(default)]
    en: Option<String>,
    #[serde(deserialize_with = "iso_date")]
    from: NaiveDate,
    #[serde(deserialize_with = "iso_date")]
    to: NaiveDate,
}

/// One entry of `make_up_workdays`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMakeUp {
    #[serde(deserialize_with = "iso_date")]
    date: NaiveDate,
    #[serde(rename = "for")]
    for_holiday: String,
}

/// One year of the working-day calendar as its year file (`cn-YYYY.json`)
/// holds it: the format is on [`Calendar`](super::Calendar).
///
/// Made from a notice's text ([`Notice::parse`](super::Notice::parse)),
/// from the holiday-cn data set ([`YearFile::from_holiday_cn`]), from a
/// year file ([`YearFile::from_json`]) or from a loaded year
/// ([`Calendar::year_file`](super::Calendar::year_file));
/// [`YearFile::to_json`] writes it in the layout of the shipped files.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearFile {
    /// The calendar year.
    pub year: i32,
    /// The notice the dates come from.
    pub source: String,
    /// The official holidays, in the file's order.
    pub holidays: Vec<Holiday>,
    /// The weekend days worked in exchange (调休上班), in the file's order.
    pub make_up_workdays: Vec<MakeUpWorkday>,
}

/// An official holiday of a [`YearFile`]: a run of days off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holiday {
    /// The name as in the notice, such as `春节` or `国庆节、中秋节`.
    pub name: String,
    /// The English name, for readers of the file.
    pub en: Option<String>,
    /// The first day off. `YYYY-MM-DD`.
    pub from: NaiveDate,
    /// The last day off, inclusive. `YYYY-MM-DD`.
    pub to: NaiveDate,
}

/// A make-up workday of a [`YearFile`]: a Saturday or Sunday worked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MakeUpWorkday {
    /// The day. `YYYY-MM-DD`.
    pub date: NaiveDate,
    /// The name of the holiday it makes up for.
    #[serde(rename = "for")]
    pub for_holiday: String,
}

/// The festivals a notice arranges, with their English names as the
/// shipped year files give them.
pub(super) const FESTIVALS: [(&str, &str); 7] = [
    ("元旦", "New Year's Day"),
    ("春节", "Spring Festival"),
    ("清明节", "Qingming Festival"),
    ("劳动节", "Labour Day"),
    ("端午节", "Dragon Boat Festival"),
    ("中秋节", "Mid-Autumn Festival"),
    ("国庆节", "National Day"),
];

/// The festival names, for messages: `元旦, 春节, …`.
pub(super) fn festival_list() -> String {
    FESTIVALS
        .iter()
        .map(|(zh, _)| *zh)
        .collect::<Vec<_>>()
        .join(", ")
}

/// The English name of a holiday name: one festival, or several joined
/// by `、` when the notice joins their holidays (`国庆节、中秋节`). `Err`
/// names the first part that is no festival.
pub(super) fn english_name(name: &str) -> Result<String, String> {
    let mut parts = Vec::new();
    for part in name.split('、') {
        let en = FESTIVALS
            .iter()
            .find(|(zh, _)| *zh == part)
            .map(|(_, en)| *en)
            .ok_or_else(|| part.to_owned())?;
        parts.push(en);
    }
    Ok(parts.join(" and "))
}

/// A JSON string literal.
fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

impl YearFile {
    /// Reads and validates a year file; `origin` names it in errors.
    ///
    /// # Errors
    ///
    /// The errors of [`Calendar::add_year_json`](super::Calendar::add_year_json)
    /// but a duplicate year.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::YearFile;
    ///
    /// let json = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/calendar/cn-2026.json"));
    /// let file = YearFile::from_json(json, "cn-2026.json")?;
    /// assert_eq!(file.holidays.len(), 7);
    /// assert_eq!(file.to_json(), json);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_json(json: &str, origin: &str) -> Result<Self, CalendarError> {
        Ok(parse_year(json, origin)?.1.file)
    }

    /// The year file in the layout of the shipped `cn-YYYY.json` files:
    /// two-space indents, one holiday or make-up workday a line, keys in
    /// the order of the format, a final newline. Writes what it holds, in
    /// its order; only [`YearFile::validate`] says whether it is valid.
    ///
    /// # Errors
    ///
    /// None: this function cannot fail.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::Calendar;
    ///
    /// let file = Calendar::embedded()?.year_file(2025)?;
    /// let shipped = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/calendar/cn-2025.json"));
    /// assert_eq!(file.to_json(), shipped);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_json(&self) -> String {
        let holidays: Vec<String> = self
            .holidays
            .iter()
            .map(|h| {
                let en =
                    h.en.as_deref()
                        .map(|en| format!(", \"en\": {}", quoted(en)))
                        .unwrap_or_default();
                format!(
                    "    {{\"name\": {}{en}, \"from\": \"{}\", \"to\": \"{}\"}}",
                    quoted(&h.name),
                    h.from.format("%Y-%m-%d"),
                    h.to.format("%Y-%m-%d")
                )
            })
            .collect();
        let make_ups: Vec<String> = self
            .make_up_workdays
            .iter()
            .map(|m| {
                format!(
                    "    {{\"date\": \"{}\", \"for\": {}}}",
                    m.date.format("%Y-%m-%d"),
                    quoted(&m.for_holiday)
                )
            })
            .collect();
        let list = |items: Vec<String>| {
            if items.is_empty() {
                "[]".to_owned()
            } else {
                format!("[\n{}\n  ]", items.join(",\n"))
            }
        };
        format!(
            "{{\n  \"year\": {},\n  \"source\": {},\n  \"holidays\": {},\n  \"make_up_workdays\": {}\n}}\n",
            self.year,
            quoted(&self.source),
            list(holidays),
            list(make_ups)
        )
    }

    /// Checks the rules of the year-file format (on
    /// [`Calendar`](super::Calendar)) as [`Calendar::add_year_json`](super::Calendar::add_year_json)
    /// does; `origin` names the file in errors.
    ///
    /// # Errors
    ///
    /// [`CalendarError::Invalid`] naming the first rule broken.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::Calendar;
    ///
    /// let mut file = Calendar::embedded()?.year_file(2026)?;
    /// assert!(file.validate("cn-2026.json").is_ok());
    /// file.make_up_workdays[0].for_holiday = "植树节".into();
    /// assert!(file.validate("cn-2026.json").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate(&self, origin: &str) -> Result<(), CalendarError> {
        validate(self.clone(), origin).map(|_| ())
    }
}

/// Deserializes a date written exactly `YYYY-MM-DD`.
pub(super) fn iso_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
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
    /// The year as its file holds it.
    pub(super) file: YearFile,
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
    let raw: RawYearFile = serde_json::from_str(json).map_err(|source| CalendarError::Parse {
        origin: origin.to_owned(),
        source,
    })?;
    let file = YearFile {
        year: raw.year,
        source: raw.source,
        holidays: raw
            .holidays
            .into_iter()
            .map(|h| Holiday {
                name: h.name,
                en: h.en,
                from: h.from,
                to: h.to,
            })
            .collect(),
        make_up_workdays: raw
            .make_up_workdays
            .into_iter()
            .map(|m| MakeUpWorkday {
                date: m.date,
                for_holiday: m.for_holiday,
            })
            .collect(),
    };
    validate(file, origin)
}

/// Validates one year; does not check for a duplicate year.
pub(super) fn validate(file: YearFile, origin: &str) -> Result<(i32, YearData), CalendarError> {
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
    for h in &file.holidays {
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
        holidays.insert(h.from, (h.to, h.name.clone()));
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
    for m in &file.make_up_workdays {
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
        make_up.insert(date, m.for_holiday.clone());
    }

    Ok((
        year,
        YearData {
            file,
            holidays,
            make_up,
        },
    ))
}
