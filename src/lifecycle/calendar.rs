//! TEMPORARY STUB — replaced by the real working-day calendar.
#![allow(missing_docs, dead_code)]
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Weekday};
pub fn china_offset() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600)
        .unwrap_or(FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!()))
}
pub fn china_date(instant: &DateTime<FixedOffset>) -> NaiveDate {
    instant.with_timezone(&china_offset()).date_naive()
}
#[derive(Debug, Clone, Default)]
pub struct Calendar;
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingDays {
    pub start: NaiveDate,
    pub due: NaiveDate,
    pub working_days: u32,
}
#[derive(Debug, thiserror::Error)]
pub enum CalendarError {
    #[error("x")]
    YearNotLoaded { year: i32, loaded: Vec<i32> },
}
impl Calendar {
    pub fn embedded() -> Result<Self, CalendarError> {
        Ok(Calendar)
    }
    pub fn load_dir(_d: &std::path::Path) -> Result<Self, CalendarError> {
        Ok(Calendar)
    }
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<WorkingDays, CalendarError> {
        let mut d = start;
        let mut k = 0;
        while k < n {
            d = d.succ_opt().unwrap_or(d);
            if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
                k += 1;
            }
        }
        Ok(WorkingDays {
            start,
            due: d,
            working_days: n,
        })
    }
}
