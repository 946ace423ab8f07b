//! Tests of the working-day calendar against the State Council notices
//! and the year-file rules.

use std::path::PathBuf;

use chrono::Weekday;

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
    assert_eq!(
        c.source(2025).unwrap(),
        "国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）"
    );
    assert_eq!(
        c.source(2026).unwrap(),
        "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）"
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
        CalendarError::Parse { origin, source } => {
            assert_eq!(origin, "test.json");
            source.to_string()
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

    let msg =
        parse_error(r#"{"year": "2027", "source": "n", "holidays": [], "make_up_workdays": []}"#);
    assert!(msg.contains("invalid type"), "{msg}");

    let err = crate::error::error_report(&add("[]").unwrap_err());
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
    let msg = invalid(r#"{"year": 2027, "source": "", "holidays": [], "make_up_workdays": []}"#);
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

/// A fresh, empty temporary folder (its path first), removed on drop.
struct TempDir(
    PathBuf,
    #[expect(dead_code, reason = "held for its drop")] tempfile::TempDir,
);

impl TempDir {
    fn new(tag: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix(&format!("govshare-calendar-{tag}-"))
            .tempdir()
            .unwrap();
        Self(dir.path().to_path_buf(), dir)
    }

    fn write(&self, name: &str, text: &str) {
        fs::write(self.0.join(name), text).unwrap();
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
        crate::error::error_report(&err).starts_with(&format!(
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
