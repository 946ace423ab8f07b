//! Reading a year file of the holiday-cn data set (`YYYY.json`), the
//! community's machine-readable copy of the notices:
//!
//! ```json
//! {"year": 2026, "papers": ["https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm"],
//!  "days": [{"name": "元旦", "date": "2026-01-01", "isOffDay": true}]}
//! ```
//!
//! Each day names its festival; days off make up the holidays, days
//! worked (`"isOffDay": false`) the make-up workdays.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use super::year_file::{
    Holiday, MakeUpWorkday, YearFile, english_name, festival_list, is_weekend, iso_date, validate,
};
use crate::error::CalendarError;

/// A holiday-cn year file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(rename = "$schema", default)]
    #[allow(dead_code, reason = "allowed in the file, not used")]
    schema: Option<String>,
    #[serde(rename = "$id", default)]
    #[allow(dead_code, reason = "allowed in the file, not used")]
    id: Option<String>,
    year: i32,
    papers: Vec<String>,
    days: Vec<RawDay>,
}

/// One entry of `days`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDay {
    name: String,
    #[serde(deserialize_with = "iso_date")]
    date: NaiveDate,
    #[serde(rename = "isOffDay")]
    is_off_day: bool,
}

/// One festival's days: off, and worked.
#[derive(Default)]
struct Days {
    off: Vec<NaiveDate>,
    worked: Vec<NaiveDate>,
}

impl YearFile {
    /// Reads a year file of the holiday-cn data set (`YYYY.json`: `year`,
    /// `papers`, `days` of `name`, `date`, `isOffDay`); `origin` names it
    /// in errors. Each festival's days off become its holiday, which must
    /// be one run of days; its days worked, its make-up workdays. The
    /// `source` names the data set and its papers (the notices on
    /// gov.cn). Days off in another year that fall on a weekend are left
    /// out, as [`Notice::parse`](super::Notice::parse) does.
    ///
    /// # Errors
    ///
    /// [`CalendarError::Parse`] when `json` is not in that shape (an
    /// unknown key, a date not written `YYYY-MM-DD`);
    /// [`CalendarError::Invalid`] when `papers` or `days` is empty (the
    /// data set lists a year before its notice is out with both empty), a
    /// festival is unknown, a date is listed twice, a festival's days off
    /// are not one run, a weekday off or a day worked lies in another
    /// year, or the result breaks a rule of the year-file format.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::{CalendarError, YearFile};
    ///
    /// let json = r#"{"year": 2027, "papers": ["https://www.gov.cn/…"], "days": [
    ///     {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
    ///     {"name": "元旦", "date": "2027-01-02", "isOffDay": true},
    ///     {"name": "元旦", "date": "2027-01-03", "isOffDay": true}]}"#;
    /// let file = YearFile::from_holiday_cn(json, "2027.json")?;
    /// assert_eq!(file.holidays[0].en.as_deref(), Some("New Year's Day"));
    ///
    /// // Before the notice is out, the data set lists the year empty.
    /// let empty = r#"{"year": 2027, "papers": [], "days": []}"#;
    /// assert!(matches!(YearFile::from_holiday_cn(empty, "2027.json"), Err(CalendarError::Invalid { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_holiday_cn(json: &str, origin: &str) -> Result<Self, CalendarError> {
        let raw: RawFile = serde_json::from_str(json).map_err(|source| CalendarError::Parse {
            origin: origin.to_owned(),
            source,
        })?;
        let year = raw.year;
        let invalid = |problem: String| CalendarError::Invalid {
            origin: origin.to_owned(),
            message: format!("year `{year}`: {problem}"),
        };
        if !(1000..=9999).contains(&year) {
            return Err(invalid("not a year of four digits".to_owned()));
        }
        let papers: Vec<&str> = raw
            .papers
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .collect();
        if papers.is_empty() {
            return Err(invalid(
                "`papers` is empty: the file cites no notice its days come from".to_owned(),
            ));
        }
        if raw.days.is_empty() {
            return Err(invalid(
                "`days` is empty: the notice for this year is not in the file yet".to_owned(),
            ));
        }

        // Each festival's days, in the order the file first names them.
        let mut order: Vec<String> = Vec::new();
        let mut festivals: BTreeMap<String, Days> = BTreeMap::new();
        let mut seen: BTreeMap<NaiveDate, String> = BTreeMap::new();
        for day in raw.days {
            english_name(&day.name).map_err(|unknown| {
                invalid(format!(
                    "unknown festival `{unknown}` on {} (known: {})",
                    day.date,
                    festival_list()
                ))
            })?;
            if let Some(other) = seen.insert(day.date, day.name.clone()) {
                return Err(invalid(format!(
                    "{} is listed twice (`{other}` and `{}`)",
                    day.date, day.name
                )));
            }
            if !festivals.contains_key(&day.name) {
                order.push(day.name.clone());
            }
            let days = festivals.entry(day.name).or_default();
            if day.is_off_day {
                days.off.push(day.date);
            } else {
                days.worked.push(day.date);
            }
        }

        let mut holidays = Vec::new();
        let mut make_up_workdays = Vec::new();
        for name in order {
            let Some(days) = festivals.remove(&name) else {
                continue;
            };
            let mut off: Vec<NaiveDate> = Vec::new();
            for date in days.off {
                if date.year() == year {
                    off.push(date);
                } else if !is_weekend(date) {
                    return Err(invalid(format!(
                        "`{name}` has the weekday {date} off, in another year: a year file \
                         holds one year, and cn-{}.json must be amended by hand",
                        date.year()
                    )));
                }
            }
            off.sort_unstable();
            if let (Some(from), Some(to)) = (off.first(), off.last()) {
                if let Some((a, b)) = off
                    .iter()
                    .zip(off.iter().skip(1))
                    .find(|(a, b)| a.succ_opt() != Some(**b))
                {
                    return Err(invalid(format!(
                        "the days off of `{name}` are not one run: {a} is followed by {b}"
                    )));
                }
                holidays.push(Holiday {
                    en: english_name(&name).ok(),
                    name: name.clone(),
                    from: *from,
                    to: *to,
                });
            }
            for date in days.worked {
                if date.year() != year {
                    return Err(invalid(format!(
                        "`{name}` has the day {date} worked, in another year: a year file holds \
                         one year, and cn-{}.json must be amended by hand",
                        date.year()
                    )));
                }
                make_up_workdays.push(MakeUpWorkday {
                    date,
                    for_holiday: name.clone(),
                });
            }
        }
        holidays.sort_by_key(|h| h.from);
        make_up_workdays.sort_by_key(|m| m.date);
        let file = YearFile {
            year,
            source: format!("holiday-cn {year}.json: {}", papers.join(", ")),
            holidays,
            make_up_workdays,
        };
        validate(file.clone(), origin)?;
        Ok(file)
    }
}
