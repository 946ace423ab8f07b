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
//! ([`china_offset`], [`china_date`]).
//!
//! # Year files
//!
//! Each year is one JSON file named `cn-YYYY.json`, transcribed from that
//! year's notice. The calendars of 2025 (国办发明电〔2024〕12号) and 2026
//! (国务院办公厅关于2026年部分节假日安排的通知) are embedded in the library
//! ([`Calendar::embedded`]); further years load with
//! [`Calendar::add_year_json`] or [`Calendar::load_dir`].
//!
//! ```json
//! {
//!   "year": 2025,
//!   "source": "国办发明电〔2024〕12号",
//!   "holidays": [
//!     {"name": "春节", "en": "Spring Festival", "from": "2025-01-28", "to": "2025-02-04"}
//!   ],
//!   "make_up_workdays": [
//!     {"date": "2025-01-26", "for": "春节"}
//!   ]
//! }
//! ```
//!
//! | key | meaning |
//! | --- | --- |
//! | `year` | the calendar year the file covers |
//! | `source` | the notice the dates come from; must not be empty |
//! | `holidays[].name` | the holiday's name as in the notice, such as `春节`; unique in the file |
//! | `holidays[].en` | optional English name, for readers of the file |
//! | `holidays[].from`, `holidays[].to` | first and last day off, both inclusive, `YYYY-MM-DD` |
//! | `make_up_workdays[].date` | a Saturday or Sunday that is worked, `YYYY-MM-DD` |
//! | `make_up_workdays[].for` | the `name` of the holiday of the same file it makes up for |
//!
//! A file is refused, with an error naming the file, the year and the
//! problem, when it:
//!
//! - is not JSON in this shape, has a key not listed above, or has a date
//!   not written `YYYY-MM-DD` ([`CalendarError::Parse`]);
//! - has an empty `source` or holiday name, or a holiday name used twice;
//! - has a holiday day or a make-up workday outside `year` (a holiday that
//!   runs across New Year is split between the two year files);
//! - has a holiday whose `from` is after its `to`, or two holidays that
//!   share a day;
//! - has a make-up workday that is also a holiday, is not a Saturday or
//!   Sunday, is listed twice, or whose `for` names no holiday of the file;
//! - declares a year that the calendar already holds.
//!
//! All but the first are [`CalendarError::Invalid`].
//!
//! # Counting
//!
//! A holiday that falls on a weekend is a [`DayKind::Holiday`], not a
//! [`DayKind::Weekend`]. A date in a year that is not loaded is always an
//! error ([`CalendarError::YearNotLoaded`]), never a guess: also when a
//! count of working days walks past the end of the last loaded year.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Offset as _, Utc, Weekday};
use serde::{Deserialize, Deserializer, Serialize};

/// The embedded year files: (file name, contents).
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

/// UTC+08:00 in seconds east of UTC.
const CHINA_OFFSET_SECONDS: i32 = 8 * 60 * 60;

/// UTC+08:00; `Some`, as the compile-time assertion below proves.
const CHINA_OFFSET: Option<FixedOffset> = FixedOffset::east_opt(CHINA_OFFSET_SECONDS);

const _: () = assert!(CHINA_OFFSET.is_some(), "UTC+08:00 is a valid offset");

/// China Standard Time, UTC+08:00 (no DST since 1991).
///
/// # Errors
///
/// None: this function cannot fail.
///
/// # Example
///
/// ```
/// use govshare::lifecycle::calendar::china_offset;
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
/// # Errors
///
/// None: this function cannot fail.
///
/// # Example
///
/// ```
/// use chrono::{DateTime, NaiveDate};
/// use govshare::lifecycle::calendar::china_date;
///
/// // 16:30 UTC on 30 September is already 1 October in Beijing.
/// let instant = DateTime::parse_from_rfc3339("2025-09-30T16:30:00Z")?;
/// assert_eq!(china_date(&instant), NaiveDate::from_ymd_opt(2025, 10, 1).ok_or("date")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn china_date(instant: &DateTime<FixedOffset>) -> NaiveDate {
    instant.with_timezone(&china_offset()).date_naive()
}

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
    /// use govshare::lifecycle::calendar::DayKind;
    ///
    /// assert!(DayKind::MakeUpWorkday { for_holiday: "春节".into() }.is_working_day());
    /// assert!(!DayKind::Holiday { name: "春节".into() }.is_working_day());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_working_day(&self) -> bool {
        matches!(self, Self::Workday | Self::MakeUpWorkday { .. })
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

/// The working-day calendar cannot answer, or a year file cannot be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// A date lies in a year whose calendar is not loaded.
    #[error(
        "no working-day calendar is loaded for year `{year}` (loaded: {})",
        year_list(.loaded)
    )]
    YearNotLoaded {
        /// The year asked about.
        year: i32,
        /// The years loaded, ascending.
        loaded: Vec<i32>,
    },
    /// A year file is not JSON in the year-file format.
    #[error("cannot parse working-day calendar `{origin}`: {message}")]
    Parse {
        /// The file, as named by the caller.
        origin: String,
        /// What is wrong, with its line and column.
        message: String,
    },
    /// A year file parses but breaks a rule of the format.
    #[error("invalid working-day calendar `{origin}`: {message}")]
    Invalid {
        /// The file (or folder), as named by the caller.
        origin: String,
        /// What is wrong, naming the year.
        message: String,
    },
    /// A year file or folder cannot be read.
    #[error("cannot read working-day calendar `{}`: {source}", .path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}

/// `2025, 2026`, or `none`.
fn year_list(years: &[i32]) -> String {
    if years.is_empty() {
        return "none".to_owned();
    }
    years
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

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
fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    (date.format("%Y-%m-%d").to_string() == text).then_some(date)
}

/// The year in a file name `cn-YYYY.json`.
fn file_name_year(name: &str) -> Option<i32> {
    let digits = name.strip_prefix("cn-")?.strip_suffix(".json")?;
    if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().ok()
    } else {
        None
    }
}

/// One validated year.
#[derive(Debug, Clone)]
struct YearData {
    source: String,
    /// Holidays keyed by first day: (last day, name). They do not overlap.
    holidays: BTreeMap<NaiveDate, (NaiveDate, String)>,
    /// Make-up workdays: the holiday each makes up for.
    make_up: BTreeMap<NaiveDate, String>,
}

/// The holiday `date` belongs to, if any.
fn holiday_on(
    holidays: &BTreeMap<NaiveDate, (NaiveDate, String)>,
    date: NaiveDate,
) -> Option<&str> {
    holidays
        .range(..=date)
        .next_back()
        .filter(|(_, (to, _))| date <= *to)
        .map(|(_, (_, name))| name.as_str())
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Parses and validates one year file; does not check for a duplicate year.
fn parse_year(json: &str, origin: &str) -> Result<(i32, YearData), CalendarError> {
    let file: YearFile = serde_json::from_str(json).map_err(|e| CalendarError::Parse {
        origin: origin.to_owned(),
        message: e.to_string(),
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

/// The PRC working-day calendar: the years loaded so far.
///
/// Cheap to clone; [`Calendar::default`] is the same as [`Calendar::new`].
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
    /// use govshare::lifecycle::calendar::Calendar;
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
    /// use govshare::lifecycle::calendar::{Calendar, DayKind};
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
    /// the [module documentation](self)) or its year is already loaded.
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use govshare::lifecycle::calendar::{Calendar, CalendarError, DayKind};
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
    /// [`CalendarError::Io`] when `dir` or a year file cannot be read;
    /// [`CalendarError::Invalid`] when `dir` holds no year file or a file
    /// name's year differs from the file's `year`; and the errors of
    /// [`Calendar::add_year_json`].
    ///
    /// # Example
    ///
    /// ```
    /// use std::path::Path;
    /// use govshare::lifecycle::calendar::Calendar;
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
            if path.is_file() {
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
            let json = fs::read_to_string(&path).map_err(io(&path))?;
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
    /// use govshare::lifecycle::calendar::Calendar;
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
    /// use govshare::lifecycle::calendar::Calendar;
    ///
    /// let calendar = Calendar::embedded()?;
    /// assert_eq!(calendar.source(2025)?, "国办发明电〔2024〕12号");
    /// assert!(calendar.source(2027).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn source(&self, year: i32) -> Result<&str, CalendarError> {
        Ok(self.year(year)?.source.as_str())
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
    /// use govshare::lifecycle::calendar::{Calendar, DayKind};
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
    /// use govshare::lifecycle::calendar::Calendar;
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
    /// use govshare::lifecycle::calendar::{Calendar, CalendarError};
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
mod tests {
    use super::*;
    use serde_json::json;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn cal() -> Calendar {
        Calendar::embedded().unwrap()
    }

    /// Every date from `from` to `to`, both inclusive.
    fn days(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        from.iter_days().take_while(|x| *x <= to).collect()
    }

    fn holiday(name: &str) -> DayKind {
        DayKind::Holiday { name: name.into() }
    }

    fn make_up(name: &str) -> DayKind {
        DayKind::MakeUpWorkday {
            for_holiday: name.into(),
        }
    }

    fn skipped(list: &[(NaiveDate, DayKind)]) -> Vec<SkippedDay> {
        list.iter()
            .map(|(date, kind)| SkippedDay {
                date: *date,
                kind: kind.clone(),
            })
            .collect()
    }

    fn weekend(date: NaiveDate) -> (NaiveDate, DayKind) {
        (date, DayKind::Weekend)
    }

    fn holiday_days(from: NaiveDate, to: NaiveDate, name: &str) -> Vec<(NaiveDate, DayKind)> {
        days(from, to)
            .into_iter()
            .map(|x| (x, holiday(name)))
            .collect()
    }

    /// The holidays of the two notices, transcribed by hand: (name, first
    /// day, last day).
    fn notice_holidays() -> Vec<(&'static str, NaiveDate, NaiveDate)> {
        vec![
            // 国办发明电〔2024〕12号
            ("元旦", d(2025, 1, 1), d(2025, 1, 1)),
            ("春节", d(2025, 1, 28), d(2025, 2, 4)),
            ("清明节", d(2025, 4, 4), d(2025, 4, 6)),
            ("劳动节", d(2025, 5, 1), d(2025, 5, 5)),
            ("端午节", d(2025, 5, 31), d(2025, 6, 2)),
            ("国庆节、中秋节", d(2025, 10, 1), d(2025, 10, 8)),
            // 国务院办公厅关于2026年部分节假日安排的通知
            ("元旦", d(2026, 1, 1), d(2026, 1, 3)),
            ("春节", d(2026, 2, 15), d(2026, 2, 23)),
            ("清明节", d(2026, 4, 4), d(2026, 4, 6)),
            ("劳动节", d(2026, 5, 1), d(2026, 5, 5)),
            ("端午节", d(2026, 6, 19), d(2026, 6, 21)),
            ("中秋节", d(2026, 9, 25), d(2026, 9, 27)),
            ("国庆节", d(2026, 10, 1), d(2026, 10, 7)),
        ]
    }

    /// The make-up workdays of the two notices, with their weekday.
    fn notice_make_ups() -> Vec<(NaiveDate, Weekday, &'static str)> {
        vec![
            (d(2025, 1, 26), Weekday::Sun, "春节"),
            (d(2025, 2, 8), Weekday::Sat, "春节"),
            (d(2025, 4, 27), Weekday::Sun, "劳动节"),
            (d(2025, 9, 28), Weekday::Sun, "国庆节、中秋节"),
            (d(2025, 10, 11), Weekday::Sat, "国庆节、中秋节"),
            (d(2026, 1, 4), Weekday::Sun, "元旦"),
            (d(2026, 2, 14), Weekday::Sat, "春节"),
            (d(2026, 2, 28), Weekday::Sat, "春节"),
            (d(2026, 5, 9), Weekday::Sat, "劳动节"),
            (d(2026, 9, 20), Weekday::Sun, "国庆节"),
            (d(2026, 10, 10), Weekday::Sat, "国庆节"),
        ]
    }

    // ----- embedded data -------------------------------------------------

    #[test]
    fn embedded_holds_2025_and_2026_with_their_sources() {
        let c = cal();
        assert_eq!(c.years(), [2025, 2026]);
        assert_eq!(c.source(2025).unwrap(), "国办发明电〔2024〕12号");
        assert_eq!(
            c.source(2026).unwrap(),
            "国务院办公厅关于2026年部分节假日安排的通知"
        );
        assert!(matches!(
            c.source(2024),
            Err(CalendarError::YearNotLoaded { year: 2024, .. })
        ));
    }

    #[test]
    fn every_holiday_day_of_both_notices_is_a_holiday() {
        let c = cal();
        let mut checked = 0;
        for (name, from, to) in notice_holidays() {
            for day in days(from, to) {
                assert_eq!(c.day_kind(day).unwrap(), holiday(name), "{day}");
                assert!(!c.is_working_day(day).unwrap(), "{day}");
                checked += 1;
            }
            // The days just outside the range are not part of this holiday
            // (2024-12-31, before the first loaded day, is not loaded).
            for outside in [from.pred_opt().unwrap(), to.succ_opt().unwrap()] {
                match c.day_kind(outside) {
                    Ok(kind) => assert_ne!(kind, holiday(name), "{outside}"),
                    Err(_) => assert_eq!(outside, d(2024, 12, 31)),
                }
            }
        }
        // 2025: 1 + 8 + 3 + 5 + 3 + 8 = 28; 2026: 3 + 9 + 3 + 5 + 3 + 3 + 7 = 33.
        assert_eq!(checked, 28 + 33);
    }

    #[test]
    fn holidays_on_a_weekend_are_holidays_not_weekends() {
        let c = cal();
        // Sat/Sun 2025-04-05/06 (清明), Sat 2026-01-03 (元旦), Sun 2026-02-15
        // and Sat/Sun 2026-02-21/22 (春节), Sat/Sun 2026-10-03/04 (国庆).
        for (date, name) in [
            (d(2025, 4, 5), "清明节"),
            (d(2025, 4, 6), "清明节"),
            (d(2026, 1, 3), "元旦"),
            (d(2026, 2, 15), "春节"),
            (d(2026, 2, 21), "春节"),
            (d(2026, 2, 22), "春节"),
            (d(2026, 10, 3), "国庆节"),
            (d(2026, 10, 4), "国庆节"),
        ] {
            assert!(is_weekend(date), "{date}");
            assert_eq!(c.day_kind(date).unwrap(), holiday(name), "{date}");
        }
    }

    #[test]
    fn every_make_up_workday_of_both_notices_is_a_working_day() {
        let c = cal();
        for (date, weekday, name) in notice_make_ups() {
            assert_eq!(date.weekday(), weekday, "{date}");
            assert_eq!(c.day_kind(date).unwrap(), make_up(name), "{date}");
            assert!(c.is_working_day(date).unwrap(), "{date}");
        }
        assert_eq!(notice_make_ups().len(), 5 + 6);
    }

    #[test]
    fn whole_years_tally_with_the_notices() {
        // Counted by hand from the notices. 2025 starts on a Wednesday and
        // 2026 on a Thursday, so each has 261 weekdays and 104 weekend days.
        // 2025: holiday weekdays 1 + 6 + 1 + 3 + 1 + 6 = 18 of 28 holiday
        // days; 5 make-up days. 2026: 2 + 6 + 1 + 3 + 1 + 1 + 5 = 19 of 33;
        // 6 make-up days.
        let c = cal();
        for (year, workday, weekend, holidays, make_ups) in [
            (2025, 261 - 18, 104 - 10 - 5, 28, 5),
            (2026, 261 - 19, 104 - 14 - 6, 33, 6),
        ] {
            let mut tally = [0usize; 4];
            for day in days(d(year, 1, 1), d(year, 12, 31)) {
                let slot = match c.day_kind(day).unwrap() {
                    DayKind::Workday => 0,
                    DayKind::Weekend => 1,
                    DayKind::Holiday { .. } => 2,
                    DayKind::MakeUpWorkday { .. } => 3,
                };
                tally[slot] += 1;
            }
            assert_eq!(tally, [workday, weekend, holidays, make_ups], "{year}");
            let working = days(d(year, 1, 1), d(year, 12, 31))
                .into_iter()
                .filter(|x| c.is_working_day(*x).unwrap())
                .count();
            assert_eq!(working, 248, "{year}");
        }
    }

    #[test]
    fn ordinary_weekdays_and_weekends() {
        let c = cal();
        for date in [
            d(2025, 1, 2),   // Thursday after 元旦
            d(2025, 1, 27),  // Monday between the make-up Sunday and 春节
            d(2025, 2, 5),   // Wednesday after 春节
            d(2025, 9, 30),  // Tuesday before 国庆
            d(2025, 10, 9),  // Thursday after 国庆
            d(2025, 12, 31), // Wednesday
            d(2026, 1, 5),   // Monday
            d(2026, 3, 2),   // Monday
            d(2026, 12, 31), // Thursday
        ] {
            assert_eq!(c.day_kind(date).unwrap(), DayKind::Workday, "{date}");
            assert!(c.is_working_day(date).unwrap(), "{date}");
        }
        for date in [
            d(2025, 1, 4),   // Saturday
            d(2025, 1, 25),  // Saturday before the make-up Sunday
            d(2025, 2, 9),   // Sunday after the make-up Saturday
            d(2025, 9, 27),  // Saturday before the make-up Sunday
            d(2025, 10, 12), // Sunday after the make-up Saturday
            d(2026, 1, 10),  // Saturday
            d(2026, 3, 1),   // Sunday after the make-up Saturday
            d(2026, 12, 27), // Sunday
        ] {
            assert_eq!(c.day_kind(date).unwrap(), DayKind::Weekend, "{date}");
            assert!(!c.is_working_day(date).unwrap(), "{date}");
        }
    }

    // ----- counting -------------------------------------------------------

    #[test]
    fn zero_working_days_returns_the_start_unchanged() {
        let c = cal();
        for start in [d(2025, 3, 3), d(2025, 10, 1), d(2025, 9, 27)] {
            let r = c.add_working_days(start, 0).unwrap();
            assert_eq!(
                r,
                WorkingDays {
                    start,
                    due: start,
                    working_days: 0,
                    skipped: vec![]
                }
            );
        }
    }

    #[test]
    fn friday_before_national_day_2025() {
        let c = cal();
        let start = d(2025, 9, 26); // Friday; 2025-09-30 is a Tuesday

        // +1: Sat 27 is off; Sun 28 is a make-up workday → due Sun 28.
        let one = c.add_working_days(start, 1).unwrap();
        assert_eq!(
            one,
            WorkingDays {
                start,
                due: d(2025, 9, 28),
                working_days: 1,
                skipped: skipped(&[weekend(d(2025, 9, 27))]),
            }
        );

        // +10, by hand:
        //   Sat 09-27 off (weekend)
        //   Sun 09-28 make-up  → 1
        //   Mon 09-29          → 2
        //   Tue 09-30          → 3
        //   Wed 10-01 … Wed 10-08 off (国庆节、中秋节, 8 days)
        //   Thu 10-09          → 4
        //   Fri 10-10          → 5
        //   Sat 10-11 make-up  → 6
        //   Sun 10-12 off (weekend)
        //   Mon 10-13 → 7, Tue 10-14 → 8, Wed 10-15 → 9, Thu 10-16 → 10
        // Due Thursday 2025-10-16, ten days passed over.
        let ten = c.add_working_days(start, 10).unwrap();
        assert_eq!(ten.due, d(2025, 10, 16));
        assert_eq!(ten.working_days, 10);
        let mut expected = vec![weekend(d(2025, 9, 27))];
        expected.extend(holiday_days(
            d(2025, 10, 1),
            d(2025, 10, 8),
            "国庆节、中秋节",
        ));
        expected.push(weekend(d(2025, 10, 12)));
        assert_eq!(ten.skipped, skipped(&expected));
        assert_eq!(ten.skipped.len(), 10);

        // +20 continues: Fri 10-17 → 11; Sat/Sun 18–19 off; Mon 20 … Fri 24
        // → 12–16; Sat/Sun 25–26 off; Mon 27 → 17 … Thu 30 → 20.
        let twenty = c.add_working_days(start, 20).unwrap();
        assert_eq!(twenty.due, d(2025, 10, 30));
        expected.extend([
            weekend(d(2025, 10, 18)),
            weekend(d(2025, 10, 19)),
            weekend(d(2025, 10, 25)),
            weekend(d(2025, 10, 26)),
        ]);
        assert_eq!(twenty.skipped, skipped(&expected));
    }

    #[test]
    fn counting_from_a_holiday_or_make_up_day() {
        let c = cal();
        // Start on Wed 2025-10-01 (a holiday, not itself counted or
        // skipped): Oct 2–8 are off, Thu Oct 9 is the first working day.
        let r = c.add_working_days(d(2025, 10, 1), 1).unwrap();
        assert_eq!(r.due, d(2025, 10, 9));
        assert_eq!(
            r.skipped,
            skipped(&holiday_days(
                d(2025, 10, 2),
                d(2025, 10, 8),
                "国庆节、中秋节"
            ))
        );
        // Start on the make-up Sunday 2025-09-28: + 1 is Monday.
        let r = c.add_working_days(d(2025, 9, 28), 1).unwrap();
        assert_eq!(r.due, d(2025, 9, 29));
        assert!(r.skipped.is_empty());
        // Labour Day 2025: Fri Apr 25 + 1 → Sat 26 off, Sun 27 make-up.
        let r = c.add_working_days(d(2025, 4, 25), 1).unwrap();
        assert_eq!(r.due, d(2025, 4, 27));
        assert_eq!(r.skipped, skipped(&[weekend(d(2025, 4, 26))]));
        // Wed Apr 30 + 1 → May 1–5 off (Thu–Mon) → Tue May 6.
        let r = c.add_working_days(d(2025, 4, 30), 1).unwrap();
        assert_eq!(r.due, d(2025, 5, 6));
        assert_eq!(
            r.skipped,
            skipped(&holiday_days(d(2025, 5, 1), d(2025, 5, 5), "劳动节"))
        );
    }

    #[test]
    fn spring_festival_2025() {
        let c = cal();
        let start = d(2025, 1, 24); // Friday
        // Sat 01-25 off; Sun 01-26 make-up → 1; Mon 01-27 → 2; Tue 01-28 …
        // Tue 02-04 off (春节, 8 days, Sat/Sun 02-01/02 among them); Wed
        // 02-05 → 3; Thu 02-06 → 4; Fri 02-07 → 5; Sat 02-08 make-up → 6;
        // Sun 02-09 off; Mon 02-10 → 7.
        let mut expected = vec![weekend(d(2025, 1, 25))];
        assert_eq!(c.add_working_days(start, 1).unwrap().due, d(2025, 1, 26));
        assert_eq!(c.add_working_days(start, 2).unwrap().due, d(2025, 1, 27));
        assert_eq!(
            c.add_working_days(start, 2).unwrap().skipped,
            skipped(&expected)
        );

        expected.extend(holiday_days(d(2025, 1, 28), d(2025, 2, 4), "春节"));
        let five = c.add_working_days(start, 5).unwrap();
        assert_eq!(five.due, d(2025, 2, 7));
        assert_eq!(five.skipped, skipped(&expected));
        assert_eq!(five.skipped.len(), 9);

        assert_eq!(c.add_working_days(start, 6).unwrap().due, d(2025, 2, 8));
        let seven = c.add_working_days(start, 7).unwrap();
        assert_eq!(seven.due, d(2025, 2, 10));
        expected.push(weekend(d(2025, 2, 9)));
        assert_eq!(seven.skipped, skipped(&expected));
    }

    #[test]
    fn spring_festival_2026() {
        let c = cal();
        let start = d(2026, 2, 13); // Friday
        // Sat 02-14 make-up → 1; Sun 02-15 … Mon 02-23 off (春节, 9 days);
        // Tue 02-24 → 2; Wed 25 → 3; Thu 26 → 4; Fri 27 → 5; Sat 02-28
        // make-up → 6; Sun 03-01 off; Mon 03-02 → 7 … Thu 03-05 → 10.
        let one = c.add_working_days(start, 1).unwrap();
        assert_eq!(one.due, d(2026, 2, 14));
        assert!(one.skipped.is_empty());

        let holiday = holiday_days(d(2026, 2, 15), d(2026, 2, 23), "春节");
        let two = c.add_working_days(start, 2).unwrap();
        assert_eq!(two.due, d(2026, 2, 24));
        assert_eq!(two.skipped, skipped(&holiday));
        assert_eq!(two.skipped.len(), 9);

        assert_eq!(c.add_working_days(start, 6).unwrap().due, d(2026, 2, 28));
        let mut expected = holiday.clone();
        expected.push(weekend(d(2026, 3, 1)));
        let seven = c.add_working_days(start, 7).unwrap();
        assert_eq!(seven.due, d(2026, 3, 2));
        assert_eq!(seven.skipped, skipped(&expected));
        let ten = c.add_working_days(start, 10).unwrap();
        assert_eq!(ten.due, d(2026, 3, 5));
        assert_eq!(ten.skipped, skipped(&expected));
    }

    #[test]
    fn across_the_2025_to_2026_boundary() {
        let c = cal();
        // Wed 2025-12-31 + 1: Jan 1–3 are 元旦 (Thu–Sat); Sunday Jan 4 is a
        // make-up workday → 2026-01-04.
        let r = c.add_working_days(d(2025, 12, 31), 1).unwrap();
        assert_eq!(
            r,
            WorkingDays {
                start: d(2025, 12, 31),
                due: d(2026, 1, 4),
                working_days: 1,
                skipped: skipped(&holiday_days(d(2026, 1, 1), d(2026, 1, 3), "元旦")),
            }
        );
        assert_eq!(
            c.add_working_days(d(2025, 12, 31), 2).unwrap().due,
            d(2026, 1, 5)
        );
        // Fri 2025-12-26: Sat 27/Sun 28 off; Mon 29 → 1, Tue 30 → 2, Wed 31
        // → 3; Jan 1–3 off; Sun Jan 4 → 4; Mon Jan 5 → 5.
        let r = c.add_working_days(d(2025, 12, 26), 5).unwrap();
        assert_eq!(r.due, d(2026, 1, 5));
        let mut expected = vec![weekend(d(2025, 12, 27)), weekend(d(2025, 12, 28))];
        expected.extend(holiday_days(d(2026, 1, 1), d(2026, 1, 3), "元旦"));
        assert_eq!(r.skipped, skipped(&expected));
        assert_eq!(
            c.add_working_days(d(2025, 12, 26), 3).unwrap().due,
            d(2025, 12, 31)
        );
    }

    #[test]
    fn walking_past_the_end_of_2026_is_an_error() {
        let c = cal();
        assert_eq!(
            c.add_working_days(d(2026, 12, 30), 1).unwrap().due,
            d(2026, 12, 31)
        );
        // Fri 2026-12-25: Sat 26/Sun 27 off; Mon 28 … Thu 31 → 1–4; the
        // fifth would fall in 2027.
        assert_eq!(
            c.add_working_days(d(2026, 12, 25), 4).unwrap().due,
            d(2026, 12, 31)
        );
        for (start, n) in [
            (d(2026, 12, 31), 1),
            (d(2026, 12, 25), 5),
            (d(2026, 1, 5), 300),
        ] {
            let err = c.add_working_days(start, n).unwrap_err();
            match &err {
                CalendarError::YearNotLoaded { year, loaded } => {
                    assert_eq!(*year, 2027);
                    assert_eq!(loaded, &[2025, 2026]);
                }
                other => panic!("expected YearNotLoaded, got {other:?}"),
            }
            assert_eq!(
                err.to_string(),
                "no working-day calendar is loaded for year `2027` (loaded: 2025, 2026)"
            );
        }
    }

    #[test]
    fn dates_outside_the_loaded_years_are_errors() {
        let c = cal();
        for n in [0, 1, 5] {
            let err = c.add_working_days(d(2024, 12, 31), n).unwrap_err();
            assert!(
                matches!(err, CalendarError::YearNotLoaded { year: 2024, .. }),
                "{err:?}"
            );
            assert_eq!(
                err.to_string(),
                "no working-day calendar is loaded for year `2024` (loaded: 2025, 2026)"
            );
        }
        assert!(c.add_working_days(d(2027, 1, 4), 0).is_err());
        assert!(c.day_kind(d(2024, 12, 31)).is_err());
        assert!(c.day_kind(d(2027, 1, 1)).is_err());
        assert!(c.is_working_day(d(2027, 1, 4)).is_err());

        let empty = Calendar::new();
        let err = empty.day_kind(d(2025, 6, 3)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no working-day calendar is loaded for year `2025` (loaded: none)"
        );
        assert!(
            Calendar::default()
                .add_working_days(d(2025, 6, 3), 0)
                .is_err()
        );
    }

    #[test]
    fn a_gap_between_loaded_years_is_an_error() {
        let mut c = Calendar::new();
        c.add_year_json(EMBEDDED[1].1, "cn-2026.json").unwrap();
        c.add_year_json(&year_json(2028, "", ""), "cn-2028.json")
            .unwrap();
        assert_eq!(c.years(), [2026, 2028]);
        let err = c.add_working_days(d(2026, 12, 31), 1).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no working-day calendar is loaded for year `2027` (loaded: 2026, 2028)"
        );
    }

    #[test]
    fn china_standard_time() {
        assert_eq!(china_offset().local_minus_utc(), 8 * 3600);
        let at = |s| DateTime::parse_from_rfc3339(s).unwrap();
        assert_eq!(china_date(&at("2025-09-30T15:59:59Z")), d(2025, 9, 30));
        assert_eq!(china_date(&at("2025-09-30T16:00:00Z")), d(2025, 10, 1));
        assert_eq!(china_date(&at("2025-10-01T00:30:00+08:00")), d(2025, 10, 1));
        // 23:30 in New York (UTC−05:00) is 12:30 the next day in Beijing.
        assert_eq!(china_date(&at("2025-12-31T23:30:00-05:00")), d(2026, 1, 1));
    }

    #[test]
    fn results_serialize_as_documented() {
        assert_eq!(
            serde_json::to_value(DayKind::Workday).unwrap(),
            json!({"kind": "workday"})
        );
        assert_eq!(
            serde_json::to_value(DayKind::Weekend).unwrap(),
            json!({"kind": "weekend"})
        );
        assert_eq!(
            serde_json::to_value(holiday("春节")).unwrap(),
            json!({"kind": "holiday", "name": "春节"})
        );
        assert_eq!(
            serde_json::to_value(make_up("春节")).unwrap(),
            json!({"kind": "make_up_workday", "for_holiday": "春节"})
        );
        let r = cal().add_working_days(d(2025, 9, 26), 1).unwrap();
        assert_eq!(
            serde_json::to_value(&r).unwrap(),
            json!({
                "start": "2025-09-26",
                "due": "2025-09-28",
                "working_days": 1,
                "skipped": [{"date": "2025-09-27", "kind": {"kind": "weekend"}}]
            })
        );
    }

    // ----- loading and validation ----------------------------------------

    /// A year file with the given holiday and make-up entries (JSON array
    /// contents).
    fn year_json(year: i32, holidays: &str, make_ups: &str) -> String {
        format!(
            r#"{{"year": {year}, "source": "test notice", "holidays": [{holidays}], "make_up_workdays": [{make_ups}]}}"#
        )
    }

    fn add(json: &str) -> Result<i32, CalendarError> {
        Calendar::new().add_year_json(json, "test.json")
    }

    /// The message of an `Invalid` error from `test.json`.
    fn invalid(json: &str) -> String {
        match add(json).unwrap_err() {
            CalendarError::Invalid { origin, message } => {
                assert_eq!(origin, "test.json");
                message
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
    }

    /// The message of a `Parse` error from `test.json`.
    fn parse_error(json: &str) -> String {
        match add(json).unwrap_err() {
            CalendarError::Parse { origin, message } => {
                assert_eq!(origin, "test.json");
                message
            }
            other => panic!("expected Parse, got {other:?}"),
        }
    }

    // 2027-01-01 is a Friday: Jan 2/3 and 9/10 are weekends.

    #[test]
    fn a_minimal_custom_year_loads() {
        let mut c = Calendar::new();
        let json = year_json(
            2027,
            r#"{"name": "元旦", "en": "New Year's Day", "from": "2027-01-01", "to": "2027-01-03"}"#,
            r#"{"date": "2027-01-09", "for": "元旦"}"#,
        );
        assert_eq!(c.add_year_json(&json, "cn-2027.json").unwrap(), 2027);
        assert_eq!(c.years(), [2027]);
        assert_eq!(c.source(2027).unwrap(), "test notice");
        assert_eq!(c.day_kind(d(2027, 1, 1)).unwrap(), holiday("元旦"));
        assert_eq!(c.day_kind(d(2027, 1, 4)).unwrap(), DayKind::Workday);
        assert_eq!(c.day_kind(d(2027, 1, 9)).unwrap(), make_up("元旦"));
        assert_eq!(c.day_kind(d(2027, 1, 10)).unwrap(), DayKind::Weekend);
        // `en` is optional; an empty year is allowed.
        assert_eq!(
            add(&year_json(
                2027,
                r#"{"name": "元旦", "from": "2027-01-01", "to": "2027-01-01"}"#,
                ""
            ))
            .unwrap(),
            2027
        );
        assert_eq!(add(&year_json(2030, "", "")).unwrap(), 2030);
    }

    #[test]
    fn malformed_files_are_parse_errors() {
        let msg = parse_error("not json");
        assert!(msg.contains("line 1"), "{msg}");

        let msg = parse_error(
            r#"{"year": 2027, "source": "n", "holidays": [], "make_up_workdays": [], "extra": 1}"#,
        );
        assert!(msg.contains("unknown field `extra`"), "{msg}");

        let msg = parse_error(&year_json(
            2027,
            r#"{"name": "a", "from": "2027-01-01", "to": "2027-01-01", "days": 1}"#,
            "",
        ));
        assert!(msg.contains("unknown field `days`"), "{msg}");

        let msg = parse_error(&year_json(
            2027,
            r#"{"name": "a", "from": "2027-01-01", "to": "2027-01-01"}"#,
            r#"{"date": "2027-01-09", "for": "a", "note": "x"}"#,
        ));
        assert!(msg.contains("unknown field `note`"), "{msg}");

        let msg = parse_error(r#"{"year": 2027, "source": "n", "holidays": []}"#);
        assert!(msg.contains("missing field `make_up_workdays`"), "{msg}");

        let msg = parse_error(
            r#"{"year": "2027", "source": "n", "holidays": [], "make_up_workdays": []}"#,
        );
        assert!(msg.contains("invalid type"), "{msg}");

        let err = add("[]").unwrap_err().to_string();
        assert!(
            err.starts_with("cannot parse working-day calendar `test.json`: "),
            "{err}"
        );
    }

    #[test]
    fn dates_must_be_written_yyyy_mm_dd() {
        for bad in [
            "2027-1-01",
            "2027-02-30",
            "2027/01/01",
            "01-01-2027",
            "2027-01-01T00:00",
            "",
        ] {
            let msg = parse_error(&year_json(
                2027,
                &format!(r#"{{"name": "a", "from": "{bad}", "to": "2027-01-01"}}"#),
                "",
            ));
            assert!(
                msg.contains(&format!(
                    "invalid date `{bad}`, expected a calendar date written YYYY-MM-DD"
                )),
                "{msg}"
            );
        }
        let msg = parse_error(&year_json(
            2027,
            r#"{"name": "a", "from": "2027-01-01", "to": "2027-01-01"}"#,
            r#"{"date": "2027-1-9", "for": "a"}"#,
        ));
        assert!(msg.contains("invalid date `2027-1-9`"), "{msg}");
    }

    #[test]
    fn holiday_outside_the_declared_year_is_refused() {
        let err = add(&year_json(
            2027,
            r#"{"name": "元旦", "from": "2026-12-31", "to": "2027-01-01"}"#,
            "",
        ))
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid working-day calendar `test.json`: year `2027`: holiday `元旦` has `from` `2026-12-31` outside year `2027`"
        );
        let msg = invalid(&year_json(
            2027,
            r#"{"name": "跨年", "from": "2027-12-31", "to": "2028-01-01"}"#,
            "",
        ));
        assert_eq!(
            msg,
            "year `2027`: holiday `跨年` has `to` `2028-01-01` outside year `2027`"
        );
        let msg = invalid(&year_json(
            2027,
            r#"{"name": "a", "from": "2025-05-01", "to": "2025-05-05"}"#,
            "",
        ));
        assert!(msg.contains("outside year `2027`"), "{msg}");
    }

    #[test]
    fn make_up_workday_outside_the_declared_year_is_refused() {
        let msg = invalid(&year_json(
            2027,
            r#"{"name": "元旦", "from": "2027-01-01", "to": "2027-01-01"}"#,
            r#"{"date": "2026-12-27", "for": "元旦"}"#,
        ));
        assert_eq!(
            msg,
            "year `2027`: make-up workday `2026-12-27` is outside year `2027`"
        );
    }

    #[test]
    fn from_after_to_is_refused() {
        let msg = invalid(&year_json(
            2027,
            r#"{"name": "春节", "from": "2027-02-10", "to": "2027-02-04"}"#,
            "",
        ));
        assert_eq!(
            msg,
            "year `2027`: holiday `春节` has `from` `2027-02-10` after `to` `2027-02-04`"
        );
    }

    #[test]
    fn overlapping_holidays_are_refused() {
        // Sharing one day, listed out of order.
        let msg = invalid(&year_json(
            2027,
            r#"{"name": "b", "from": "2027-01-03", "to": "2027-01-05"},
               {"name": "a", "from": "2027-01-01", "to": "2027-01-03"}"#,
            "",
        ));
        assert_eq!(
            msg,
            "year `2027`: holidays `a` (`2027-01-01` to `2027-01-03`) and `b` (`2027-01-03` to `2027-01-05`) overlap"
        );
        // One inside another, with a third in between in the list.
        let msg = invalid(&year_json(
            2027,
            r#"{"name": "long", "from": "2027-05-01", "to": "2027-05-10"},
               {"name": "other", "from": "2027-06-01", "to": "2027-06-01"},
               {"name": "inner", "from": "2027-05-04", "to": "2027-05-05"}"#,
            "",
        ));
        assert!(
            msg.contains("`long`") && msg.contains("`inner`") && msg.contains("overlap"),
            "{msg}"
        );
        // Same first day.
        let msg = invalid(&year_json(
            2027,
            r#"{"name": "a", "from": "2027-05-01", "to": "2027-05-01"},
               {"name": "b", "from": "2027-05-01", "to": "2027-05-03"}"#,
            "",
        ));
        assert!(
            msg.contains("`a`") && msg.contains("`b`") && msg.contains("overlap"),
            "{msg}"
        );
        // Adjacent is fine.
        assert!(
            add(&year_json(
                2027,
                r#"{"name": "a", "from": "2027-05-01", "to": "2027-05-02"},
                   {"name": "b", "from": "2027-05-03", "to": "2027-05-04"}"#,
                "",
            ))
            .is_ok()
        );
    }

    #[test]
    fn make_up_workday_that_is_a_holiday_is_refused() {
        let msg = invalid(&year_json(
            2027,
            r#"{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03"}"#,
            r#"{"date": "2027-01-02", "for": "元旦"}"#,
        ));
        assert_eq!(
            msg,
            "year `2027`: make-up workday `2027-01-02` is also a day of holiday `元旦`"
        );
    }

    #[test]
    fn make_up_workday_on_a_weekday_is_refused() {
        let msg = invalid(&year_json(
            2027,
            r#"{"name": "元旦", "from": "2027-01-01", "to": "2027-01-01"}"#,
            r#"{"date": "2027-01-04", "for": "元旦"}"#,
        ));
        assert_eq!(
            msg,
            "year `2027`: make-up workday `2027-01-04` is a Monday, not a Saturday or Sunday"
        );
    }

    #[test]
    fn make_up_workday_for_an_unknown_holiday_is_refused() {
        let msg = invalid(&year_json(
            2027,
            r#"{"name": "元旦", "from": "2027-01-01", "to": "2027-01-01"}"#,
            r#"{"date": "2027-01-09", "for": "春节"}"#,
        ));
        assert_eq!(
            msg,
            "year `2027`: make-up workday `2027-01-09` is for `春节`, which names no holiday of this file"
        );
    }

    #[test]
    fn repeated_entries_and_empty_text_are_refused() {
        let msg = invalid(&year_json(
            2027,
            r#"{"name": "元旦", "from": "2027-01-01", "to": "2027-01-01"}"#,
            r#"{"date": "2027-01-09", "for": "元旦"}, {"date": "2027-01-09", "for": "元旦"}"#,
        ));
        assert_eq!(
            msg,
            "year `2027`: make-up workday `2027-01-09` is listed more than once"
        );
        let msg = invalid(&year_json(
            2027,
            r#"{"name": "节", "from": "2027-01-01", "to": "2027-01-01"},
               {"name": "节", "from": "2027-05-01", "to": "2027-05-01"}"#,
            "",
        ));
        assert_eq!(msg, "year `2027`: holiday `节` is listed more than once");
        let msg = invalid(&year_json(
            2027,
            r#"{"name": " ", "from": "2027-01-01", "to": "2027-01-01"}"#,
            "",
        ));
        assert_eq!(
            msg,
            "year `2027`: the holiday from `2027-01-01` to `2027-01-01` has an empty name"
        );
        let msg =
            invalid(r#"{"year": 2027, "source": "", "holidays": [], "make_up_workdays": []}"#);
        assert_eq!(
            msg,
            "year `2027`: `source` is empty; it must cite the notice the dates come from"
        );
    }

    #[test]
    fn a_year_already_loaded_is_refused_and_nothing_changes() {
        let mut c = cal();
        let err = c
            .add_year_json(&year_json(2026, "", ""), "cn-2026-copy.json")
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid working-day calendar `cn-2026-copy.json`: year `2026` is already loaded"
        );
        // The 2026 data is untouched, and failed loads add nothing.
        assert_eq!(c.years(), [2025, 2026]);
        assert_eq!(c.day_kind(d(2026, 2, 16)).unwrap(), holiday("春节"));
        assert!(
            c.add_year_json(
                &year_json(2027, "", r#"{"date": "2027-01-04", "for": "x"}"#),
                "bad.json"
            )
            .is_err()
        );
        assert_eq!(c.years(), [2025, 2026]);
    }

    // ----- load_dir --------------------------------------------------------

    /// A fresh, empty temporary folder, removed on drop.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(tag: &str) -> Self {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos();
            let path = std::env::temp_dir().join(format!(
                "govshare-calendar-{}-{tag}-{nanos}",
                std::process::id()
            ));
            fs::create_dir_all(&path).unwrap();
            Self(path)
        }

        fn write(&self, name: &str, text: &str) {
            fs::write(self.0.join(name), text).unwrap();
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    #[test]
    fn load_dir_reads_every_year_file_and_ignores_the_rest() {
        let dir = TempDir::new("ok");
        // Written 2026 first: the result is sorted all the same.
        dir.write("cn-2026.json", EMBEDDED[1].1);
        dir.write("cn-2025.json", EMBEDDED[0].1);
        dir.write("README.md", "not a calendar");
        dir.write("cn-2025.json.bak", "{");
        dir.write("cn-25.json", "{");
        dir.write("cn-20x7.json", "{");
        dir.write("CN-2027.json", "{");
        dir.write("hk-2027.json", "{");
        fs::create_dir(dir.0.join("cn-2028.json")).unwrap();
        let c = Calendar::load_dir(&dir.0).unwrap();
        assert_eq!(c.years(), [2025, 2026]);
        assert_eq!(c.day_kind(d(2025, 1, 26)).unwrap(), make_up("春节"));
        assert_eq!(c.day_kind(d(2026, 10, 7)).unwrap(), holiday("国庆节"));
        assert_eq!(
            c.add_working_days(d(2025, 12, 31), 1).unwrap().due,
            d(2026, 1, 4)
        );
    }

    #[test]
    fn load_dir_refuses_a_folder_without_year_files() {
        let dir = TempDir::new("empty");
        let err = Calendar::load_dir(&dir.0).unwrap_err();
        assert!(matches!(err, CalendarError::Invalid { .. }), "{err:?}");
        assert_eq!(
            err.to_string(),
            format!(
                "invalid working-day calendar `{}`: the folder holds no `cn-YYYY.json` year file",
                dir.0.display()
            )
        );
        dir.write("notes.txt", "x");
        assert!(matches!(
            Calendar::load_dir(&dir.0),
            Err(CalendarError::Invalid { .. })
        ));
    }

    #[test]
    fn load_dir_refuses_a_file_name_that_disagrees_with_its_year() {
        let dir = TempDir::new("mismatch");
        dir.write("cn-2025.json", EMBEDDED[0].1);
        // Holds 2026 under the name of 2027.
        dir.write("cn-2027.json", EMBEDDED[1].1);
        let err = Calendar::load_dir(&dir.0).unwrap_err();
        let origin = dir.0.join("cn-2027.json").display().to_string();
        assert_eq!(
            err.to_string(),
            format!(
                "invalid working-day calendar `{origin}`: the file name says year `2027` but the file declares year `2026`"
            )
        );
        // Holds a year that another file also holds: still a name mismatch.
        let dir = TempDir::new("mismatch2");
        dir.write("cn-2025.json", EMBEDDED[0].1);
        dir.write("cn-2026.json", EMBEDDED[0].1);
        let err = Calendar::load_dir(&dir.0).unwrap_err().to_string();
        assert!(
            err.contains("the file name says year `2026` but the file declares year `2025`"),
            "{err}"
        );
    }

    #[test]
    fn load_dir_reports_the_bad_file_by_path() {
        let dir = TempDir::new("bad");
        dir.write("cn-2025.json", EMBEDDED[0].1);
        dir.write(
            "cn-2027.json",
            &year_json(2027, "", r#"{"date": "2027-01-09", "for": "x"}"#),
        );
        match Calendar::load_dir(&dir.0).unwrap_err() {
            CalendarError::Invalid { origin, message } => {
                assert_eq!(origin, dir.0.join("cn-2027.json").display().to_string());
                assert!(message.contains("names no holiday"), "{message}");
            }
            other => panic!("expected Invalid, got {other:?}"),
        }
        dir.write("cn-2027.json", "{ not json");
        match Calendar::load_dir(&dir.0).unwrap_err() {
            CalendarError::Parse { origin, .. } => {
                assert_eq!(origin, dir.0.join("cn-2027.json").display().to_string());
            }
            other => panic!("expected Parse, got {other:?}"),
        }
    }

    #[test]
    fn load_dir_of_a_missing_folder_is_an_io_error() {
        let dir = TempDir::new("gone");
        let missing = dir.0.join("missing");
        let err = Calendar::load_dir(&missing).unwrap_err();
        match &err {
            CalendarError::Io { path, source } => {
                assert_eq!(path, &missing);
                assert_eq!(source.kind(), std::io::ErrorKind::NotFound);
            }
            other => panic!("expected Io, got {other:?}"),
        }
        assert!(
            err.to_string().starts_with(&format!(
                "cannot read working-day calendar `{}`: ",
                missing.display()
            )),
            "{err}"
        );
    }

    #[test]
    fn file_name_years() {
        assert_eq!(file_name_year("cn-2025.json"), Some(2025));
        assert_eq!(file_name_year("cn-0999.json"), Some(999));
        for name in [
            "cn-25.json",
            "cn-20251.json",
            "cn-+202.json",
            "cn-2025.JSON",
            "cn-2025.json.bak",
            "xcn-2025.json",
        ] {
            assert_eq!(file_name_year(name), None, "{name}");
        }
    }
}
