//! How far the loaded calendar reaches: the warning that the next year's
//! file is due.

use std::fmt;

use chrono::NaiveDate;
use serde::Serialize;

use super::Calendar;

/// How many days before the end of the last loaded year the calendar
/// warns ([`CalendarReach::ends_soon`]): the next year's notice is
/// published each November or December, and deadlines of up to 20
/// working days (Art. 22) reach a month ahead.
pub const CALENDAR_WARNING_DAYS: i64 = 60;

/// The loaded years seen from one day: which they are, and whether the
/// last one ends within [`CALENDAR_WARNING_DAYS`] of that day (or before
/// it). `govshare calendar check`, `govshare check` and the self-check
/// report show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarReach {
    /// The loaded years, ascending.
    pub years: Vec<i32>,
    /// The day seen from (China Standard Time). `YYYY-MM-DD`.
    pub today: NaiveDate,
    /// The last day of the last loaded year; `None` when no year is
    /// loaded. `YYYY-MM-DD`.
    pub last_day: Option<NaiveDate>,
    /// Days from `today` to `last_day`: negative once it has passed.
    pub days_left: Option<i64>,
    /// Whether `last_day` is at most [`CALENDAR_WARNING_DAYS`] after
    /// `today`, or has passed, or no year is loaded.
    pub ends_soon: bool,
}

impl Calendar {
    /// How far the loaded years reach from `today`.
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
    /// let calendar = Calendar::embedded()?;
    /// let autumn = calendar.reach(NaiveDate::from_ymd_opt(2026, 10, 1).ok_or("date")?);
    /// assert_eq!(autumn.days_left, Some(91));
    /// assert!(!autumn.ends_soon);
    /// let winter = calendar.reach(NaiveDate::from_ymd_opt(2026, 11, 1).ok_or("date")?);
    /// assert_eq!(winter.days_left, Some(60));
    /// assert!(winter.ends_soon);
    /// assert!(winter.en().is_some_and(|w| w.contains("2026-12-31")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reach(&self, today: NaiveDate) -> CalendarReach {
        let years = self.years();
        let last_day = years
            .last()
            .and_then(|year| NaiveDate::from_ymd_opt(*year, 12, 31));
        let days_left = last_day.map(|last| (last - today).num_days());
        CalendarReach {
            ends_soon: days_left.is_none_or(|left| left <= CALENDAR_WARNING_DAYS),
            years,
            today,
            last_day,
            days_left,
        }
    }
}

impl CalendarReach {
    /// The warning in Chinese, when the calendar ends soon; `None`
    /// otherwise.
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
    /// let reach = Calendar::embedded()?.reach(NaiveDate::from_ymd_opt(2026, 12, 2).ok_or("date")?);
    /// assert_eq!(
    ///     reach.zh().as_deref(),
    ///     Some("工作日日历止于2026-12-31，距2026-12-02仅余29天：请以 govshare calendar from-notice 载入2027年日历")
    /// );
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn zh(&self) -> Option<String> {
        if !self.ends_soon {
            return None;
        }
        let next = self.next_year();
        let load = format!("请以 govshare calendar from-notice 载入{next}年日历");
        Some(match (self.last_day, self.days_left) {
            (Some(last), Some(left)) if left >= 0 => {
                format!("工作日日历止于{last}，距{}仅余{left}天：{load}", self.today)
            }
            (Some(last), Some(left)) => format!(
                "工作日日历止于{last}，至{}已过{}天，此后的期限无从计算：{load}",
                self.today,
                left.unsigned_abs()
            ),
            _ => format!("未载入任何年份的工作日日历：{load}"),
        })
    }

    /// The warning in English, when the calendar ends soon; `None`
    /// otherwise.
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
    /// let reach = Calendar::new().reach(NaiveDate::from_ymd_opt(2026, 6, 1).ok_or("date")?);
    /// assert!(reach.en().is_some_and(|w| w.starts_with("no year")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn en(&self) -> Option<String> {
        if !self.ends_soon {
            return None;
        }
        let next = self.next_year();
        let load = format!("load the {next} calendar with govshare calendar from-notice");
        Some(match (self.last_day, self.days_left) {
            (Some(last), Some(left)) if left >= 0 => format!(
                "the working-day calendar ends {last}, {left} days after {}: {load}",
                self.today
            ),
            (Some(last), Some(left)) => format!(
                "the working-day calendar ended {last}, {} days before {}, and no deadline \
                 after it can be counted: {load}",
                left.unsigned_abs(),
                self.today
            ),
            _ => format!("no year of the working-day calendar is loaded: {load}"),
        })
    }

    /// The year whose file is due next.
    fn next_year(&self) -> i32 {
        self.years.last().map_or_else(
            || chrono::Datelike::year(&self.today),
            |y| y.saturating_add(1),
        )
    }
}

/// The loaded years, and the warning on lines of its own when the
/// calendar ends soon:
///
/// ```text
/// 工作日日历 working-day calendar: 2025, 2026 (to 2026-12-31, 29 days after 2026-12-02)
/// [CALENDAR-ENDS-SOON] 警告 warning
///     工作日日历止于2026-12-31，…
///     the working-day calendar ends 2026-12-31, …
/// ```
impl fmt::Display for CalendarReach {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let years = if self.years.is_empty() {
            "none".to_owned()
        } else {
            self.years
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        };
        write!(f, "工作日日历 working-day calendar: {years}")?;
        if let (Some(last), Some(left)) = (self.last_day, self.days_left) {
            write!(f, " (to {last}, {left} days after {})", self.today)?;
        }
        if let (Some(zh), Some(en)) = (self.zh(), self.en()) {
            write!(f, "\n[CALENDAR-ENDS-SOON] 警告 warning\n    {zh}\n    {en}")?;
        }
        Ok(())
    }
}
