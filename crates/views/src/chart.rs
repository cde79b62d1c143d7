//! Charts drawn on the server as SVG: they print, work with scripting off and serve reports
//! too. Each mark carries a native `<title>` so hovering shows its figures.
//!
//! Colours come from the stylesheet's status classes (`s-achieved` …), so a status has one
//! colour everywhere.

use std::fmt::Write;

/// Escapes text for SVG/XML content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A point of a time series: `x` in fractional years (the end of May 2026 is 2026 + 5/12).
#[derive(Clone, Debug)]
pub struct ChartPoint {
    pub x: f64,
    pub y: f64,
    /// What hovering the point shows.
    pub tip: String,
}

/// The trend of one target: what was reported, the path the plan expects, where the current
/// growth leads, and the goals.
pub struct LineChart<'a> {
    pub actual: &'a [ChartPoint],
    /// The expected path, piecewise linear through each target year.
    pub expected: &'a [(f64, f64)],
    /// From the latest value to the projected value at the target year.
    pub projection: Option<[(f64, f64); 2]>,
    pub goals: &'a [ChartPoint],
    pub legend: [&'a str; 4],
    pub status_class: &'a str,
}

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 52.0;

/// Round tick values covering `lo..hi`, about `count` of them.
fn ticks(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let span = (hi - lo).abs().max(1e-9);
    let raw = span / count.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(raw);
    let first = (lo / step).floor() * step;
    (0..=count * 3).map(|i| first + step * i as f64).take_while(|t| *t <= hi + step * 0.999).collect()
}

/// A tick label: no more decimals than the step needs.
fn tick_label(value: f64, step: f64) -> String {
    let decimals = if step >= 1.0 { 0 } else { (-step.log10()).ceil().clamp(0.0, 4.0) as usize };
    format!("{value:.decimals$}")
}

pub fn line_chart(chart: &LineChart) -> String {
    let xs = chart
        .actual
        .iter()
        .map(|p| p.x)
        .chain(chart.expected.iter().map(|p| p.0))
        .chain(chart.goals.iter().map(|p| p.x))
        .chain(chart.projection.iter().flat_map(|p| p.iter().map(|q| q.0)));
    let ys = chart
        .actual
        .iter()
        .map(|p| p.y)
        .chain(chart.expected.iter().map(|p| p.1))
        .chain(chart.goals.iter().map(|p| p.y))
        .chain(chart.projection.iter().flat_map(|p| p.iter().map(|q| q.1)));
    let (x_lo, x_hi) = bounds(xs);
    let (y_lo, y_hi) = bounds(ys);
    let (x_lo, x_hi) = (x_lo.floor(), x_hi.ceil().max(x_lo.floor() + 1.0));
    let pad = ((y_hi - y_lo) * 0.08).max(y_hi.abs() * 0.02).max(1e-6);
    let y_ticks = ticks(if y_lo >= 0.0 { (y_lo - pad).max(0.0) } else { y_lo - pad }, y_hi + pad, 5);
    let (y_lo, y_hi) = (y_ticks.first().copied().unwrap_or(0.0), y_ticks.last().copied().unwrap_or(1.0));
    let step = y_ticks.get(1).zip(y_ticks.first()).map_or(1.0, |(b, a)| b - a);
    let sx = |x: f64| LEFT + (x - x_lo) / (x_hi - x_lo) * (WIDTH - LEFT - RIGHT);
    let sy = |y: f64| {
        let span = if y_hi > y_lo { y_hi - y_lo } else { 1.0 };
        HEIGHT - BOTTOM - (y - y_lo) / span * (HEIGHT - TOP - BOTTOM)
    };

    let mut svg = format!(
        "<svg class=\"chart line-chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" role=\"img\" \
         xmlns=\"http://www.w3.org/2000/svg\" preserveAspectRatio=\"xMidYMid meet\">"
    );
    for t in &y_ticks {
        let y = sy(*t);
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>\
             <text class=\"axis\" x=\"{}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>",
            WIDTH - RIGHT,
            LEFT - 8.0,
            y + 4.0,
            tick_label(*t, step)
        );
    }
    // Grid lines at year boundaries, each year's label in the middle of its span: a goal for
    // 2030 sits at the right edge of "2030".
    let mut year = x_lo as i32;
    while f64::from(year) <= x_hi {
        let x = sx(f64::from(year));
        let _ =
            write!(svg, "<line class=\"grid-x\" x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{TOP}\" y2=\"{}\"/>", HEIGHT - BOTTOM);
        if f64::from(year) + 1.0 <= x_hi {
            let _ = write!(
                svg,
                "<text class=\"axis\" x=\"{:.1}\" y=\"{}\" text-anchor=\"middle\">{year}</text>",
                sx(f64::from(year) + 0.5),
                HEIGHT - BOTTOM + 18.0
            );
        }
        year += 1;
    }
    let path = |points: &mut dyn Iterator<Item = (f64, f64)>| {
        points.map(|(x, y)| format!("{:.1},{:.1}", sx(x), sy(y))).collect::<Vec<_>>().join(" ")
    };
    if !chart.expected.is_empty() {
        let _ = write!(
            svg,
            "<polyline class=\"expected\" points=\"{}\"><title>{}</title></polyline>",
            path(&mut chart.expected.iter().copied()),
            escape(chart.legend[1])
        );
    }
    if let Some(projection) = chart.projection {
        let _ = write!(
            svg,
            "<polyline class=\"projection {}\" points=\"{}\"><title>{}</title></polyline>",
            chart.status_class,
            path(&mut projection.iter().copied()),
            escape(chart.legend[2])
        );
    }
    if chart.actual.len() > 1 {
        let _ = write!(
            svg,
            "<polyline class=\"actual\" points=\"{}\"/>",
            path(&mut chart.actual.iter().map(|p| (p.x, p.y)))
        );
    }
    for point in chart.actual {
        let _ = write!(
            svg,
            "<circle class=\"dot\" cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\"><title>{}</title></circle>",
            sx(point.x),
            sy(point.y),
            escape(&point.tip)
        );
    }
    for goal in chart.goals {
        let (x, y) = (sx(goal.x), sy(goal.y));
        let _ = write!(
            svg,
            "<path class=\"goal\" d=\"M{x:.1},{:.1} l6,6 l-6,6 l-6,-6 z\"><title>{}</title></path>",
            y - 6.0,
            escape(&goal.tip)
        );
    }
    let legend_y = HEIGHT - 12.0;
    let items = [("actual", chart.legend[0]), ("expected", chart.legend[1]), ("projection", chart.legend[2])];
    let mut x = LEFT;
    for (class, label) in items {
        let _ = write!(
            svg,
            "<line class=\"{class} {}\" x1=\"{x}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"/>\
             <text class=\"legend\" x=\"{}\" y=\"{legend_y}\">{}</text>",
            if class == "projection" { chart.status_class } else { "" },
            x + 22.0,
            legend_y - 4.0,
            legend_y - 4.0,
            x + 28.0,
            escape(label)
        );
        x += 40.0 + label.chars().count() as f64 * 12.0;
    }
    let _ = write!(
        svg,
        "<path class=\"goal\" d=\"M{:.1},{:.1} l5,5 l-5,5 l-5,-5 z\"/><text class=\"legend\" x=\"{:.1}\" \
         y=\"{legend_y}\">{}</text></svg>",
        x + 6.0,
        legend_y - 9.0,
        x + 16.0,
        escape(chart.legend[3])
    );
    svg
}

fn bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) =
        values.filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) }
}

/// A progress bar: the share done, filled in the status colour, against a marker at the
/// expected share (序时进度). Small and many to a page, it is drawn for inline use (no
/// namespace declaration, which HTML does not need).
pub fn progress_bar(done: Option<f64>, expected: Option<f64>, status_class: &str, tip: &str) -> String {
    let width = 200.0;
    let mut svg = format!(
        "<svg class=\"progress\" viewBox=\"0 0 {width} 16\" preserveAspectRatio=\"none\" role=\"img\">\
         <title>{}</title><rect class=\"track\" x=\"0\" y=\"3\" \
         width=\"{width}\" height=\"10\" rx=\"5\"/>",
        escape(tip)
    );
    if let Some(done) = done.filter(|d| d.is_finite()) {
        let fill = done.clamp(0.0, 1.0) * width;
        let _ = write!(
            svg,
            "<rect class=\"fill {status_class}\" x=\"0\" y=\"3\" width=\"{fill:.1}\" height=\"10\" rx=\"5\"/>"
        );
    }
    if let Some(expected) = expected.filter(|e| e.is_finite()) {
        let x = expected.clamp(0.0, 1.0) * width;
        let _ = write!(
            svg,
            "<rect class=\"marker\" x=\"{:.1}\" y=\"0\" width=\"2.5\" height=\"16\"/>",
            (x - 1.25).max(0.0)
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One bar of a comparison.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub goal: Option<f64>,
    /// The value as printed beside the bar.
    pub value_label: String,
    pub status_class: &'static str,
    pub tip: String,
}

/// Horizontal bars, one per unit, with a tick at each unit's goal.
pub fn bar_chart(bars: &[Bar], goal_label: &str) -> String {
    const BAR_WIDTH: f64 = 1000.0;
    let row = 26.0;
    let label_width = 80.0;
    let height = row * bars.len() as f64 + 12.0;
    let max = bars.iter().flat_map(|b| [b.value, b.goal.unwrap_or(0.0)]).fold(0.0_f64, f64::max).max(1e-9);
    let scale = |v: f64| (v.max(0.0) / max) * (BAR_WIDTH - label_width - 120.0);
    let mut svg = format!(
        "<svg class=\"chart bar-chart\" viewBox=\"0 0 {BAR_WIDTH} {height}\" role=\"img\" \
         xmlns=\"http://www.w3.org/2000/svg\">"
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = 6.0 + row * i as f64;
        let w = scale(bar.value);
        let label_x = label_width + w.max(bar.goal.map_or(0.0, scale)) + 8.0;
        let _ = write!(
            svg,
            "<text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect class=\"fill {}\" x=\"{label_width}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"18\" rx=\"3\">\
             <title>{}</title></rect><text class=\"value\" x=\"{label_x:.1}\" y=\"{:.1}\">{}</text>",
            label_width - 8.0,
            y + 14.0,
            escape(&bar.label),
            bar.status_class,
            escape(&bar.tip),
            y + 14.0,
            escape(&bar.value_label),
        );
        if let Some(goal) = bar.goal {
            let x = label_width + scale(goal);
            let _ = write!(
                svg,
                "<rect class=\"marker\" x=\"{:.1}\" y=\"{:.1}\" width=\"2.5\" height=\"24\"><title>{} {}</title></rect>",
                x - 1.25,
                y - 3.0,
                escape(goal_label),
                escape(&bar.tip)
            );
        }
    }
    svg.push_str("</svg>");
    svg
}

/// How many targets are in each status, as one stacked bar.
pub fn status_stack(parts: &[(&str, usize, String)]) -> String {
    let total: usize = parts.iter().map(|(_, n, _)| n).sum();
    let width = 300.0;
    let mut svg = format!("<svg class=\"stack\" viewBox=\"0 0 {width} 14\" preserveAspectRatio=\"none\" role=\"img\">");
    let mut x = 0.0;
    for (class, count, tip) in parts.iter().filter(|(_, n, _)| *n > 0) {
        let w = *count as f64 / total.max(1) as f64 * width;
        let _ = write!(
            svg,
            "<rect class=\"fill {class}\" x=\"{x:.2}\" y=\"0\" width=\"{w:.2}\" height=\"14\"><title>{}</title></rect>",
            escape(tip)
        );
        x += w;
    }
    svg.push_str("</svg>");
    svg
}

/// One month of a cluster's trend.
pub struct TrendPoint {
    pub label: String,
    pub month: Option<f64>,
    pub yoy: Option<f64>,
}

/// A cluster's trend: 当月 as bars on the left axis, 同比 as a line on the right axis (%).
pub fn trend_chart(points: &[TrendPoint], legend: [&str; 2]) -> String {
    let plot_w = WIDTH - LEFT - 56.0;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let n = points.len().max(1) as f64;
    let slot = plot_w / n;
    let top = points.iter().filter_map(|p| p.month).fold(0.0_f64, f64::max).max(1e-9);
    let month_ticks = ticks(0.0, top, 4);
    let month_max = month_ticks.last().copied().unwrap_or(top).max(top);
    let rates: Vec<f64> = points.iter().filter_map(|p| p.yoy.map(|y| y * 100.0)).collect();
    let (lo, hi) = rates.iter().fold((0.0_f64, 0.0_f64), |(lo, hi), r| (lo.min(*r), hi.max(*r)));
    let rate_ticks = ticks(lo.min(-5.0), hi.max(5.0), 4);
    let (rate_lo, rate_hi) = (rate_ticks.first().copied().unwrap_or(-5.0), rate_ticks.last().copied().unwrap_or(5.0));
    let y_month = |v: f64| TOP + plot_h * (1.0 - v / month_max);
    let y_rate = |r: f64| TOP + plot_h * (1.0 - (r - rate_lo) / (rate_hi - rate_lo).max(1e-9));
    let mut svg = format!(
        r#"<svg class="trend" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{}">"#,
        escape(&format!("{} / {}", legend[0], legend[1]))
    );
    let step = month_ticks.get(1).map_or(1.0, |t| t - month_ticks[0]);
    for t in &month_ticks {
        let y = y_month(*t);
        svg.push_str(&format!(
            r##"<line x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#e3e3e3"/><text x="{}" y="{:.1}" font-size="11" text-anchor="end" fill="#555">{}</text>"##,
            LEFT + plot_w,
            LEFT - 6.0,
            y + 4.0,
            tick_label(*t, step)
        ));
    }
    let rate_step = rate_ticks.get(1).map_or(1.0, |t| t - rate_ticks[0]);
    for t in &rate_ticks {
        svg.push_str(&format!(
            r##"<text x="{}" y="{:.1}" font-size="11" fill="#b03a2e">{}%</text>"##,
            LEFT + plot_w + 6.0,
            y_rate(*t) + 4.0,
            tick_label(*t, rate_step)
        ));
    }
    let zero = y_rate(0.0);
    svg.push_str(&format!(r##"<line x1="{LEFT}" x2="{}" y1="{zero:.1}" y2="{zero:.1}" stroke="#b03a2e" stroke-dasharray="3 3" stroke-width="0.8"/>"##, LEFT + plot_w));
    let mut line = Vec::new();
    for (i, p) in points.iter().enumerate() {
        let x = LEFT + slot * i as f64;
        if let Some(v) = p.month {
            let y = y_month(v.max(0.0));
            svg.push_str(&format!(
                r##"<rect x="{:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="#4a78b5"><title>{} {}: {}</title></rect>"##,
                x + slot * 0.15,
                slot * 0.7,
                (TOP + plot_h - y).max(0.0),
                escape(&p.label),
                escape(legend[0]),
                tick_label(v, step / 10.0)
            ));
        }
        if let Some(r) = p.yoy {
            line.push((x + slot / 2.0, y_rate(r * 100.0), format!("{} {}: {:.1}%", p.label, legend[1], r * 100.0)));
        }
        if i % (points.len() / 12 + 1) == 0 {
            svg.push_str(&format!(
                r##"<text x="{:.1}" y="{}" font-size="11" text-anchor="middle" fill="#555">{}</text>"##,
                x + slot / 2.0,
                TOP + plot_h + 16.0,
                escape(&p.label)
            ));
        }
    }
    if line.len() > 1 {
        let path: Vec<String> = line.iter().map(|(x, y, _)| format!("{x:.1},{y:.1}")).collect();
        svg.push_str(&format!(
            r##"<polyline points="{}" fill="none" stroke="#b03a2e" stroke-width="2"/>"##,
            path.join(" ")
        ));
    }
    for (x, y, tip) in &line {
        svg.push_str(&format!(
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="3" fill="#b03a2e"><title>{}</title></circle>"##,
            escape(tip)
        ));
    }
    let legend_y = HEIGHT - 12.0;
    svg.push_str(&format!(
        r##"<rect x="{LEFT}" y="{}" width="12" height="10" fill="#4a78b5"/><text x="{}" y="{legend_y}" font-size="12">{}</text><line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#b03a2e" stroke-width="2"/><text x="{}" y="{legend_y}" font-size="12">{}</text></svg>"##,
        legend_y - 9.0,
        LEFT + 16.0,
        escape(legend[0]),
        LEFT + 140.0,
        LEFT + 160.0,
        legend_y - 4.0,
        legend_y - 4.0,
        LEFT + 166.0,
        escape(legend[1])
    ));
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(ticks(0.0, 100.0, 5), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        let t = ticks(2.3, 3.4, 5);
        assert!(t[0] <= 2.3 && *t.last().unwrap() >= 3.4, "{t:?}");
    }

    #[test]
    fn labels_are_escaped_and_nothing_is_nan() {
        let actual = [ChartPoint { x: 2025.5, y: 1.0, tip: "<script>".into() }];
        let svg = line_chart(&LineChart {
            actual: &actual,
            expected: &[],
            projection: None,
            goals: &[],
            legend: ["a", "b", "c", "d"],
            status_class: "s-on_track",
        });
        assert!(svg.contains("&lt;script&gt;") && !svg.contains("<script>"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        let empty = line_chart(&LineChart {
            actual: &[],
            expected: &[],
            projection: None,
            goals: &[],
            legend: ["a", "b", "c", "d"],
            status_class: "",
        });
        assert!(!empty.contains("NaN"));
    }

    #[test]
    fn a_progress_bar_clamps_and_marks_the_expected_share() {
        let svg = progress_bar(Some(1.7), Some(0.4), "s-achieved", "t");
        assert!(svg.contains("width=\"200.0\"") && svg.contains("class=\"marker\" x=\"78.8\""));
    }
}
