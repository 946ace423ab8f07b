//! A year of the working-day calendar from the State Council's notice or
//! the holiday-cn data set: the shipped notices give the shipped files
//! byte for byte, and every mistake a notice can carry is refused naming
//! its line.

use chrono::NaiveDate;
use govshare::{Calendar, CalendarError, Engine, Notice, YearFile, error_report};
use serde_json::{Value, json};

const NOTICE_2025: &str = include_str!("../../policies/calendar/notices/2025.txt");
const NOTICE_2026: &str = include_str!("../../policies/calendar/notices/2026.txt");
const SHIPPED_2025: &str = include_str!("../../policies/calendar/cn-2025.json");
const SHIPPED_2026: &str = include_str!("../../policies/calendar/cn-2026.json");

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The message of a refused notice, with its causes.
fn refused(text: &str, year: i32) -> String {
    let err = Notice::parse(text, year, "notice.txt").unwrap_err();
    error_report(&err)
}

/// The 2026 notice with `from` replaced by `to`, which must occur.
fn edited(from: &str, to: &str) -> String {
    assert!(NOTICE_2026.contains(from), "{from}");
    NOTICE_2026.replacen(from, to, 1)
}

#[test]
fn the_shipped_notices_give_the_shipped_files_byte_for_byte() {
    for (text, year, shipped) in [
        (NOTICE_2025, 2025, SHIPPED_2025),
        (NOTICE_2026, 2026, SHIPPED_2026),
    ] {
        let notice = Notice::parse(text, year, "notice.txt").unwrap();
        assert_eq!(notice.year_file.to_json(), shipped, "{year}");
        assert!(notice.outside_year.is_empty());
        // And the parsed structures agree with what the loader reads.
        assert_eq!(
            notice.year_file,
            YearFile::from_json(shipped, "shipped").unwrap()
        );
    }
    let n2025 = Notice::parse(NOTICE_2025, 2025, "2025.txt").unwrap();
    assert_eq!(n2025.number.as_deref(), Some("国办发明电〔2024〕12号"));
    assert_eq!(n2025.issued, d(2024, 11, 12));
    assert_eq!(n2025.title, "国务院办公厅关于2025年部分节假日安排的通知");
    let n2026 = Notice::parse(NOTICE_2026, 2026, "2026.txt").unwrap();
    assert_eq!(n2026.number, None);
    assert_eq!(n2026.issued, d(2025, 11, 4));
    // The embedded calendar is the shipped files.
    let embedded = Calendar::embedded().unwrap();
    assert_eq!(embedded.year_file(2025).unwrap(), n2025.year_file);
    assert_eq!(embedded.year_file(2026).unwrap(), n2026.year_file);
}

/// The notice as some copies carry it: half-width punctuation, `星期`
/// for `周`, indented lines, CRLF line ends and a byte-order mark.
#[test]
fn half_width_punctuation_and_other_spellings_read_the_same() {
    let copy: String = NOTICE_2025
        .replace('：', ":")
        .replace('（', "(")
        .replace('）', ")")
        .replace('，', ",")
        .replace('。', ".")
        .replace("（周", "(星期")
        .replace("、周", "、星期")
        .replace("(周", "(星期")
        .replace("星期日", "星期天")
        .lines()
        .map(|l| format!("\u{3000}\u{3000}{l}  "))
        .collect::<Vec<_>>()
        .join("\r\n");
    let copy = format!("\u{feff}{copy}");
    assert!(copy.contains("(星期三)"), "{copy}");
    let notice = Notice::parse(&copy, 2025, "copy.txt").unwrap();
    assert_eq!(notice.year_file.to_json(), SHIPPED_2025);
    // Full-width digits too.
    let wide = NOTICE_2026.replace("1月4日", "１月４日");
    assert_eq!(
        Notice::parse(&wide, 2026, "wide.txt")
            .unwrap()
            .year_file
            .to_json(),
        SHIPPED_2026
    );
}

#[test]
fn a_parsed_notice_loads_with_the_calendar_loader_and_the_engine() {
    let dir = tempfile::tempdir().unwrap();
    let notice = Notice::parse(NOTICE_2026, 2026, "2026.txt").unwrap();
    std::fs::write(dir.path().join("cn-2026.json"), notice.year_file.to_json()).unwrap();
    let calendar = Calendar::load_dir(dir.path()).unwrap();
    assert_eq!(calendar.years(), [2026]);
    assert_eq!(
        calendar.source(2026).unwrap(),
        "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）"
    );
    let engine = Engine::builder().calendar_dir(dir.path()).build().unwrap();
    assert_eq!(engine.calendar().years(), [2026]);
    // Friday 2026-02-13 + 1 working day: the 14th is worked.
    let due = engine
        .calendar()
        .add_working_days(d(2026, 2, 13), 1)
        .unwrap();
    assert_eq!(due.due, d(2026, 2, 14));
    // A Rust host can add the parsed year directly as well.
    let mut calendar = Calendar::new();
    calendar
        .add_year_file(&notice.year_file, "2026.txt")
        .unwrap();
    assert!(calendar.is_working_day(d(2026, 9, 20)).unwrap());
}

/// A notice for a later year, written in the published form, gives the
/// year and loads: ranges across months, a single day, a notice without
/// weekdays, several make-up days in one line.
#[test]
fn a_new_years_notice_in_the_published_form() {
    let text = "国务院办公厅关于2027年部分节假日安排的通知
国办发明电〔2026〕9号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2027年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至2月12日（周五）放假调休，共8天。1月31日（周日）、2月20日（周六）上班。
三、清明节：4月5日放假，与周末连休。
四、劳动节：5月1日（星期六）至5日（星期三）放假调休，共5天。4月25日（星期日）、5月8日（星期六）上班。
五、端午节：6月9日（周三）放假1天，不调休。
六、中秋节：9月15日放假。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
国务院办公厅
2026年11月10日";
    let notice = Notice::parse(text, 2027, "2027.txt").unwrap();
    let file = &notice.year_file;
    assert_eq!(
        file.source,
        "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕9号，2026年11月10日）"
    );
    let holidays: Vec<(&str, NaiveDate, NaiveDate)> = file
        .holidays
        .iter()
        .map(|h| (h.name.as_str(), h.from, h.to))
        .collect();
    assert_eq!(
        holidays,
        [
            ("元旦", d(2027, 1, 1), d(2027, 1, 3)),
            ("春节", d(2027, 2, 5), d(2027, 2, 12)),
            ("清明节", d(2027, 4, 5), d(2027, 4, 5)),
            ("劳动节", d(2027, 5, 1), d(2027, 5, 5)),
            ("端午节", d(2027, 6, 9), d(2027, 6, 9)),
            ("中秋节", d(2027, 9, 15), d(2027, 9, 15)),
            ("国庆节", d(2027, 10, 1), d(2027, 10, 7)),
        ]
    );
    let make_ups: Vec<(NaiveDate, &str)> = file
        .make_up_workdays
        .iter()
        .map(|m| (m.date, m.for_holiday.as_str()))
        .collect();
    assert_eq!(
        make_ups,
        [
            (d(2027, 1, 31), "春节"),
            (d(2027, 2, 20), "春节"),
            (d(2027, 4, 25), "劳动节"),
            (d(2027, 5, 8), "劳动节"),
            (d(2027, 9, 26), "国庆节"),
            (d(2027, 10, 9), "国庆节"),
        ]
    );
    let mut calendar = Calendar::embedded().unwrap();
    calendar
        .add_year_json(&file.to_json(), "cn-2027.json")
        .unwrap();
    // 2026-12-31 + 1 working day: the New Year holiday, then Monday the 4th.
    assert_eq!(
        calendar.add_working_days(d(2026, 12, 31), 1).unwrap().due,
        d(2027, 1, 4)
    );
}

/// A New Year holiday that starts on 31 December of the year before: a
/// weekend day there is left out and reported; a weekday off or a day
/// worked in the year before is refused, naming the line.
#[test]
fn a_range_across_the_year_end() {
    let text = "国务院办公厅关于2023年部分节假日安排的通知
经国务院批准，现将2023年元旦放假调休日期的具体安排通知如下。
一、元旦：2022年12月31日（星期六）至2023年1月2日（星期一）放假调休，共3天。
国务院办公厅
2022年12月8日";
    let notice = Notice::parse(text, 2023, "2023.txt").unwrap();
    assert_eq!(notice.outside_year, [d(2022, 12, 31)]);
    assert_eq!(notice.year_file.holidays[0].from, d(2023, 1, 1));
    assert_eq!(notice.year_file.holidays[0].to, d(2023, 1, 2));

    let weekday_before = "国务院办公厅关于2019年部分节假日安排的通知
经国务院批准，现将2019年元旦放假调休日期的具体安排通知如下。
一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。
国务院办公厅
2018年12月6日";
    let message = refused(weekday_before, 2019);
    assert!(
        message.starts_with("notice `notice.txt` line 3 `一、元旦："),
        "{message}"
    );
    assert!(
        message.contains("2018-12-31, a 周一 (Monday), lies in `2018`"),
        "{message}"
    );

    let worked_before = weekday_before.replace("共3天。", "共3天。2018年12月29日（星期六）上班。");
    let worked_before = worked_before.replace("2018年12月30日至", "2018年12月31日至");
    let message = refused(&worked_before, 2019);
    assert!(message.contains("line 3"), "{message}");

    // Without its year, a range from December to January ends before it
    // starts.
    let bare = text.replace("2022年12月31日（星期六）至2023年1月2日", "12月31日至1月2日");
    let message = refused(&bare, 2023);
    assert!(
        message.contains("line 3") && message.contains("ends before it starts"),
        "{message}"
    );
}

#[test]
fn a_wrong_weekday_is_refused_naming_the_line() {
    let message = refused(&edited("1月1日（周四）", "1月1日（周三）"), 2026);
    assert_eq!(
        message,
        "notice `notice.txt` line 4 `一、元旦：1月1日（周三）至3日（周六）放假调休，共3天。1月4日（周日）上班。`: \
         wrong weekday: `1月1日(周三)`, but 2026-01-01 is a 周四 (Thursday)"
    );
    // In a make-up day, with 星期.
    let message = refused(&edited("5月9日（周六）", "5月9日（星期日）"), 2026);
    assert!(message.contains("line 7"), "{message}");
    assert!(
        message.contains("2026-05-09 is a 周六 (Saturday)"),
        "{message}"
    );
    // Beside the lunar date.
    let message = refused(&edited("农历正月初七、周一", "农历正月初七、周二"), 2026);
    assert!(
        message.contains("line 5") && message.contains("2026-02-23"),
        "{message}"
    );
}

#[test]
fn a_wrong_day_count_is_refused_naming_the_line() {
    let message = refused(&edited("共9天", "共8天"), 2026);
    assert!(
        message.starts_with("notice `notice.txt` line 5 `二、春节："),
        "{message}"
    );
    assert!(
        message.ends_with(
            "wrong day count: `共8天`, but `2月15日(农历腊月二十八、周日)` to \
             `23日(农历正月初七、周一)` is 9 days"
        ),
        "{message}"
    );
    let message = refused(
        &NOTICE_2025.replace("放假1天，不调休", "放假2天，不调休"),
        2025,
    );
    assert!(
        message.contains("line 6") && message.contains("`放假2天`"),
        "{message}"
    );
}

#[test]
fn an_unknown_festival_is_refused_naming_the_line() {
    let message = refused(&edited("六、中秋节：", "六、植树节："), 2026);
    assert!(
        message.starts_with("notice `notice.txt` line 9"),
        "{message}"
    );
    assert!(message.contains("unknown festival `植树节`"), "{message}");
    // In the sentence that announces the festivals, too.
    let message = refused(
        &edited("端午节、中秋节和国庆节", "端午节、重阳节和国庆节"),
        2026,
    );
    assert!(
        message.contains("line 3") && message.contains("`重阳节`"),
        "{message}"
    );
}

#[test]
fn malformed_and_inconsistent_notices_are_refused_naming_the_line() {
    let cases: [(String, &str, &str); 12] = [
        // A date that does not exist.
        (
            edited("6月19日（周五）", "6月31日（周五）"),
            "line 8",
            "`6月31日` is not a date",
        ),
        // No 放假.
        (
            edited("21日（周日）放假，", "21日（周日），"),
            "line 8",
            "expected `放假`",
        ),
        // An unknown sentence in an item.
        (
            edited("5月9日（周六）上班。", "5月9日（周六）补班。"),
            "line 7",
            "unrecognized sentence",
        ),
        // A make-up workday on a weekday.
        (
            edited("5月9日（周六）上班", "5月8日（周五）上班"),
            "line 7",
            "not a Saturday or Sunday",
        ),
        // A make-up workday inside a holiday.
        (
            edited("5月9日（周六）上班", "5月2日（周六）上班"),
            "line 7",
            "a day of holiday `劳动节`",
        ),
        // Two holidays sharing a day.
        (
            edited(
                "6月19日（周五）至21日（周日）",
                "5月5日（周二）至7日（周四）",
            ),
            "line 8",
            "overlaps holiday `劳动节`",
        ),
        // Items out of order.
        (
            edited("三、清明节", "四、清明节"),
            "line 6",
            "item number 4 where item 3 was due",
        ),
        // A festival arranged twice.
        (
            edited("六、中秋节", "六、清明节"),
            "line 9",
            "already arranged on line 6",
        ),
        // A festival announced and not arranged.
        (
            edited(
                "六、中秋节：9月25日（周五）至27日（周日）放假，共3天。\n",
                "",
            )
            .replace("七、国庆节", "六、国庆节"),
            "line 3",
            "announces `中秋节` but no item",
        ),
        // Something else in the parentheses.
        (
            edited("（周六）至6日", "（清明）至6日"),
            "line 6",
            "neither a weekday nor a lunar date",
        ),
        // A line after the items that gives days off.
        (
            edited("鼓励单位", "另，12月31日放假。鼓励单位"),
            "line 11",
            "not an item",
        ),
        // Not a number an item has.
        (
            edited("七、国庆节", "七七、国庆节"),
            "line 10",
            "item's number",
        ),
    ];
    for (text, line, what) in &cases {
        let message = refused(text, 2026);
        assert!(
            message.contains(&format!("{line} `")) && message.contains(what),
            "{line} {what}: {message}"
        );
    }
}

#[test]
fn a_notice_as_a_whole_must_be_one() {
    // Another year.
    let message = refused(NOTICE_2026, 2027);
    assert!(
        message.contains("line 1") && message.contains("for year `2026`, not `2027`"),
        "{message}"
    );
    // No title.
    let message = refused(
        &NOTICE_2026.replacen("国务院办公厅关于2026年部分节假日安排的通知\n", "", 1),
        2026,
    );
    assert!(
        message.starts_with("notice `notice.txt`: no title"),
        "{message}"
    );
    // No issuing office and date at the end.
    let cut = NOTICE_2026.replace("国务院办公厅\n2025年11月4日\n", "");
    let message = refused(&cut, 2026);
    assert!(message.contains("issuing office"), "{message}");
    // No item.
    let none: String = NOTICE_2026
        .lines()
        .filter(|l| !l.contains("、") || l.starts_with("各省") || l.starts_with("经国务院"))
        .collect::<Vec<_>>()
        .join("\n");
    let message = refused(&none, 2026);
    assert!(message.contains("arranges no festival"), "{message}");
    // The festivals not announced, or not in the usual words.
    let unannounced: String = NOTICE_2026
        .lines()
        .filter(|l| !l.starts_with("经国务院批准"))
        .collect::<Vec<_>>()
        .join("\n");
    let message = refused(&unannounced, 2026);
    assert!(
        message.contains("does not announce its festivals"),
        "{message}"
    );
    let message = refused(&edited("现将2026年", "将2026年"), 2026);
    assert!(
        message.contains("line 3") && message.contains("expected `现将YYYY年`"),
        "{message}"
    );
    // Issued years away.
    let message = refused(&edited("2025年11月4日", "2020年11月4日"), 2026);
    assert!(message.contains("line 13"), "{message}");
    // Empty text, and a year that is not one.
    assert!(matches!(
        Notice::parse("", 2026, "x"),
        Err(CalendarError::Notice { .. })
    ));
    assert!(matches!(
        Notice::parse(NOTICE_2026, -4, "x"),
        Err(CalendarError::Notice { .. })
    ));
}

/// A holiday-cn file in the data set's own shape, made from a year file:
/// each holiday's days off, each make-up workday worked, in date order.
fn holiday_cn(file: &YearFile) -> Value {
    let mut days = Vec::new();
    for h in &file.holidays {
        for day in h.from.iter_days().take_while(|x| *x <= h.to) {
            days.push((day, h.name.clone(), true));
        }
    }
    for m in &file.make_up_workdays {
        days.push((m.date, m.for_holiday.clone(), false));
    }
    days.sort();
    json!({
        "$schema": "https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json",
        "$id": format!("https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/{}.json", file.year),
        "year": file.year,
        "papers": ["https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm"],
        "days": days.into_iter().map(|(date, name, off)| json!({
            "name": name, "date": date.to_string(), "isOffDay": off
        })).collect::<Vec<_>>()
    })
}

#[test]
fn holiday_cn_files_give_the_same_days() {
    for shipped in [SHIPPED_2025, SHIPPED_2026] {
        let file = YearFile::from_json(shipped, "shipped").unwrap();
        let imported =
            YearFile::from_holiday_cn(&holiday_cn(&file).to_string(), "holiday-cn.json").unwrap();
        assert_eq!(imported.holidays, file.holidays);
        assert_eq!(imported.make_up_workdays, file.make_up_workdays);
        assert_eq!(
            imported.source,
            format!(
                "holiday-cn {}.json: https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm",
                file.year
            )
        );
        let mut calendar = Calendar::new();
        calendar
            .add_year_json(&imported.to_json(), "imported")
            .unwrap();
    }
}

#[test]
fn holiday_cn_files_without_days_or_papers_and_other_faults_are_refused() {
    let file = YearFile::from_json(SHIPPED_2026, "shipped").unwrap();
    let good = holiday_cn(&file);
    let refuse = |edit: &dyn Fn(&mut Value), what: &str| {
        let mut v = good.clone();
        edit(&mut v);
        let err = YearFile::from_holiday_cn(&v.to_string(), "2026.json").unwrap_err();
        let message = error_report(&err);
        assert!(message.contains(what), "{what}: {message}");
    };
    // The data set's placeholder for a year whose notice is not out.
    let placeholder = r#"{"$schema": "https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/schema.json",
        "$id": "https://raw.githubusercontent.com/NateScarlet/holiday-cn/master/2027.json",
        "year": 2027, "papers": [], "days": []}"#;
    let err = YearFile::from_holiday_cn(placeholder, "2027.json").unwrap_err();
    assert!(error_report(&err).contains("`papers` is empty"), "{err}");
    refuse(&|v| v["days"] = json!([]), "`days` is empty");
    refuse(&|v| v["papers"] = json!([" "]), "`papers` is empty");
    refuse(
        &|v| v["days"][0]["name"] = json!("植树节"),
        "unknown festival `植树节`",
    );
    refuse(
        &|v| v["days"][1]["date"] = json!("2026-01-01"),
        "listed twice",
    );
    refuse(&|v| v["days"][1]["date"] = json!("2026-1-2"), "YYYY-MM-DD");
    refuse(&|v| v["extra"] = json!(1), "unknown field");
    // A gap in a holiday's days off.
    refuse(
        &|v| {
            let days = v["days"].as_array_mut().unwrap();
            days.retain(|d| d["date"] != "2026-02-17");
        },
        "not one run",
    );
    // A day worked on a weekday.
    refuse(
        &|v| {
            v["days"]
                .as_array_mut()
                .unwrap()
                .push(json!({"name": "春节", "date": "2026-02-27", "isOffDay": false}))
        },
        "not a Saturday or Sunday",
    );
    // A weekday off in the year before.
    refuse(
        &|v| {
            v["days"]
                .as_array_mut()
                .unwrap()
                .push(json!({"name": "元旦", "date": "2025-12-31", "isOffDay": true}))
        },
        "in another year",
    );
}

#[test]
fn the_calendar_says_when_its_last_year_ends_soon() {
    let calendar = Calendar::embedded().unwrap();
    let early = calendar.reach(d(2026, 10, 31));
    assert_eq!((early.days_left, early.ends_soon), (Some(61), false));
    assert_eq!(early.zh(), None);
    let late = calendar.reach(d(2026, 11, 1));
    assert_eq!((late.days_left, late.ends_soon), (Some(60), true));
    assert_eq!(late.years, [2025, 2026]);
    assert_eq!(late.last_day, Some(d(2026, 12, 31)));
    assert!(late.en().unwrap().contains("load the 2027 calendar"));
    let past = calendar.reach(d(2027, 1, 5));
    assert_eq!(past.days_left, Some(-5));
    assert!(
        past.en()
            .unwrap()
            .contains("ended 2026-12-31, 5 days before 2027-01-05")
    );
    assert!(past.to_string().contains("[CALENDAR-ENDS-SOON]"));
    // With 2027 loaded, it is quiet again.
    let mut more = calendar.clone();
    more.add_year_json(
        r#"{"year": 2027, "source": "a test calendar", "holidays": [], "make_up_workdays": []}"#,
        "cn-2027.json",
    )
    .unwrap();
    assert!(!more.reach(d(2026, 12, 2)).ends_soon);
}
