//! Server-rendered SVG charts: plain markup, readable without JavaScript,
//! each with a `<title>` and `<desc>` for screen readers. Colours come
//! from CSS classes, so dark mode applies. Built as strings (every text
//! escaped) and placed with `inner_html`.
use leptos::prelude::*;

const W: f64 = 640.0;
const H: f64 = 240.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 40.0;

/// Text safe inside SVG markup.
pub fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn open(id: &str, title: &str, desc: &str) -> String {
    format!(
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-labelledby="{id}-t {id}-d" preserveAspectRatio="xMidYMid meet"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        esc(title),
        esc(desc)
    )
}

fn y_axis(max: f64, fmt: &dyn Fn(f64) -> String) -> String {
    let mut out = String::new();
    for i in 0..=4 {
        let v = max * f64::from(i) / 4.0;
        let y = TOP + (H - TOP - BOTTOM) * (1.0 - f64::from(i) / 4.0);
        out.push_str(&format!(
            r#"<line class="grid" x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}"/><text class="tick" x="{}" y="{:.1}" text-anchor="end">{}</text>"#,
            W - RIGHT,
            LEFT - 6.0,
            y + 4.0,
            esc(&fmt(v))
        ));
    }
    out
}

/// Labels under the x axis, thinned so they never overlap.
fn x_labels(labels: &[String], x_of: &dyn Fn(usize) -> f64) -> String {
    let step = labels.len().div_ceil(10).max(1);
    labels
        .iter()
        .enumerate()
        .filter(|(i, _)| i % step == 0)
        .map(|(i, l)| {
            format!(
                r#"<text class="tick" x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
                x_of(i),
                H - BOTTOM + 16.0,
                esc(l)
            )
        })
        .collect()
}

/// One series of a bar chart: a CSS class, a legend label and a value per category.
pub struct BarSeries {
    pub class: &'static str,
    pub label: String,
    pub values: Vec<f64>,
}

fn legend(series: &[BarSeries]) -> String {
    series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let x = LEFT + 110.0 * i as f64;
            format!(
                r#"<rect class="{}" x="{x}" y="{}" width="10" height="10"/><text class="tick" x="{}" y="{}">{}</text>"#,
                s.class,
                H - 14.0,
                x + 14.0,
                H - 5.0,
                esc(&s.label)
            )
        })
        .collect()
}

/// Bars per category, stacked or side by side.
pub fn bar_chart(
    id: &str,
    title: &str,
    desc: &str,
    categories: &[String],
    series: &[BarSeries],
    stacked: bool,
) -> String {
    let n = categories.len().max(1);
    let totals: Vec<f64> = (0..n)
        .map(|i| {
            let vals = series
                .iter()
                .map(|s| s.values.get(i).copied().unwrap_or(0.0));
            if stacked {
                vals.sum()
            } else {
                vals.fold(0.0, f64::max)
            }
        })
        .collect();
    // A multiple of 4, so the four grid lines fall on whole numbers.
    let max = (totals.iter().copied().fold(1.0, f64::max) / 4.0).ceil() * 4.0;
    let plot_h = H - TOP - BOTTOM - 12.0;
    let band = (W - LEFT - RIGHT) / n as f64;
    let mut out = open(id, title, desc);
    out.push_str(&y_axis(max, &|v| format!("{}", v.round() as i64)));
    for (i, category) in categories.iter().enumerate() {
        let mut base = 0.0;
        for (k, s) in series.iter().enumerate() {
            let v = s.values.get(i).copied().unwrap_or(0.0);
            if v <= 0.0 {
                continue;
            }
            let h = plot_h * v / max;
            let (x, w, y) = if stacked {
                (
                    LEFT + band * i as f64 + band * 0.15,
                    band * 0.7,
                    H - BOTTOM - 12.0 - base - h,
                )
            } else {
                let w = band * 0.7 / series.len() as f64;
                (
                    LEFT + band * i as f64 + band * 0.15 + w * k as f64,
                    w,
                    H - BOTTOM - 12.0 - h,
                )
            };
            out.push_str(&format!(
                r#"<rect class="{}" x="{x:.1}" y="{y:.1}" width="{w:.1}" height="{h:.1}"><title>{}: {} {}</title></rect>"#,
                s.class,
                esc(category),
                v,
                esc(&s.label)
            ));
            if stacked {
                base += h;
            }
        }
    }
    out.push_str(&x_labels(categories, &|i| LEFT + band * (i as f64 + 0.5)));
    out.push_str(&legend(series));
    out.push_str("</svg>");
    out
}

/// Horizontal bars, one per named row, largest first as given.
pub fn ranked_bars(id: &str, title: &str, desc: &str, rows: &[(String, f64, String)]) -> String {
    let row_h = 22.0;
    let height = TOP + row_h * rows.len().max(1) as f64 + 8.0;
    let max = rows.iter().map(|r| r.1).fold(1.0, f64::max);
    let label_w = 170.0;
    let mut out = format!(
        r#"<svg class="chart" viewBox="0 0 {W} {height}" role="img" aria-labelledby="{id}-t {id}-d"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        esc(title),
        esc(desc)
    );
    for (i, (name, value, shown)) in rows.iter().enumerate() {
        let y = TOP + row_h * i as f64;
        let w = (W - label_w - 90.0) * value / max;
        out.push_str(&format!(
            r#"<text class="tick" x="{}" y="{:.1}" text-anchor="end">{}</text><rect class="bar" x="{label_w}" y="{:.1}" width="{w:.1}" height="{}"/><text class="tick" x="{:.1}" y="{:.1}">{}</text>"#,
            label_w - 6.0,
            y + 14.0,
            esc(name),
            y + 3.0,
            row_h - 6.0,
            label_w + w + 6.0,
            y + 14.0,
            esc(shown)
        ));
    }
    out.push_str("</svg>");
    out
}

/// A line through `(x, y)` points; `log_x` spreads skewed durations.
pub struct LineSpec<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
    pub points: &'a [(f64, f64)],
    pub log_x: bool,
    pub step: bool,
    pub x_fmt: &'a dyn Fn(f64) -> String,
    pub y_fmt: &'a dyn Fn(f64) -> String,
    /// Names for integer x values (months), instead of `x_fmt` ticks.
    pub x_names: Option<&'a [String]>,
}

pub fn line_chart(spec: &LineSpec<'_>) -> String {
    let tx = |x: f64| if spec.log_x { x.max(1.0).log10() } else { x };
    let xs: Vec<f64> = spec.points.iter().map(|p| tx(p.0)).collect();
    let (x_min, x_max) = (
        xs.iter().copied().fold(f64::INFINITY, f64::min),
        xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
    );
    let span = if x_max > x_min { x_max - x_min } else { 1.0 };
    let y_max = spec
        .points
        .iter()
        .map(|p| p.1)
        .fold(0.0, f64::max)
        .max(1e-9);
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let px = |x: f64| LEFT + plot_w * (x - x_min) / span;
    let py = |y: f64| TOP + plot_h * (1.0 - y / y_max);
    let mut out = open(spec.id, spec.title, spec.desc);
    out.push_str(&y_axis(y_max, spec.y_fmt));
    let mut d = String::new();
    let mut last_y = None;
    for (i, p) in spec.points.iter().enumerate() {
        let (x, y) = (px(xs[i]), py(p.1));
        match (i, spec.step, last_y) {
            (0, _, _) => d.push_str(&format!("M{x:.1},{y:.1}")),
            (_, true, Some(ly)) => d.push_str(&format!(" L{x:.1},{ly:.1} L{x:.1},{y:.1}")),
            _ => d.push_str(&format!(" L{x:.1},{y:.1}")),
        }
        last_y = Some(y);
    }
    out.push_str(&format!(r#"<path class="line" d="{d}"/>"#));
    if !spec.step {
        for (i, p) in spec.points.iter().enumerate() {
            out.push_str(&format!(
                r#"<circle class="dot" cx="{:.1}" cy="{:.1}" r="3"><title>{}</title></circle>"#,
                px(xs[i]),
                py(p.1),
                esc(&(spec.y_fmt)(p.1))
            ));
        }
    }
    match spec.x_names {
        Some(names) => out.push_str(&x_labels(names, &|i| px(i as f64))),
        None => {
            for i in 0..=4 {
                let x = x_min + span * f64::from(i) / 4.0;
                let raw = if spec.log_x { 10f64.powf(x) } else { x };
                out.push_str(&format!(
                    r#"<text class="tick" x="{:.1}" y="{}" text-anchor="middle">{}</text>"#,
                    px(x),
                    H - BOTTOM + 16.0,
                    esc(&(spec.x_fmt)(raw))
                ));
            }
        }
    }
    out.push_str("</svg>");
    out
}

/// A chart with its caption and a link to its numbers as CSV.
#[component]
pub fn Chart(caption: String, svg: String, csv_href: String) -> impl IntoView {
    view! {
        <figure class="chart-figure">
            <div class="chart-box" inner_html=svg></div>
            <figcaption>{caption}" · "<a href=csv_href>"Numbers as CSV"</a></figcaption>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_titled_svg_and_escape_text() {
        let svg = bar_chart(
            "m",
            "Incidents <per> month",
            "desc",
            &["2026-01".into(), "2026-02".into()],
            &[BarSeries {
                class: "sev1",
                label: "SEV1".into(),
                values: vec![1.0, 3.0],
            }],
            true,
        );
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("<title id=\"m-t\">Incidents &lt;per&gt; month</title>"));
        assert_eq!(
            svg.matches("<rect class=\"sev1\"").count(),
            3,
            "two bars and a legend key"
        );
        let bars = ranked_bars("r", "t", "d", &[("dns & <x>".into(), 2.0, "2".into())]);
        assert!(bars.contains("dns &amp; &lt;x&gt;"));
        let line = line_chart(&LineSpec {
            id: "l",
            title: "t",
            desc: "d",
            points: &[(60.0, 0.5), (3600.0, 1.0)],
            log_x: true,
            step: true,
            x_fmt: &|x| format!("{x:.0}"),
            y_fmt: &|y| format!("{y}"),
            x_names: None,
        });
        assert!(line.contains("<path class=\"line\" d=\"M"));
    }
}
