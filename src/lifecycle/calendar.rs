//! The PRC working-day calendar (工作日): weekends and official holidays are
//! not working days; make-up working weekends (调休上班) are. Deadlines of the
//! Regulation (Art. 17, 21, 22, 26, 27) count working days, the start day not
//! counted (民法典 Art. 201).
//!
//! Each year is a JSON file, `policies/calendar/cn-YYYY.json`, taken from the
//! State Council General Office's notice:
//!
//! ```json
//! {"year": 2025, "source": "国办发明电〔2024〕12号",
//!  "holidays": [{"name": "春节", "en": "Spring Festival", "from": "2025-01-28", "to": "2025-02-04"}],
//!  "make_up_workdays": [{"date": "2025-01-26", "for": "春节"}]}
//! ```
//!
//! `from` and `to` are inclusive. 2025 and 2026 are embedded; further years
//! load with [`Calendar::add_year_json`] or [`Calendar::load_dir`]. A date in
//! a year that is not loaded is an error, never a guess.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Offset as _, Weekday};
use serde::{Deserialize, Serialize};

const EMBEDDED: [(&str, &str); 2] = [
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

/// China Standard Time, UTC+08:00 (no daylight saving since 1991).
pub fn china_offset() -> FixedOffset {
    // Eight hours is within chrono's ±24 h, so the fallback to UTC is never
    // taken; it keeps the function total without a panic path.
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| chrono::Utc.fix())
}

/// The calendar date, in China Standard Time, of an instant.
pub fn china_date(instant: &DateTime<FixedOffset>) -> NaiveDate {
    instant.with_timezone(&china_offset()).date_naive()
}

/// What kind of day a date is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DayKind {
    /// An ordinary working day.
    Workday,
    /// A Saturday or Sunday that is not a make-up working day.
    Weekend,
    /// An official holiday.
    Holiday {
        /// Its name, such as 春节.
        name: String,
    },
    /// A weekend day worked in exchange for a holiday (调休上班).
    MakeUpWorkday {
        /// The holiday it makes up for.
        for_holiday: String,
    },
}

impl DayKind {
    /// Whether it is a working day.
    pub fn is_working_day(&self) -> bool {
        matches!(self, DayKind::Workday | DayKind::MakeUpWorkday { .. })
    }
}

/// A non-working day passed over while counting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedDay {
    /// The date.
    pub date: NaiveDate,
    /// Why it is not a working day.
    pub kind: DayKind,
}

/// The result of counting working days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkingDays {
    /// The day counting started from (not itself counted).
    pub start: NaiveDate,
    /// The last working day counted: the deadline.
    pub due: NaiveDate,
    /// How many working days were counted.
    pub working_days: u32,
    /// Every non-working day passed over between `start` and `due`.
    pub skipped: Vec<SkippedDay>,
}

/// The calendar cannot answer or cannot be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// A date falls in a year whose calendar is not loaded.
    #[error("no working-day calendar is loaded for year `{year}` (loaded: {})", years_list(.loaded))]
    YearNotLoaded {
        /// The year asked for.
        year: i32,
        /// The years loaded.
        loaded: Vec<i32>,
    },
    /// A calendar file is not valid JSON in the calendar format.
    #[error("calendar `{origin}`: {message}")]
    Parse {
        /// The file.
        origin: String,
        /// What is wrong.
        message: String,
    },
    /// A calendar file parses but its contents are inconsistent.
    #[error("calendar `{origin}`: {message}")]
    Invalid {
        /// The file.
        origin: String,
        /// What is wrong.
        message: String,
    },
    /// A calendar file or folder cannot be read.
    #[error("cannot read calendar `{}`: {source}", .path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

fn years_list(years: &[i32]) -> String {
    if years.is_empty() {
        "none".into()
    } else {
        years
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearFile {
    year: i32,
    source: String,
    holidays: Vec<HolidayFile>,
    make_up_workdays: Vec<MakeUpFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayFile {
    name: String,
    #[serde(default)]
    #[allow(
        dead_code,
        reason = "kept in the file for readers; names in output are Chinese"
    )]
    en: Option<String>,
    from: NaiveDate,
    to: NaiveDate,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MakeUpFile {
    date: NaiveDate,
    #[serde(rename = "for")]
    for_holiday: String,
}

#[derive(Debug, Clone, Default)]
struct Year {
    holidays: BTreeMap<NaiveDate, String>,
    make_up: BTreeMap<NaiveDate, String>,
}

/// The working-day calendar: a set of loaded years.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: BTreeMap<i32, Year>,
}

impl Calendar {
    /// An empty calendar: every date is outside it.
    pub fn new() -> Self {
        Self::default()
    }

    /// The calendars of 2025 and 2026, embedded in the library.
    ///
    /// # Errors
    ///
    /// [`CalendarError`] if an embedded file were inconsistent (tests prove
    /// it is not).
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use govshare::Calendar;
    ///
    /// let calendar = Calendar::embedded()?;
    /// assert_eq!(calendar.years(), [2025, 2026]);
    /// // Received Friday 2025-09-26: one working day later is the make-up
    /// // working Sunday 2025-09-28.
    /// let one = calendar.add_working_days(NaiveDate::from_ymd_opt(2025, 9, 26).unwrap(), 1)?;
    /// assert_eq!(one.due, NaiveDate::from_ymd_opt(2025, 9, 28).unwrap());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn embedded() -> Result<Self, CalendarError> {
        let mut calendar = Self::new();
        for (name, text) in EMBEDDED {
            calendar.add_year_json(text, name)?;
        }
        Ok(calendar)
    }

    /// Adds one year from its JSON file; `origin` names it in errors.
    /// Returns the year.
    ///
    /// # Errors
    ///
    /// [`CalendarError::Parse`] for JSON not in the calendar format;
    /// [`CalendarError::Invalid`] for a date outside the declared year, a
    /// holiday whose `from` is after its `to`, overlapping holidays, a
    /// make-up working day that is a holiday, not a weekend day, or names
    /// no holiday of the file, a repeated make-up day, or a year already
    /// loaded.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::Calendar;
    ///
    /// let mut calendar = Calendar::new();
    /// let year = calendar.add_year_json(
    ///     r#"{"year": 2027, "source": "notice", "holidays": [], "make_up_workdays": []}"#,
    ///     "cn-2027.json",
    /// )?;
    /// assert_eq!(year, 2027);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_year_json(&mut self, json: &str, origin: &str) -> Result<i32, CalendarError> {
        let file: YearFile = serde_json::from_str(json).map_err(|e| CalendarError::Parse {
            origin: origin.to_owned(),
            message: e.to_string(),
        })?;
        let invalid = |message: String| CalendarError::Invalid {
            origin: origin.to_owned(),
            message,
        };
        if file.source.trim().is_empty() {
            return Err(invalid(
                "`source` must name the notice the dates come from".into(),
            ));
        }
        if self.years.contains_key(&file.year) {
            return Err(invalid(format!("year `{}` is already loaded", file.year)));
        }
        let mut year = Year::default();
        let mut names = BTreeSet::new();
        for h in &file.holidays {
            if h.from > h.to {
                return Err(invalid(format!(
                    "holiday `{}` starts {} after it ends {}",
                    h.name, h.from, h.to
                )));
            }
            let mut day = h.from;
            loop {
                if day.year() != file.year {
                    return Err(invalid(format!(
                        "holiday `{}` date {day} is outside year `{}`",
                        h.name, file.year
                    )));
                }
                if let Some(other) = year.holidays.insert(day, h.name.clone()) {
                    return Err(invalid(format!(
                        "holidays `{other}` and `{}` overlap on {day}",
                        h.name
                    )));
                }
                if day >= h.to {
                    break;
                }
                day = day.succ_opt().ok_or_else(|| {
                    invalid(format!(
                        "holiday `{}` runs past the last representable date",
                        h.name
                    ))
                })?;
            }
            names.insert(h.name.as_str());
        }
        for m in &file.make_up_workdays {
            if m.date.year() != file.year {
                return Err(invalid(format!(
                    "make-up working day {} is outside year `{}`",
                    m.date, file.year
                )));
            }
            if !matches!(m.date.weekday(), Weekday::Sat | Weekday::Sun) {
                return Err(invalid(format!(
                    "make-up working day {} is a {}, not a weekend day",
                    m.date,
                    m.date.weekday()
                )));
            }
            if let Some(h) = year.holidays.get(&m.date) {
                return Err(invalid(format!(
                    "make-up working day {} is also holiday `{h}`",
                    m.date
                )));
            }
            if !names.contains(m.for_holiday.as_str()) {
                return Err(invalid(format!(
                    "make-up working day {} is for `{}`, which is no holiday of this file",
                    m.date, m.for_holiday
                )));
            }
            if year.make_up.insert(m.date, m.for_holiday.clone()).is_some() {
                return Err(invalid(format!(
                    "make-up working day {} is listed twice",
                    m.date
                )));
            }
        }
        self.years.insert(file.year, year);
        Ok(file.year)
    }

    /// Loads every `cn-YYYY.json` file of a folder (other files are
    /// ignored). The year in the file name must match the file's `year`.
    ///
    /// # Errors
    ///
    /// [`CalendarError::Io`] when the folder or a file cannot be read,
    /// [`CalendarError::Invalid`] when the folder holds no calendar or a
    /// file name disagrees with its year, and the errors of
    /// [`Calendar::add_year_json`].
    pub fn load_dir(dir: &Path) -> Result<Self, CalendarError> {
        let io = |path: &Path, source| CalendarError::Io {
            path: path.to_owned(),
            source,
        };
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| io(dir, e))? {
            let path = entry.map_err(|e| io(dir, e))?.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                continue;
            };
            if let Some(year) = name
                .strip_prefix("cn-")
                .and_then(|n| n.strip_suffix(".json"))
                .and_then(|y| y.parse::<i32>().ok())
            {
                files.push((year, path));
            }
        }
        files.sort();
        if files.is_empty() {
            return Err(CalendarError::Invalid {
                origin: dir.display().to_string(),
                message: "the folder holds no `cn-YYYY.json` calendar".into(),
            });
        }
        let mut calendar = Self::new();
        for (year, path) in files {
            let text = std::fs::read_to_string(&path).map_err(|e| io(&path, e))?;
            let origin = path.display().to_string();
            let loaded = calendar.add_year_json(&text, &origin)?;
            if loaded != year {
                return Err(CalendarError::Invalid {
                    origin,
                    message: format!(
                        "the file name says {year} but the file holds year `{loaded}`"
                    ),
                });
            }
        }
        Ok(calendar)
    }

    /// The loaded years, ascending.
    pub fn years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    /// What kind of day `date` is.
    ///
    /// # Errors
    ///
    /// [`CalendarError::YearNotLoaded`] when its year is not loaded.
    pub fn day_kind(&self, date: NaiveDate) -> Result<DayKind, CalendarError> {
        let Some(year) = self.years.get(&date.year()) else {
            return Err(CalendarError::YearNotLoaded {
                year: date.year(),
                loaded: self.years(),
            });
        };
        if let Some(name) = year.holidays.get(&date) {
            return Ok(DayKind::Holiday { name: name.clone() });
        }
        if let Some(name) = year.make_up.get(&date) {
            return Ok(DayKind::MakeUpWorkday {
                for_holiday: name.clone(),
            });
        }
        Ok(match date.weekday() {
            Weekday::Sat | Weekday::Sun => DayKind::Weekend,
            _ => DayKind::Workday,
        })
    }

    /// Whether `date` is a working day.
    ///
    /// # Errors
    ///
    /// [`CalendarError::YearNotLoaded`] when its year is not loaded.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        Ok(self.day_kind(date)?.is_working_day())
    }

    /// The day `n` working days after `start`, the start day not counted;
    /// `n == 0` gives `start` back.
    ///
    /// # Errors
    ///
    /// [`CalendarError::YearNotLoaded`] when `start` or any day counted lies
    /// in a year that is not loaded.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use govshare::Calendar;
    ///
    /// let calendar = Calendar::embedded()?;
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    /// // 2025-12-31 + 1: Jan 1–3 are the New Year holiday; Sunday Jan 4 is worked.
    /// assert_eq!(calendar.add_working_days(d(2025, 12, 31), 1)?.due, d(2026, 1, 4));
    /// assert!(calendar.add_working_days(d(2026, 12, 31), 1).is_err()); // 2027 not loaded
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<WorkingDays, CalendarError> {
        self.day_kind(start)?;
        let mut day = start;
        let mut counted = 0;
        let mut skipped = Vec::new();
        while counted < n {
            day = day.succ_opt().ok_or(CalendarError::YearNotLoaded {
                year: day.year().saturating_add(1),
                loaded: self.years(),
            })?;
            let kind = self.day_kind(day)?;
            if kind.is_working_day() {
                counted += 1;
            } else {
                skipped.push(SkippedDay { date: day, kind });
            }
        }
        Ok(WorkingDays {
            start,
            due: day,
            working_days: n,
            skipped,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn cal() -> Calendar {
        Calendar::embedded().unwrap()
    }

    fn range(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        from.iter_days().take_while(|x| *x <= to).collect()
    }

    #[test]
    fn every_official_holiday_is_a_holiday() {
        let c = cal();
        let holidays = [
            (d(2025, 1, 1), d(2025, 1, 1), "元旦"),
            (d(2025, 1, 28), d(2025, 2, 4), "春节"),
            (d(2025, 4, 4), d(2025, 4, 6), "清明节"),
            (d(2025, 5, 1), d(2025, 5, 5), "劳动节"),
            (d(2025, 5, 31), d(2025, 6, 2), "端午节"),
            (d(2025, 10, 1), d(2025, 10, 8), "国庆节、中秋节"),
            (d(2026, 1, 1), d(2026, 1, 3), "元旦"),
            (d(2026, 2, 15), d(2026, 2, 23), "春节"),
            (d(2026, 4, 4), d(2026, 4, 6), "清明节"),
            (d(2026, 5, 1), d(2026, 5, 5), "劳动节"),
            (d(2026, 6, 19), d(2026, 6, 21), "端午节"),
            (d(2026, 9, 25), d(2026, 9, 27), "中秋节"),
            (d(2026, 10, 1), d(2026, 10, 7), "国庆节"),
        ];
        let mut count = 0;
        for (from, to, name) in holidays {
            for day in range(from, to) {
                assert_eq!(
                    c.day_kind(day).unwrap(),
                    DayKind::Holiday { name: name.into() },
                    "{day}"
                );
                assert!(!c.is_working_day(day).unwrap());
                count += 1;
            }
        }
        // 1 + 8 + 3 + 5 + 3 + 8 in 2025; 3 + 9 + 3 + 5 + 3 + 3 + 7 in 2026.
        assert_eq!(count, 28 + 33);
    }

    #[test]
    fn every_make_up_day_is_a_working_day() {
        let c = cal();
        let days = [
            (d(2025, 1, 26), "春节"),
            (d(2025, 2, 8), "春节"),
            (d(2025, 4, 27), "劳动节"),
            (d(2025, 9, 28), "国庆节、中秋节"),
            (d(2025, 10, 11), "国庆节、中秋节"),
            (d(2026, 1, 4), "元旦"),
            (d(2026, 2, 14), "春节"),
            (d(2026, 2, 28), "春节"),
            (d(2026, 5, 9), "劳动节"),
            (d(2026, 9, 20), "国庆节"),
            (d(2026, 10, 10), "国庆节"),
        ];
        for (day, name) in days {
            assert_eq!(
                c.day_kind(day).unwrap(),
                DayKind::MakeUpWorkday {
                    for_holiday: name.into()
                },
                "{day}"
            );
            assert!(c.is_working_day(day).unwrap());
        }
        // Nothing else on a weekend is a working day, and nothing else on a
        // weekday is off: count the working days of each year.
        let working = |y| {
            range(d(y, 1, 1), d(y, 12, 31))
                .into_iter()
                .filter(|x| c.is_working_day(*x).unwrap())
                .count()
        };
        // Counted independently from the same notices: 261 weekdays less 18
        // holiday weekdays plus 5 make-up days in 2025; 261 less 19 plus 6 in
        // 2026.
        assert_eq!(working(2025), 248);
        assert_eq!(working(2026), 248);
    }

    #[test]
    fn ordinary_days() {
        let c = cal();
        assert_eq!(c.day_kind(d(2026, 3, 2)).unwrap(), DayKind::Workday); // Monday
        assert_eq!(c.day_kind(d(2026, 3, 7)).unwrap(), DayKind::Weekend); // Saturday
        assert_eq!(c.day_kind(d(2026, 3, 8)).unwrap(), DayKind::Weekend); // Sunday
    }

    #[test]
    fn friday_before_national_day_2025() {
        let c = cal();
        // Received Friday 2025-09-26. Sat 27 off; Sun 28 is a make-up day (1);
        // Mon 29 (2), Tue 30 (3); Oct 1–8 holiday; Thu 9 (4), Fri 10 (5),
        // Sat 11 make-up (6); Sun 12 off; Mon 13 (7) … Thu 16 (10).
        let one = c.add_working_days(d(2025, 9, 26), 1).unwrap();
        assert_eq!(one.due, d(2025, 9, 28));
        assert_eq!(
            one.skipped,
            vec![SkippedDay {
                date: d(2025, 9, 27),
                kind: DayKind::Weekend
            }]
        );
        let ten = c.add_working_days(d(2025, 9, 26), 10).unwrap();
        assert_eq!(ten.due, d(2025, 10, 16));
        let skipped: Vec<NaiveDate> = ten.skipped.iter().map(|s| s.date).collect();
        let mut expected = vec![d(2025, 9, 27)];
        expected.extend(range(d(2025, 10, 1), d(2025, 10, 8)));
        expected.push(d(2025, 10, 12));
        assert_eq!(skipped, expected);
        // Twenty working days (delivery, Art. 22) from the same Friday.
        assert_eq!(
            c.add_working_days(d(2025, 9, 26), 20).unwrap().due,
            d(2025, 10, 30)
        );
    }

    #[test]
    fn spring_festival() {
        let c = cal();
        // 2025: Fri Jan 24 + 1 → Sun Jan 26 (make-up). + 3 → Jan 26, 27, then
        // Jan 28–Feb 4 off, Feb 5 (3).
        assert_eq!(
            c.add_working_days(d(2025, 1, 24), 1).unwrap().due,
            d(2025, 1, 26)
        );
        assert_eq!(
            c.add_working_days(d(2025, 1, 24), 3).unwrap().due,
            d(2025, 2, 5)
        );
        // 2026: Fri Feb 13 + 1 → Sat Feb 14 (make-up); + 2 → Feb 15–23 off,
        // Tue Feb 24.
        assert_eq!(
            c.add_working_days(d(2026, 2, 13), 1).unwrap().due,
            d(2026, 2, 14)
        );
        assert_eq!(
            c.add_working_days(d(2026, 2, 13), 2).unwrap().due,
            d(2026, 2, 24)
        );
        // Ten from Feb 13: 14, 24, 25, 26, 27, 28 (make-up), Mar 2, 3, 4, 5.
        assert_eq!(
            c.add_working_days(d(2026, 2, 13), 10).unwrap().due,
            d(2026, 3, 5)
        );
    }

    #[test]
    fn year_boundary_and_unloaded_years() {
        let c = cal();
        assert_eq!(
            c.add_working_days(d(2025, 12, 31), 1).unwrap().due,
            d(2026, 1, 4)
        );
        assert_eq!(
            c.add_working_days(d(2026, 12, 30), 1).unwrap().due,
            d(2026, 12, 31)
        );
        let err = c.add_working_days(d(2026, 12, 31), 1).unwrap_err();
        assert!(
            matches!(err, CalendarError::YearNotLoaded { year: 2027, .. }),
            "{err}"
        );
        assert_eq!(
            err.to_string(),
            "no working-day calendar is loaded for year `2027` (loaded: 2025, 2026)"
        );
        assert!(c.add_working_days(d(2024, 12, 31), 0).is_err());
        assert!(c.day_kind(d(2027, 1, 1)).is_err());
        assert_eq!(
            c.add_working_days(d(2026, 3, 2), 0).unwrap().due,
            d(2026, 3, 2)
        );
    }

    #[test]
    fn china_date_uses_utc_plus_eight() {
        let t = DateTime::parse_from_rfc3339("2026-08-31T16:00:00Z").unwrap();
        assert_eq!(china_date(&t), d(2026, 9, 1));
        let t = DateTime::parse_from_rfc3339("2026-08-31T15:59:59Z").unwrap();
        assert_eq!(china_date(&t), d(2026, 8, 31));
    }

    fn year(json: &str) -> Result<i32, CalendarError> {
        Calendar::new().add_year_json(json, "test.json")
    }

    #[test]
    fn invalid_files_are_refused_with_the_reason() {
        let cases = [
            (
                r#"{"year": 2027, "source": "n", "holidays": [], "make_up_workdays": [], "extra": 1}"#,
                "unknown field",
            ),
            (
                r#"{"year": 2027, "source": "", "holidays": [], "make_up_workdays": []}"#,
                "source",
            ),
            (
                r#"{"year": 2027, "source": "n", "holidays": [{"name": "a", "from": "2026-12-31", "to": "2027-01-01"}], "make_up_workdays": []}"#,
                "outside year",
            ),
            (
                r#"{"year": 2027, "source": "n", "holidays": [{"name": "a", "from": "2027-01-03", "to": "2027-01-01"}], "make_up_workdays": []}"#,
                "after it ends",
            ),
            (
                r#"{"year": 2027, "source": "n", "holidays": [{"name": "a", "from": "2027-01-01", "to": "2027-01-03"}, {"name": "b", "from": "2027-01-03", "to": "2027-01-04"}], "make_up_workdays": []}"#,
                "overlap",
            ),
            (
                r#"{"year": 2027, "source": "n", "holidays": [{"name": "a", "from": "2027-01-01", "to": "2027-01-03"}], "make_up_workdays": [{"date": "2027-01-04", "for": "a"}]}"#,
                "not a weekend day",
            ),
            (
                r#"{"year": 2027, "source": "n", "holidays": [{"name": "a", "from": "2027-01-02", "to": "2027-01-03"}], "make_up_workdays": [{"date": "2027-01-02", "for": "a"}]}"#,
                "also holiday",
            ),
            (
                r#"{"year": 2027, "source": "n", "holidays": [{"name": "a", "from": "2027-01-01", "to": "2027-01-01"}], "make_up_workdays": [{"date": "2027-01-09", "for": "b"}]}"#,
                "no holiday of this file",
            ),
            (
                r#"{"year": 2027, "source": "n", "holidays": [{"name": "a", "from": "2027-01-01", "to": "2027-01-01"}], "make_up_workdays": [{"date": "2027-01-09", "for": "a"}, {"date": "2027-01-09", "for": "a"}]}"#,
                "listed twice",
            ),
            (
                r#"{"year": 2027, "source": "n", "holidays": [], "make_up_workdays": [{"date": "2028-01-08", "for": "a"}]}"#,
                "outside year",
            ),
            (
                r#"{"year": 2027, "source": "n", "holidays": [{"name": "a", "from": "2027-13-01", "to": "2027-13-01"}], "make_up_workdays": []}"#,
                "test.json",
            ),
        ];
        for (json, phrase) in cases {
            let err = year(json).unwrap_err().to_string();
            assert!(err.contains(phrase), "{err} lacks {phrase}");
            assert!(err.contains("test.json"), "{err}");
        }
        let mut c = cal();
        let err = c
            .add_year_json(
                r#"{"year": 2026, "source": "n", "holidays": [], "make_up_workdays": []}"#,
                "dup.json",
            )
            .unwrap_err();
        assert!(err.to_string().contains("already loaded"), "{err}");
    }

    #[test]
    fn load_dir_reads_every_year_and_checks_names() {
        let dir = std::env::temp_dir().join(format!("govshare-cal-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        assert!(
            Calendar::load_dir(&dir)
                .unwrap_err()
                .to_string()
                .contains("no `cn-YYYY.json`")
        );
        for (name, text) in EMBEDDED {
            std::fs::write(dir.join(name), text).unwrap();
        }
        std::fs::write(dir.join("README.txt"), "ignored").unwrap();
        assert_eq!(Calendar::load_dir(&dir).unwrap().years(), [2025, 2026]);
        std::fs::write(
            dir.join("cn-2028.json"),
            r#"{"year": 2027, "source": "n", "holidays": [], "make_up_workdays": []}"#,
        )
        .unwrap();
        let err = Calendar::load_dir(&dir).unwrap_err().to_string();
        assert!(err.contains("2028") && err.contains("2027"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(matches!(
            Calendar::load_dir(&dir),
            Err(CalendarError::Io { .. })
        ));
    }
}
