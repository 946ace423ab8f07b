//! Reading the State Council General Office's holiday notice
//! (《国务院办公厅关于YYYY年部分节假日安排的通知》) into a year file.
//!
//! The notice has a fixed form: its title, its number (国办发明电〔…〕…号)
//! on some, the addressees, a sentence naming the festivals it arranges
//! (`现将2026年元旦、春节、…和国庆节放假调休日期的具体安排通知如下。`), one
//! numbered item per festival, and the issuing office and date at the end.
//! An item is the holiday's dates, then the make-up workdays:
//!
//! ```text
//! 一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
//! ```
//!
//! Everything the notice states is checked: each weekday against its date,
//! each day count (`共N天`, `放假1天`) against its range, each festival
//! against the names the notice announces; nothing in an item is skipped
//! unread.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

use super::year_file::{
    Holiday, MakeUpWorkday, YearFile, english_name, festival_list, is_weekend, validate,
};
use crate::error::CalendarError;

/// A holiday notice, read and checked: its title, number and date, and
/// the year file it gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// The title, such as `国务院办公厅关于2026年部分节假日安排的通知`.
    pub title: String,
    /// The document number when the text carries one, such as
    /// `国办发明电〔2024〕12号`.
    pub number: Option<String>,
    /// The date the notice was issued.
    pub issued: NaiveDate,
    /// The year file: its `source` is the title, the number and the date,
    /// `国务院办公厅关于2025年部分节假日安排的通知（国办发明电〔2024〕12号，2024年11月12日）`.
    pub year_file: YearFile,
    /// Days off the notice gives in another year that fall on a Saturday
    /// or Sunday (a New Year holiday that starts on 31 December): left out
    /// of the year file, which holds one year, and not working days in the
    /// other year's calendar either.
    pub outside_year: Vec<NaiveDate>,
}

const TITLE_PREFIX: &str = "国务院办公厅关于";
const TITLE_SUFFIX: &str = "年部分节假日安排的通知";
const OFFICE: &str = "国务院办公厅";
const ANNOUNCES: &str = "具体安排通知如下";

/// One line of the notice: as written, and normalized for reading.
struct Line<'a> {
    /// From 1.
    number: usize,
    /// As written, without surrounding spaces.
    text: &'a str,
    /// Without any space, full-width punctuation and digits made ASCII.
    norm: String,
}

/// Full-width `：（），。；` and digits as their ASCII forms; every space
/// (U+3000 too) and byte-order mark removed.
fn normalize(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{feff}')
        .map(|c| match c {
            '：' => ':',
            '（' => '(',
            '）' => ')',
            '，' => ',',
            '。' => '.',
            '；' => ';',
            '０'..='９' => char::from_digit(u32::from(c) - u32::from('０'), 10).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Where an error is.
struct Errors<'a> {
    origin: &'a str,
}

impl Errors<'_> {
    fn line(&self, line: &Line<'_>, message: impl Into<String>) -> CalendarError {
        const MAX_CHARS: usize = 160;
        let mut text: String = line.text.chars().take(MAX_CHARS).collect();
        if line.text.chars().nth(MAX_CHARS).is_some() {
            text.push('…');
        }
        CalendarError::NoticeLine {
            origin: self.origin.to_owned(),
            line: line.number,
            text,
            message: message.into(),
        }
    }

    fn notice(&self, message: impl Into<String>) -> CalendarError {
        CalendarError::Notice {
            origin: self.origin.to_owned(),
            message: message.into(),
        }
    }
}

/// A reading position in a normalized line.
struct Cursor<'a> {
    rest: &'a str,
}

impl<'a> Cursor<'a> {
    fn new(rest: &'a str) -> Self {
        Self { rest }
    }

    fn eat(&mut self, prefix: &str) -> bool {
        match self.rest.strip_prefix(prefix) {
            Some(rest) => {
                self.rest = rest;
                true
            }
            None => false,
        }
    }

    /// One to four ASCII digits.
    fn number(&mut self) -> Option<u32> {
        let n = self.rest.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 || n > 4 {
            return None;
        }
        let (digits, rest) = self.rest.split_at(n);
        self.rest = rest;
        digits.parse().ok()
    }

    fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }
}

const WEEKDAYS: [(Weekday, &str, &str); 7] = [
    (Weekday::Mon, "周一", "Monday"),
    (Weekday::Tue, "周二", "Tuesday"),
    (Weekday::Wed, "周三", "Wednesday"),
    (Weekday::Thu, "周四", "Thursday"),
    (Weekday::Fri, "周五", "Friday"),
    (Weekday::Sat, "周六", "Saturday"),
    (Weekday::Sun, "周日", "Sunday"),
];

/// `周一` … `周日` (`周天`), `星期一` … `星期日` (`星期天`).
fn weekday(text: &str) -> Option<Weekday> {
    let day = text
        .strip_prefix('周')
        .or_else(|| text.strip_prefix("星期"))?;
    Some(match day {
        "一" => Weekday::Mon,
        "二" => Weekday::Tue,
        "三" => Weekday::Wed,
        "四" => Weekday::Thu,
        "五" => Weekday::Fri,
        "六" => Weekday::Sat,
        "日" | "天" => Weekday::Sun,
        _ => return None,
    })
}

/// `周三 (Wednesday)`.
fn weekday_name(day: Weekday) -> String {
    WEEKDAYS
        .iter()
        .find(|(d, _, _)| *d == day)
        .map(|(_, zh, en)| format!("{zh} ({en})"))
        .unwrap_or_default()
}

/// A date as the notice writes it.
#[derive(Clone)]
struct Written {
    date: NaiveDate,
    /// As written, normalized, with its parentheses.
    text: String,
}

/// What a date written without its year (or month) belongs to.
#[derive(Clone, Copy)]
enum Implied {
    /// The notice's year.
    Year(i32),
    /// The end of a range: the start's year, and its month when only the
    /// day is written (`1月1日至3日`).
    After(NaiveDate),
}

/// `[YYYY年]M月D日[（…）]`, or `D日` as the end of a range. A weekday in
/// the parentheses must be the date's; the lunar date (`农历…`) is not
/// checked; nothing else may stand there.
fn date(c: &mut Cursor<'_>, implied: Implied, notice_year: i32) -> Result<Written, String> {
    let begin = c.rest;
    let expected = || format!("expected a date such as `1月1日` at `{begin}`");
    let first = c.number().ok_or_else(expected)?;
    let (year, month, day) = if c.eat("年") {
        let month = c.number().ok_or_else(expected)?;
        if !c.eat("月") {
            return Err(expected());
        }
        (i32::try_from(first).unwrap_or(i32::MAX), month, c.number())
    } else if c.eat("月") {
        let year = match implied {
            Implied::Year(year) => year,
            Implied::After(start) => start.year(),
        };
        (year, first, c.number())
    } else {
        match implied {
            Implied::After(start) => (start.year(), start.month(), Some(first)),
            Implied::Year(_) => return Err(expected()),
        }
    };
    let day = day.ok_or_else(expected)?;
    if !c.eat("日") {
        return Err(expected());
    }
    let plain = begin.get(..begin.len() - c.rest.len()).unwrap_or(begin);
    let date = NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| format!("`{plain}` is not a date"))?;
    if year.abs_diff(notice_year) > 1 {
        return Err(format!(
            "`{plain}` is not in year `{notice_year}` or next to it"
        ));
    }
    if c.eat("(") {
        let close = c
            .rest
            .find(')')
            .ok_or_else(|| format!("the parenthesis after `{plain}` is not closed"))?;
        let (inner, rest) = c.rest.split_at_checked(close).unwrap_or((c.rest, ""));
        c.rest = rest.strip_prefix(')').unwrap_or(rest);
        let mut stated = None;
        for part in inner.split(['、', ',']) {
            if let Some(day) = weekday(part) {
                if stated.is_some() {
                    return Err(format!("`{plain}({inner})` states two weekdays"));
                }
                stated = Some((day, part));
            } else if !part.starts_with("农历") {
                return Err(format!(
                    "`{part}` in the parentheses after `{plain}` is neither a weekday nor a lunar date"
                ));
            }
        }
        if let Some((day, part)) = stated
            && date.weekday() != day
        {
            return Err(format!(
                "wrong weekday: `{plain}({part})`, but {date} is a {}",
                weekday_name(date.weekday())
            ));
        }
    }
    Ok(Written {
        date,
        text: begin
            .get(..begin.len() - c.rest.len())
            .unwrap_or(begin)
            .to_owned(),
    })
}

/// One item of the notice: a festival's holiday and its make-up workdays.
struct Item<'a> {
    line: &'a Line<'a>,
    number: u32,
    name: String,
    from: Written,
    to: Written,
    make_ups: Vec<Written>,
}

/// `一` … `九十九`, the value of an item's Chinese number.
fn chinese_number(text: &str) -> Option<u32> {
    let digit = |c: char| "一二三四五六七八九".chars().position(|d| d == c);
    let chars: Vec<char> = text.chars().collect();
    let value = match chars.as_slice() {
        [d] if *d == '十' => 10,
        [d] => digit(*d)? + 1,
        ['十', u] => 10 + digit(*u)? + 1,
        [t, '十'] => (digit(*t)? + 1) * 10,
        [t, '十', u] => (digit(*t)? + 1) * 10 + digit(*u)? + 1,
        _ => return None,
    };
    u32::try_from(value).ok()
}

/// An item's number and the text after its `、`, when the line starts as
/// an item does (`一、`); `Some(None)` when it does but the number is not
/// one.
fn item_start(norm: &str) -> Option<(Option<u32>, &str)> {
    let numerals = "一二三四五六七八九十";
    let end = norm
        .char_indices()
        .find(|(_, c)| !numerals.contains(*c))
        .map_or(norm.len(), |(i, _)| i);
    if end == 0 {
        return None;
    }
    let (number, rest) = norm.split_at_checked(end)?;
    Some((chinese_number(number), rest.strip_prefix('、')?))
}

/// Whether a line names a month and day (`5月1日`), written with ASCII
/// digits after normalizing.
fn mentions_date(norm: &str) -> bool {
    let bytes = norm.as_bytes();
    norm.match_indices('月')
        .any(|(i, _)| i > 0 && bytes.get(i - 1).is_some_and(u8::is_ascii_digit))
}

/// Reads one item: `名称：日期[至日期]放假…，共N天。日期、日期上班。`
fn item<'a>(line: &'a Line<'a>, number: u32, body: &str, year: i32) -> Result<Item<'a>, String> {
    let (names, body) = body
        .split_once(':')
        .ok_or("expected `：` after the festival's name")?;
    if names.is_empty() {
        return Err("the item names no festival".to_owned());
    }
    english_name(names).map_err(|unknown| {
        format!(
            "unknown festival `{unknown}` (a notice arranges {})",
            festival_list()
        )
    })?;
    let mut sentences = body.split('.').filter(|s| !s.is_empty());
    let first = sentences.next().ok_or("the item gives no dates")?;

    let mut c = Cursor::new(first);
    let from = date(&mut c, Implied::Year(year), year)?;
    let to = if c.eat("至") {
        date(&mut c, Implied::After(from.date), year)?
    } else {
        from.clone()
    };
    if to.date < from.date {
        return Err(format!(
            "the holiday `{}` to `{}` ends before it starts",
            from.text, to.text
        ));
    }
    if !c.eat("放假") {
        return Err(format!(
            "expected `放假` after the dates, found `{}`",
            c.rest
        ));
    }
    c.eat("调休");
    let mut counts = Vec::new();
    if let Some(n) = c.number() {
        if !c.eat("天") {
            return Err(format!("expected `天` after `放假{n}`"));
        }
        counts.push((format!("放假{n}天"), n));
    }
    let mut no_make_up = false;
    while c.eat(",") {
        if c.eat("共") {
            let n = c.number().ok_or("expected a number of days after `共`")?;
            if !c.eat("天") {
                return Err(format!("expected `天` after `共{n}`"));
            }
            counts.push((format!("共{n}天"), n));
        } else if c.eat("不调休") {
            no_make_up = true;
        } else if !c.eat("与周末连休") {
            break;
        }
    }
    if !c.is_empty() {
        return Err(format!(
            "unrecognized `{}` in the holiday's sentence",
            c.rest
        ));
    }
    let days = (to.date - from.date).num_days() + 1;
    for (said, n) in counts {
        if i64::from(n) != days {
            return Err(format!(
                "wrong day count: `{said}`, but `{}` to `{}` is {days} days",
                from.text, to.text
            ));
        }
    }

    let mut make_ups = Vec::new();
    for sentence in sentences {
        if sentence == "不调休" {
            no_make_up = true;
        } else if sentence.starts_with("鼓励") {
            // Advice (鼓励…), not an arrangement.
        } else if let Some(list) = sentence.strip_suffix("上班") {
            let mut c = Cursor::new(list);
            loop {
                let day = date(&mut c, Implied::Year(year), year)?;
                if !is_weekend(day.date) {
                    return Err(format!(
                        "make-up workday `{}` is a {}, not a Saturday or Sunday",
                        day.text,
                        weekday_name(day.date.weekday())
                    ));
                }
                make_ups.push(day);
                if c.is_empty() {
                    break;
                }
                if !c.eat("、") {
                    return Err(format!(
                        "unrecognized `{}` among the make-up workdays",
                        c.rest
                    ));
                }
            }
        } else {
            return Err(format!(
                "unrecognized sentence `{sentence}`: after the holiday an item has only \
                 make-up workdays (`…上班`), `不调休` or advice (`鼓励…`)"
            ));
        }
    }
    if no_make_up && !make_ups.is_empty() {
        return Err("says `不调休` (no make-up workday) but lists make-up workdays".to_owned());
    }
    Ok(Item {
        line,
        number,
        name: names.to_owned(),
        from,
        to,
        make_ups,
    })
}

/// The festivals the notice announces (`现将2026年元旦、…和国庆节放假…`).
fn announced(line: &Line<'_>, year: i32) -> Result<Vec<String>, String> {
    let expected = "expected `现将YYYY年` and the festivals, then `放假调休日期的具体安排通知如下`";
    let (_, after) = line.norm.split_once("现将").ok_or(expected)?;
    let mut c = Cursor::new(after);
    let stated = c.number().ok_or(expected)?;
    if !c.eat("年") {
        return Err(expected.to_owned());
    }
    if i64::from(stated) != i64::from(year) {
        return Err(format!("the notice arranges year `{stated}`, not `{year}`"));
    }
    let (names, _) = c.rest.split_once("放假").ok_or(expected)?;
    let names: Vec<String> = names.split(['、', '和']).map(str::to_owned).collect();
    for name in &names {
        english_name(name).map_err(|unknown| {
            format!(
                "unknown festival `{unknown}` (a notice arranges {})",
                festival_list()
            )
        })?;
    }
    Ok(names)
}

/// `YYYY年M月D日` exactly.
fn full_date(norm: &str) -> Option<NaiveDate> {
    let mut c = Cursor::new(norm);
    let year = c.number()?;
    let ok = c.eat("年");
    let month = c.number()?;
    let ok = ok && c.eat("月");
    let day = c.number()?;
    (ok && c.eat("日") && c.is_empty())
        .then(|| NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day))
        .flatten()
}

impl Notice {
    /// Reads the text of the notice for `year` as published: the title,
    /// the number when given, the sentence announcing the festivals, one
    /// item per festival, the issuing office and the date. Full-width and
    /// half-width punctuation and digits, spaces anywhere, `周一` and
    /// `星期一` alike. `origin` names the notice in errors.
    ///
    /// A range is `1月28日至2月4日` or `1月1日至3日`; a date of another
    /// year carries it (`2022年12月31日至2023年1月2日`). Days off in another
    /// year that fall on a weekend are left out of the year file (see
    /// [`Notice::outside_year`]); a weekday off or a make-up workday in
    /// another year is refused, as it changes that year's calendar.
    ///
    /// # Errors
    ///
    /// [`CalendarError::NoticeLine`], naming the line, when an item cannot
    /// be read, a stated weekday is not the date's, a stated day count is
    /// not the range's, a festival is unknown or arranged twice, items are
    /// not numbered `一、二、…` in order, an item's festival is not among
    /// those the notice announces, two holidays share a day, a make-up
    /// workday is not a Saturday or Sunday or falls in a holiday, or a day
    /// lies outside `year` as above. [`CalendarError::Notice`] when the
    /// text has no title, is for another year, announces no festivals,
    /// arranges none, or does not end with `国务院办公厅` and its date.
    ///
    /// # Example
    ///
    /// ```
    /// use govshare::Notice;
    ///
    /// let text = "国务院办公厅关于2027年部分节假日安排的通知
    /// 各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
    /// 经国务院批准，现将2027年元旦放假调休日期的具体安排通知如下。
    /// 一、元旦：1月1日（周五）至3日（周日）放假，共3天。
    /// 国务院办公厅
    /// 2026年11月10日";
    /// let notice = Notice::parse(text, 2027, "2027.txt")?;
    /// assert_eq!(notice.year_file.source, "国务院办公厅关于2027年部分节假日安排的通知（2026年11月10日）");
    /// assert_eq!(notice.year_file.holidays[0].to.to_string(), "2027-01-03");
    ///
    /// // 1 January 2027 is a Friday: a notice that says otherwise is refused.
    /// let wrong = text.replace("周五", "周四");
    /// let err = Notice::parse(&wrong, 2027, "2027.txt").unwrap_err();
    /// assert!(err.to_string().starts_with("notice `2027.txt` line 4"), "{err}");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn parse(text: &str, year: i32, origin: &str) -> Result<Self, CalendarError> {
        let errors = Errors { origin };
        if !(1000..=9999).contains(&year) {
            return Err(errors.notice(format!("year `{year}` is not a year of four digits")));
        }
        let lines: Vec<Line<'_>> = text
            .lines()
            .enumerate()
            .map(|(i, text)| Line {
                number: i + 1,
                text: text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}'),
                norm: normalize(text),
            })
            .filter(|line| !line.norm.is_empty())
            .collect();

        let (title_at, title_line) = lines
            .iter()
            .enumerate()
            .find(|(_, l)| l.norm.contains(TITLE_SUFFIX))
            .ok_or_else(|| {
                errors.notice(format!(
                    "no title `{TITLE_PREFIX}{year}{TITLE_SUFFIX}`: the text must start as the \
                     notice does"
                ))
            })?;
        let title = title_line
            .norm
            .trim_start_matches('《')
            .trim_end_matches('》');
        let title_year = title
            .strip_prefix(TITLE_PREFIX)
            .and_then(|t| t.strip_suffix(TITLE_SUFFIX))
            .filter(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| {
                errors.line(
                    title_line,
                    format!("the title must read `{TITLE_PREFIX}YYYY{TITLE_SUFFIX}`"),
                )
            })?;
        if title_year != year.to_string() {
            return Err(errors.line(
                title_line,
                format!("the notice is for year `{title_year}`, not `{year}`"),
            ));
        }
        let number = lines
            .get(title_at + 1)
            .filter(|l| l.norm.starts_with("国办发"))
            .map(|l| {
                let n = &l.norm;
                let well_formed = n.ends_with('号') && n.contains('〔') && n.contains('〕');
                if well_formed {
                    Ok(n.clone())
                } else {
                    Err(errors.line(l, "a document number reads `国办发明电〔YYYY〕N号`"))
                }
            })
            .transpose()?;

        let end_expected = || {
            errors.notice(format!(
                "the text must end with the issuing office `{OFFICE}` and the date, such as \
                 `{}年11月4日`, on lines of their own",
                year - 1
            ))
        };
        let [.., office, date_line] = lines.as_slice() else {
            return Err(end_expected());
        };
        if office.norm != OFFICE {
            return Err(end_expected());
        }
        let issued = full_date(&date_line.norm).ok_or_else(end_expected)?;
        if !(year - 1..=year).contains(&issued.year()) {
            return Err(errors.line(
                date_line,
                format!(
                    "a notice for `{year}` is issued in `{}` or `{year}`, not on `{issued}`",
                    year - 1
                ),
            ));
        }

        // The items, and the lines around them.
        let mut items: Vec<Item<'_>> = Vec::new();
        let mut announcement = None;
        for line in lines.iter().skip(title_at + 1) {
            match item_start(&line.norm) {
                Some((Some(number), body)) => {
                    let item = item(line, number, body, year).map_err(|m| errors.line(line, m))?;
                    items.push(item);
                }
                Some((None, _)) => {
                    return Err(errors.line(line, "the item's number is not one such as `三、`"));
                }
                None if line.norm.contains(ANNOUNCES) && announcement.is_none() => {
                    if !items.is_empty() {
                        return Err(
                            errors.line(line, "the festivals are announced after the items")
                        );
                    }
                    let names = announced(line, year).map_err(|m| errors.line(line, m))?;
                    announcement = Some((line, names));
                }
                None if !items.is_empty()
                    && mentions_date(&line.norm)
                    && (line.norm.contains("放假") || line.norm.contains("上班")) =>
                {
                    return Err(errors.line(
                        line,
                        "a line after the items gives days off or worked but is not an item \
                         such as `二、春节：…`",
                    ));
                }
                None => {}
            }
        }
        if items.is_empty() {
            return Err(errors.notice(
                "the notice arranges no festival: no item such as `一、元旦：1月1日放假`",
            ));
        }
        let (announcement, names) = announcement.ok_or_else(|| {
            errors.notice(format!(
                "the notice does not announce its festivals: no sentence `现将{year}年元旦、…\
                 放假调休日期的{ANNOUNCES}`"
            ))
        })?;

        // Numbering, and each festival once.
        let mut arranged: BTreeMap<&str, &Line<'_>> = BTreeMap::new();
        for (i, item) in items.iter().enumerate() {
            let expected = u32::try_from(i + 1).unwrap_or(u32::MAX);
            if item.number != expected {
                return Err(errors.line(
                    item.line,
                    format!("item number {} where item {expected} was due", item.number),
                ));
            }
            for part in item.name.split('、') {
                if let Some(before) = arranged.insert(part, item.line) {
                    return Err(errors.line(
                        item.line,
                        format!(
                            "festival `{part}` is already arranged on line {}",
                            before.number
                        ),
                    ));
                }
                if !names.iter().any(|n| n == part) {
                    return Err(errors.line(
                        item.line,
                        format!(
                            "festival `{part}` is not among those the notice announces on line {}",
                            announcement.number
                        ),
                    ));
                }
            }
        }
        if let Some(missing) = names.iter().find(|n| !arranged.contains_key(n.as_str())) {
            return Err(errors.line(
                announcement,
                format!("the notice announces `{missing}` but no item arranges it"),
            ));
        }

        // Holidays do not overlap; make-up workdays are not holidays.
        let mut by_start: Vec<&Item<'_>> = items.iter().collect();
        by_start.sort_by_key(|i| i.from.date);
        for pair in by_start.windows(2) {
            if let [a, b] = pair
                && b.from.date <= a.to.date
            {
                return Err(errors.line(
                    b.line,
                    format!(
                        "holiday `{}` (`{}` to `{}`) overlaps holiday `{}` of line {}",
                        b.name, b.from.date, b.to.date, a.name, a.line.number
                    ),
                ));
            }
        }
        let mut seen = BTreeSet::new();
        for item in &items {
            for day in &item.make_ups {
                if let Some(h) = items
                    .iter()
                    .find(|h| h.from.date <= day.date && day.date <= h.to.date)
                {
                    return Err(errors.line(
                        item.line,
                        format!(
                            "make-up workday `{}` is a day of holiday `{}` (line {})",
                            day.text, h.name, h.line.number
                        ),
                    ));
                }
                if !seen.insert(day.date) {
                    return Err(errors.line(
                        item.line,
                        format!("make-up workday `{}` is listed twice", day.text),
                    ));
                }
            }
        }

        // One year: weekend days off in another year are left out.
        let mut outside_year = Vec::new();
        let mut holidays = Vec::new();
        let mut make_up_workdays = Vec::new();
        for item in &items {
            let mut from = None;
            let mut to = None;
            for day in item
                .from
                .date
                .iter_days()
                .take_while(|d| *d <= item.to.date)
            {
                if day.year() == year {
                    from = from.or(Some(day));
                    to = Some(day);
                } else if is_weekend(day) {
                    outside_year.push(day);
                } else {
                    return Err(errors.line(
                        item.line,
                        format!(
                            "the day off {day}, a {}, lies in `{}`, not `{year}`: a year file \
                             holds one year, and a weekday off in `{}` changes that year's \
                             calendar (cn-{}.json), which must be amended by hand",
                            weekday_name(day.weekday()),
                            day.year(),
                            day.year(),
                            day.year()
                        ),
                    ));
                }
            }
            let (Some(from), Some(to)) = (from, to) else {
                return Err(errors.line(
                    item.line,
                    format!("holiday `{}` has no day in `{year}`", item.name),
                ));
            };
            holidays.push(Holiday {
                en: english_name(&item.name).ok(),
                name: item.name.clone(),
                from,
                to,
            });
            for day in &item.make_ups {
                if day.date.year() != year {
                    return Err(errors.line(
                        item.line,
                        format!(
                            "make-up workday `{}` lies in `{}`, not `{year}`: a year file holds \
                             one year, and a make-up workday in `{}` changes that year's \
                             calendar (cn-{}.json), which must be amended by hand",
                            day.text,
                            day.date.year(),
                            day.date.year(),
                            day.date.year()
                        ),
                    ));
                }
                make_up_workdays.push(MakeUpWorkday {
                    date: day.date,
                    for_holiday: item.name.clone(),
                });
            }
        }
        holidays.sort_by_key(|h| h.from);
        make_up_workdays.sort_by_key(|m| m.date);

        let date_text = &date_line.norm;
        let source = match &number {
            Some(number) => format!("{title}（{number}，{date_text}）"),
            None => format!("{title}（{date_text}）"),
        };
        let year_file = YearFile {
            year,
            source,
            holidays,
            make_up_workdays,
        };
        // The format's own rules, as the loader applies them.
        validate(year_file.clone(), origin)?;
        Ok(Notice {
            title: title.to_owned(),
            number,
            issued,
            year_file,
            outside_year,
        })
    }
}
