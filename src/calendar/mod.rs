//! The PRC working-day calendar (工作日).
//!
//! Deadlines of the Government Data Sharing Regulation (政务数据共享条例) are
//! counted in working days: Saturdays, Sundays and the official holidays
//! announced each year by the General Office of the State Council are not
//! working days, and the weekend days it declares worked in exchange
//! (调休上班, "make-up workdays") are. A count starts on the day after the
//! starting day: the starting day itself is not counted (民法典 Art. 201).
//!
//! Dates are calendar dates in China Standard Time, UTC+08:00
//! ([`crate::time::china_offset`], [`crate::time::china_date`]).
//!
//! The year-file format and the counting rules are on [`Calendar`].

mod holiday_cn;
mod notice;
mod reach;
mod year_file;

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::error::CalendarError;
use crate::input::read_text;
use crate::limits::MAX_POLICY_FILE_BYTES;
use year_file::{EMBEDDED, YearData, file_name_year, holiday_on, is_weekend, parse_year, validate};

pub use notice::Notice;
pub use reach::{CALENDAR_WARNING_DAYS, CalendarReach};
pub use year_file::{Holiday, MakeUpWorkday, YearFile};

/// What kind of day a date is in the working-day calendar.
///
/// Serialized internally tagged by `kind`, in snake case:
/// `{"kind": "holiday", "name": "春节"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DayKind {
    /// An ordinary working day: Monday to Friday, not a holiday.
    Workday,
    /// A Saturday or Sunday that is neither a holiday nor a make-up workday.
    Weekend,
    /// A day of an official holiday, whatever the day of the week.
    Holiday {
        /// The holiday's name as in the notice, such as `春节`.
        name: String,
    },
    /// A Saturday or Sunday worked in exchange for a holiday (调休上班).
    MakeUpWorkday {
        /// The name of the holiday it makes up for.
        for_holiday: String,
    },
}

impl DayKind {
    /// Whether a day of this kind is a working day: a [`DayKind::Workday`]
    /// or a [`DayKind::MakeUpWorkday`].
    ///
    /// # Errors
    ///
    /// None: this function cannot fail.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::DayKind;
    ///
    /// assert!(DayKind::MakeUpWorkday { for_holiday: "春节".into() }.is_working_day());
    /// assert!(!DayKind::Holiday { name: "春节".into() }.is_working_day());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_working_day(&self) -> bool {
        matches!(self, Self::Workday | Self::MakeUpWorkday { .. })
    }
}

/// A day kind as a person reads it, Chinese first: `周末 weekend`,
/// `春节 holiday`, `workday`, `春节调休上班 make-up workday`.
impl fmt::Display for DayKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DayKind::Weekend => f.write_str("周末 weekend"),
            DayKind::Holiday { name } => write!(f, "{name} holiday"),
            DayKind::Workday => f.write_str("workday"),
            DayKind::MakeUpWorkday { for_holiday } => {
                write!(f, "{for_holiday}调休上班 make-up workday")
            }
        }
    }
}

/// A non-working day passed over while counting working days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedDay {
    /// The date, serialized `YYYY-MM-DD`.
    pub date: NaiveDate,
    /// Why it is not a working day: [`DayKind::Weekend`] or
    /// [`DayKind::Holiday`].
    pub kind: DayKind,
}

/// The result of [`Calendar::add_working_days`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkingDays {
    /// The day the count starts from; not itself counted. `YYYY-MM-DD`.
    pub start: NaiveDate,
    /// The last working day counted: the deadline. `YYYY-MM-DD`.
    pub due: NaiveDate,
    /// How many working days were counted.
    pub working_days: u32,
    /// Every non-working day passed over after `start` and before `due`,
    /// in date order.
    pub skipped: Vec<SkippedDay>,
}

/// The PRC working-day calendar: the years loaded so far.
///
/// Cheap to clone; [`Calendar::default`] is the same as [`Calendar::new`].
///
/// # Year files
///
/// Each year is one JSON file named `cn-YYYY.json`, derived from that
/// year's notice of the State Council General Office
/// (《国务院办公厅关于YYYY年部分节假日安排的通知》) by [`Notice::parse`]
/// (`govshare calendar from-notice`), whose texts are kept in
/// `policies/calendar/notices/`. The calendars of 2025 (国办发明电〔2024〕12号)
/// and 2026 (the notice of 2025-11-04) are embedded in the library
/// ([`Calendar::embedded`]); further years load with
/// [`Calendar::add_year_json`], [`Calendar::add_year_file`] or
/// [`Calendar::load_dir`]. [`YearFile`] is one year in this format.
///
/// ```json
/// {
///   "year": 2025,
///   "source": "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）",
///   "holidays": [
///     {"name": "春节", "en": "Spring Festival", "from": "2025-01-28", "to": "2025-02-04"}
///   ],
///   "make_up_workdays": [
///     {"date": "2025-01-26", "for": "春节"}
///   ]
/// }
/// ```
///
/// | key | meaning |
/// | --- | --- |
/// | `year` | the calendar year the file covers |
/// | `source` | the notice the dates come from (its title, number and date); must not be empty |
/// | `holidays[].name` | the holiday's name as in the notice, such as `春节`; unique in the file |
/// | `holidays[].en` | optional English name, for readers of the file |
/// | `holidays[].from`, `holidays[].to` | first and last day off, both inclusive, `YYYY-MM-DD` |
/// | `make_up_workdays[].date` | a Saturday or Sunday that is worked, `YYYY-MM-DD` |
/// | `make_up_workdays[].for` | the `name` of the holiday of the same file it makes up for |
///
/// A file is refused, with an error naming the file, the year and the
/// problem, when it:
///
/// - is not JSON in this shape, has a key not listed above, or has a date
///   not written `YYYY-MM-DD` ([`CalendarError::Parse`]);
/// - has an empty `source` or holiday name, or a holiday name used twice;
/// - has a holiday day or a make-up workday outside `year` (a holiday that
///   runs across New Year is split between the two year files);
/// - has a holiday whose `from` is after its `to`, or two holidays that
///   share a day;
/// - has a make-up workday that is also a holiday, is not a Saturday or
///   Sunday, is listed twice, or whose `for` names no holiday of the file;
/// - declares a year that the calendar already holds.
///
/// All but the first are [`CalendarError::Invalid`].
///
/// # Counting
///
/// A holiday that falls on a weekend is a [`DayKind::Holiday`], not a
/// [`DayKind::Weekend`]. A date in a year that is not loaded is always an
/// error ([`CalendarError::YearNotLoaded`]), never a guess: also when a
/// count of working days walks past the end of the last loaded year.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: BTreeMap<i32, YearData>,
}

impl Calendar {
    /// An empty calendar: every date is outside it.
    ///
    /// # Errors
    ///
    /// None: this function cannot fail.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use govshare::Calendar;
    ///
    /// let calendar = Calendar::new();
    /// assert!(calendar.years().is_empty());
    /// assert!(calendar.day_kind(NaiveDate::from_ymd_opt(2025, 1, 2).ok_or("date")?).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// The calendars of 2025 and 2026, embedded in the library from
    /// `policies/calendar/cn-2025.json` and `cn-2026.json`.
    ///
    /// # Errors
    ///
    /// The errors of [`Calendar::add_year_json`] if an embedded file were
    /// invalid; the unit tests prove they are not.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use govshare::{Calendar, DayKind};
    ///
    /// let calendar = Calendar::embedded()?;
    /// assert_eq!(calendar.years(), [2025, 2026]);
    /// let date = NaiveDate::from_ymd_opt(2026, 2, 17).ok_or("date")?;
    /// assert_eq!(calendar.day_kind(date)?, DayKind::Holiday { name: "春节".into() });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn embedded() -> Result<Self, CalendarError> {
        let mut calendar = Self::new();
        for (name, json) in EMBEDDED {
            calendar.add_year_json(json, name)?;
        }
        Ok(calendar)
    }

    /// Adds one year from the text of its year file; `origin` names the
    /// file in error messages. Returns the year added. On error the
    /// calendar is unchanged.
    ///
    /// # Errors
    ///
    /// [`CalendarError::Parse`] when `json` is not a year file (bad JSON, an
    /// unknown or missing key, a date not written `YYYY-MM-DD`);
    /// [`CalendarError::Invalid`] when it breaks a rule of the format (see
    /// the [type documentation](Calendar)) or its year is already loaded.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use govshare::{Calendar, CalendarError, DayKind};
    ///
    /// let mut calendar = Calendar::new();
    /// let json = r#"{
    ///     "year": 2027,
    ///     "source": "a notice",
    ///     "holidays": [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}],
    ///     "make_up_workdays": [{"date": "2027-01-09", "for": "元旦"}]
    /// }"#;
    /// assert_eq!(calendar.add_year_json(json, "cn-2027.json")?, 2027);
    /// let date = NaiveDate::from_ymd_opt(2027, 1, 9).ok_or("date")?;
    /// assert_eq!(calendar.day_kind(date)?, DayKind::MakeUpWorkday { for_holiday: "元旦".into() });
    ///
    /// // The same year twice is refused.
    /// let again = calendar.add_year_json(json, "copy.json");
    /// assert!(matches!(again, Err(CalendarError::Invalid { .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_year_json(&mut self, json: &str, origin: &str) -> Result<i32, CalendarError> {
        let (year, data) = parse_year(json, origin)?;
        self.insert(year, data, origin)?;
        Ok(year)
    }

    /// Adds a validated year unless it is already loaded.
    fn insert(&mut self, year: i32, data: YearData, origin: &str) -> Result<(), CalendarError> {
        if self.years.contains_key(&year) {
            return Err(CalendarError::Invalid {
                origin: origin.to_owned(),
                message: format!("year `{year}` is already loaded"),
            });
        }
        self.years.insert(year, data);
        Ok(())
    }

    /// A calendar of every `cn-YYYY.json` file (four digits) in `dir`,
    /// added in order of year. Other files are ignored. The year in each
    /// file name must match the file's `year`. Errors name files by their
    /// path.
    ///
    /// # Errors
    ///
    /// [`CalendarError::Io`] when `dir` or a year file cannot be read or a
    /// year file is not a regular file; [`CalendarError::TooLarge`] over
    /// [`crate::limits::MAX_POLICY_FILE_BYTES`];
    /// [`CalendarError::Invalid`] when `dir` holds no year file or a file
    /// name's year differs from the file's `year`; and the errors of
    /// [`Calendar::add_year_json`].
    ///
    /// # Example
    ///
    /// ```
    /// use std::path::Path;
    /// use govshare::Calendar;
    ///
    /// let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/calendar"));
    /// let calendar = Calendar::load_dir(dir)?;
    /// assert_eq!(calendar.years(), [2025, 2026]);
    /// assert!(Calendar::load_dir(&dir.join("no-such-folder")).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn load_dir(dir: &Path) -> Result<Self, CalendarError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| CalendarError::Io { path, source }
        };
        let mut files = Vec::new();
        for entry in fs::read_dir(dir).map_err(io(dir))? {
            let path = entry.map_err(io(dir))?.path();
            let Some(year) = path
                .file_name()
                .and_then(|name| name.to_str())
                .and_then(file_name_year)
            else {
                continue;
            };
            // A folder of that name is not a year file; anything else that
            // is not a regular file (a FIFO, a device) is refused when
            // read, never waited on.
            if !path.is_dir() {
                files.push((year, path));
            }
        }
        if files.is_empty() {
            return Err(CalendarError::Invalid {
                origin: dir.display().to_string(),
                message: "the folder holds no `cn-YYYY.json` year file".to_owned(),
            });
        }
        files.sort();

        let mut calendar = Self::new();
        for (name_year, path) in files {
            let json = read_text(&path, MAX_POLICY_FILE_BYTES)
                .map_err(|e| e.into_calendar(&path, MAX_POLICY_FILE_BYTES))?;
            let origin = path.display().to_string();
            let (year, data) = parse_year(&json, &origin)?;
            if year != name_year {
                return Err(CalendarError::Invalid {
                    origin,
                    message: format!(
                        "the file name says year `{name_year}` but the file declares year `{year}`"
                    ),
                });
            }
            calendar.insert(year, data, &origin)?;
        }
        Ok(calendar)
    }

    /// The loaded years, ascending.
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
    /// assert_eq!(Calendar::embedded()?.years(), [2025, 2026]);
    /// assert_eq!(Calendar::new().years(), Vec::<i32>::new());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn years(&self) -> Vec<i32> {
        self.years.keys().copied().collect()
    }

    /// The `source` of a loaded year: the notice its dates come from.
    ///
    /// # Errors
    ///
    /// [`CalendarError::YearNotLoaded`] when `year` is not loaded.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::Calendar;
    ///
    /// let calendar = Calendar::embedded()?;
    /// assert_eq!(
    ///     calendar.source(2025)?,
    ///     "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）"
    /// );
    /// assert!(calendar.source(2027).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn source(&self, year: i32) -> Result<&str, CalendarError> {
        Ok(self.year(year)?.file.source.as_str())
    }

    /// A loaded year as its year file holds it.
    ///
    /// # Errors
    ///
    /// [`CalendarError::YearNotLoaded`] when `year` is not loaded.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::Calendar;
    ///
    /// let file = Calendar::embedded()?.year_file(2026)?;
    /// assert_eq!(file.holidays[1].name, "春节");
    /// assert_eq!(file.make_up_workdays.len(), 6);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn year_file(&self, year: i32) -> Result<YearFile, CalendarError> {
        Ok(self.year(year)?.file.clone())
    }

    /// Adds one year from a [`YearFile`] (made from a notice, say);
    /// `origin` names it in error messages. Returns the year added. On
    /// error the calendar is unchanged.
    ///
    /// # Errors
    ///
    /// [`CalendarError::Invalid`] when the file breaks a rule of the
    /// format (see the [type documentation](Calendar)) or its year is
    /// already loaded.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::{Calendar, Notice};
    ///
    /// let text = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/policies/calendar/notices/2026.txt"));
    /// let notice = Notice::parse(text, 2026, "2026.txt")?;
    /// let mut calendar = Calendar::new();
    /// assert_eq!(calendar.add_year_file(&notice.year_file, "2026.txt")?, 2026);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_year_file(&mut self, file: &YearFile, origin: &str) -> Result<i32, CalendarError> {
        let (year, data) = validate(file.clone(), origin)?;
        self.insert(year, data, origin)?;
        Ok(year)
    }

    /// The data of a loaded year.
    fn year(&self, year: i32) -> Result<&YearData, CalendarError> {
        self.years
            .get(&year)
            .ok_or_else(|| CalendarError::YearNotLoaded {
                year,
                loaded: self.years(),
            })
    }

    /// What kind of day `date` is.
    ///
    /// # Errors
    ///
    /// [`CalendarError::YearNotLoaded`] when the year of `date` is not
    /// loaded.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use govshare::{Calendar, DayKind};
    ///
    /// let calendar = Calendar::embedded()?;
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).ok_or("invalid date");
    /// assert_eq!(calendar.day_kind(d(2025, 9, 29)?)?, DayKind::Workday);
    /// assert_eq!(calendar.day_kind(d(2025, 9, 27)?)?, DayKind::Weekend);
    /// assert_eq!(
    ///     calendar.day_kind(d(2025, 9, 28)?)?,
    ///     DayKind::MakeUpWorkday { for_holiday: "国庆节、中秋节".into() }
    /// );
    /// assert!(calendar.day_kind(d(2027, 1, 4)?).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn day_kind(&self, date: NaiveDate) -> Result<DayKind, CalendarError> {
        let year = self.year(date.year())?;
        if let Some(name) = holiday_on(&year.holidays, date) {
            return Ok(DayKind::Holiday {
                name: name.to_owned(),
            });
        }
        if let Some(for_holiday) = year.make_up.get(&date) {
            return Ok(DayKind::MakeUpWorkday {
                for_holiday: for_holiday.clone(),
            });
        }
        Ok(if is_weekend(date) {
            DayKind::Weekend
        } else {
            DayKind::Workday
        })
    }

    /// Whether `date` is a working day.
    ///
    /// # Errors
    ///
    /// [`CalendarError::YearNotLoaded`] when the year of `date` is not
    /// loaded.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use govshare::Calendar;
    ///
    /// let calendar = Calendar::embedded()?;
    /// // Saturday 2025-10-11 is worked for the National Day holiday.
    /// assert!(calendar.is_working_day(NaiveDate::from_ymd_opt(2025, 10, 11).ok_or("date")?)?);
    /// assert!(!calendar.is_working_day(NaiveDate::from_ymd_opt(2025, 10, 8).ok_or("date")?)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        Ok(self.day_kind(date)?.is_working_day())
    }

    /// `n` working days after `start`; the start day itself is not counted
    /// (民法典 Art. 201). `n == 0` returns `start` unchanged with nothing
    /// skipped. The result lists every non-working day passed over.
    ///
    /// # Errors
    ///
    /// [`CalendarError::YearNotLoaded`] when the year of `start`, or of any
    /// day the count walks through, is not loaded.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use govshare::{Calendar, CalendarError};
    ///
    /// let calendar = Calendar::embedded()?;
    /// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).ok_or("invalid date");
    ///
    /// // Received Friday 2025-09-26: Saturday is off, Sunday 28th is worked.
    /// let one = calendar.add_working_days(d(2025, 9, 26)?, 1)?;
    /// assert_eq!(one.due, d(2025, 9, 28)?);
    /// assert_eq!(one.skipped.len(), 1);
    ///
    /// // 2025-12-31 + 1: 1–3 January 2026 are the New Year holiday and
    /// // Sunday the 4th is worked.
    /// assert_eq!(calendar.add_working_days(d(2025, 12, 31)?, 1)?.due, d(2026, 1, 4)?);
    ///
    /// // 2027 is not loaded: an error, never a guess.
    /// let err = calendar.add_working_days(d(2026, 12, 31)?, 1);
    /// assert!(matches!(err, Err(CalendarError::YearNotLoaded { year: 2027, .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<WorkingDays, CalendarError> {
        self.year(start.year())?;
        let mut day = start;
        let mut counted: u32 = 0;
        let mut skipped = Vec::new();
        while counted < n {
            day = day.succ_opt().ok_or_else(|| CalendarError::YearNotLoaded {
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
mod tests;
