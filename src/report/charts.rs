//! The report's charts, drawn with plotters into inline SVG: stacked bars
//! per department, columns per grant state, and the disposals on a date
//! axis. Text is left to the browser's fonts (SVG `<text>`), so Chinese
//! labels render with whatever CJK font the reader's system has.

use chrono::{Days, NaiveDate};
use plotters::coord::Shift;
use plotters::coord::ranged1d::SegmentValue;
use plotters::coord::types::RangedDate;
use plotters::prelude::*;

/// A colour of the report's palette (the same values as its CSS).
#[derive(Debug, Clone, Copy)]
pub(super) struct Tone(pub(super) u8, pub(super) u8, pub(super) u8);

impl Tone {
    fn rgb(self) -> RGBColor {
        RGBColor(self.0, self.1, self.2)
    }

    /// The colour as CSS.
    pub(super) fn css(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

pub(super) const RED: Tone = Tone(0xc0, 0x39, 0x2b);
pub(super) const AMBER: Tone = Tone(0xd9, 0x8c, 0x1f);
pub(super) const GREEN: Tone = Tone(0x2e, 0x8b, 0x57);
pub(super) const BLUE: Tone = Tone(0x2f, 0x6f, 0xb3);
pub(super) const GREY: Tone = Tone(0x8a, 0x8f, 0x98);
const INK: RGBColor = RGBColor(0x33, 0x33, 0x33);
const RULE: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);

const FONT: &str = "sans-serif";

/// Draws into an SVG string; a drawing error leaves a note instead of a
/// chart (the tables beside every chart carry the same figures).
fn svg(
    width: u32,
    height: u32,
    draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), String>,
) -> String {
    let mut out = String::new();
    let result = {
        let root = SVGBackend::with_string(&mut out, (width, height)).into_drawing_area();
        root.fill(&WHITE)
            .map_err(|e| e.to_string())
            .and_then(|()| draw(&root))
            .and_then(|()| root.present().map_err(|e| e.to_string()))
    };
    match result {
        Ok(()) => out,
        Err(e) => format!(
            "<p class=\"muted\">图表无法绘制 the chart could not be drawn: {}</p>",
            super::html::esc(&e)
        ),
    }
}

/// One bar of a stacked bar chart: its label and its parts, in the order
/// of the series.
pub(super) struct Stack {
    pub(super) label: String,
    pub(super) parts: Vec<usize>,
}

/// Horizontal stacked bars, the first bar on top.
pub(super) fn stacked_bars(bars: &[Stack], tones: &[Tone]) -> String {
    let n = bars.len();
    let max = bars
        .iter()
        .map(|b| b.parts.iter().sum::<usize>())
        .max()
        .unwrap_or(0)
        .max(1);
    let max = i32::try_from(max).unwrap_or(i32::MAX);
    let height = 60 + 30 * u32::try_from(n).unwrap_or(0);
    let label = |i: usize| {
        n.checked_sub(i + 1)
            .and_then(|k| bars.get(k))
            .map(|b| b.label.clone())
            .unwrap_or_default()
    };
    svg(760, height, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(8)
            .margin_right(24)
            .x_label_area_size(28)
            .y_label_area_size(250)
            .build_cartesian_2d(0..max + 1, (0..n).into_segmented())
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(RULE)
            .bold_line_style(RULE)
            .y_labels(n)
            .x_labels(usize::try_from(max.min(10)).unwrap_or(10) + 1)
            .x_label_formatter(&|v| format!("{v}"))
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => label(*i),
                SegmentValue::Last => String::new(),
            })
            .label_style((FONT, 13).into_font().color(&INK))
            .axis_style(INK)
            .draw()
            .map_err(|e| e.to_string())?;
        for (k, bar) in bars.iter().enumerate() {
            let row = n - 1 - k;
            let mut x = 0i32;
            for (part, tone) in bar.parts.iter().zip(tones) {
                let w = i32::try_from(*part).unwrap_or(0);
                if w == 0 {
                    continue;
                }
                let mut rect = Rectangle::new(
                    [
                        (x, SegmentValue::Exact(row)),
                        (x + w, SegmentValue::Exact(row + 1)),
                    ],
                    tone.rgb().filled(),
                );
                rect.set_margin(5, 5, 0, 0);
                chart
                    .draw_series(std::iter::once(rect))
                    .map_err(|e| e.to_string())?;
                x += w;
            }
        }
        Ok(())
    })
}

/// Vertical columns, one per label, each in its own tone.
pub(super) fn columns(values: &[(String, usize, Tone)]) -> String {
    let n = values.len();
    let max = values.iter().map(|v| v.1).max().unwrap_or(0).max(1);
    let max = i32::try_from(max).unwrap_or(i32::MAX);
    svg(760, 260, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(8)
            .x_label_area_size(40)
            .y_label_area_size(40)
            .build_cartesian_2d((0..n).into_segmented(), 0..max + 1)
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(RULE)
            .bold_line_style(RULE)
            .x_labels(n)
            .y_labels(usize::try_from(max.min(10)).unwrap_or(10) + 1)
            .y_label_formatter(&|v| format!("{v}"))
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => {
                    values.get(*i).map(|v| v.0.clone()).unwrap_or_default()
                }
                SegmentValue::Last => String::new(),
            })
            .label_style((FONT, 13).into_font().color(&INK))
            .axis_style(INK)
            .draw()
            .map_err(|e| e.to_string())?;
        for (i, (_, value, tone)) in values.iter().enumerate() {
            let h = i32::try_from(*value).unwrap_or(0);
            let mut rect = Rectangle::new(
                [(SegmentValue::Exact(i), 0), (SegmentValue::Exact(i + 1), h)],
                tone.rgb().filled(),
            );
            rect.set_margin(0, 0, 14, 14);
            chart
                .draw_series(std::iter::once(rect))
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    })
}

/// One disposal on the timeline: its label, the day it became owed, the
/// day it is due, and whether it is overdue.
pub(super) struct Mark {
    pub(super) label: String,
    pub(super) from: NaiveDate,
    pub(super) due: NaiveDate,
    pub(super) overdue: bool,
}

/// The disposals on a date axis: a bar from the day each became owed to
/// its due date, and a line at the report's date.
pub(super) fn timeline(marks: &[Mark], today: NaiveDate) -> String {
    let n = marks.len();
    let first = marks
        .iter()
        .map(|m| m.from.min(m.due))
        .chain([today])
        .min()
        .unwrap_or(today);
    let last = marks
        .iter()
        .map(|m| m.due.max(m.from))
        .chain([today])
        .max()
        .unwrap_or(today);
    let start = first.checked_sub_days(Days::new(3)).unwrap_or(first);
    let end = last.checked_add_days(Days::new(4)).unwrap_or(last);
    let height = 80 + 30 * u32::try_from(n).unwrap_or(0);
    let label = |i: usize| {
        n.checked_sub(i + 1)
            .and_then(|k| marks.get(k))
            .map(|m| m.label.clone())
            .unwrap_or_default()
    };
    svg(760, height, |root| {
        let mut chart = ChartBuilder::on(root)
            .margin(8)
            .margin_right(24)
            .x_label_area_size(28)
            .y_label_area_size(250)
            .build_cartesian_2d(RangedDate::from(start..end), (0..n).into_segmented())
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(RULE)
            .bold_line_style(RULE)
            .y_labels(n)
            .x_labels(8)
            .x_max_light_lines(1)
            .x_label_formatter(&|d| d.format("%m-%d").to_string())
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) | SegmentValue::Exact(i) => label(*i),
                SegmentValue::Last => String::new(),
            })
            .label_style((FONT, 13).into_font().color(&INK))
            .axis_style(INK)
            .draw()
            .map_err(|e| e.to_string())?;
        for (k, m) in marks.iter().enumerate() {
            let row = n - 1 - k;
            let tone = if m.overdue { RED } else { AMBER };
            let mut span = Rectangle::new(
                [
                    (m.from, SegmentValue::Exact(row)),
                    (m.due, SegmentValue::Exact(row + 1)),
                ],
                tone.rgb().mix(0.35).filled(),
            );
            span.set_margin(9, 9, 0, 0);
            let mut due = Rectangle::new(
                [
                    (m.due, SegmentValue::Exact(row)),
                    (
                        m.due.succ_opt().unwrap_or(m.due),
                        SegmentValue::Exact(row + 1),
                    ),
                ],
                tone.rgb().filled(),
            );
            due.set_margin(4, 4, 0, 0);
            chart.draw_series([span, due]).map_err(|e| e.to_string())?;
        }
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(today, SegmentValue::Exact(0)), (today, SegmentValue::Last)],
                BLUE.rgb().stroke_width(2),
            )))
            .map_err(|e| e.to_string())?;
        Ok(())
    })
}
