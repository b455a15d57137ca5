//! The HTML page of a report: header, SLO verdicts, tables, per-kind figures, faults, cost, and
//! the charts of `report-charts` (web/charts/, shared with the browser app) with their captions and
//! HTML legends, with inline CSS and nothing fetched from anywhere.
//!
//! It reads the typed `Report` (a JSON report file is read by `sim_core::report::read` first, so
//! one of another format version is refused with a clear error, never half drawn). SLO values are
//! written by `SloReport::measured`, in each SLO's own unit. All text from the report is
//! HTML-escaped.

use report_charts::{Chart, Drawn, Mark, esc, fmt_clock, fmt_span, fmt_usd};
use sim_core::Report;
use sim_core::report::{ComponentReport, SloReport, Verdict};
use sim_core::slo::LatencyStat;
use std::fmt::Write;

const DASH: &str = "–";

fn fmt_ms(v: Option<f64>) -> String {
    match v {
        None => DASH.into(),
        Some(v) if v >= 100.0 => format!("{v:.0}"),
        Some(v) if v >= 10.0 => format!("{v:.1}"),
        Some(v) => format!("{v:.2}"),
    }
}

fn fmt_count(v: Option<f64>) -> String {
    match v {
        None => DASH.into(),
        Some(n) if n.abs() < 10_000.0 => format!("{n:.0}"),
        Some(n) if n.abs() < 1e6 => format!("{:.1}k", n / 1e3),
        Some(n) => format!("{:.2}M", n / 1e6),
    }
}

fn fmt_fixed(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| DASH.into(), |v| format!("{v:.decimals$}"))
}

/// Seconds with as many decimals as matter: `2.169`, `32.5`, `10800`.
fn fmt_secs(v: Option<f64>) -> String {
    match v {
        None => DASH.into(),
        Some(v) if v.abs() >= 1000.0 => format!("{v:.0}"),
        Some(v) if v.abs() >= 10.0 => format!("{v:.1}"),
        Some(v) => format!("{v:.3}"),
    }
}

/// An availability with the digits that matter (see [`report_charts::fmt_availability`]).
fn fmt_avail(v: Option<f64>) -> String {
    v.map_or_else(
        || DASH.into(),
        |v| format!("{}%", report_charts::fmt_availability(v)),
    )
}

fn fmt_pct(v: Option<f64>, decimals: usize) -> String {
    v.map_or_else(|| DASH.into(), |v| format!("{:.decimals$}%", v * 100.0))
}

/// A 95 % interval as `± half-width`, formatted like its value (nothing without an interval).
fn ci(v: Option<[f64; 2]>, fmt: &dyn Fn(Option<f64>) -> String) -> String {
    match v {
        Some([lo, hi]) => format!(
            "<br><span class=\"ci\">±{}</span>",
            fmt(Some((hi - lo) / 2.0))
        ),
        None => String::new(),
    }
}

const CSS: &str = r#"
:root{--ink:#1c2128;--muted:#5d6875;--line:#e2e5e9;--bg:#f5f6f8;--card:#fff}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1140px;margin:0 auto;padding:28px 24px 40px}
header{margin:0 0 8px}
header .kicker{color:var(--muted);font-size:13px;text-transform:uppercase;letter-spacing:.08em;margin:0}
h1{font-size:30px;line-height:1.2;margin:2px 0 6px;letter-spacing:-.01em}
.meta{color:var(--muted);margin:0}
.meta b{color:var(--ink);font-weight:600}
.chips{margin:12px 0 0;display:flex;gap:8px;flex-wrap:wrap}
section{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:18px 24px 20px;margin:18px 0}
h2{font-size:19px;margin:0 0 10px}
h3{font-size:15px;margin:20px 0 0}
p.sub{color:var(--muted);font-size:13.5px;margin:2px 0 4px}
.wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums;font-size:14px}
th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap;vertical-align:top}
th{font-weight:600;color:var(--muted);font-size:12px;letter-spacing:.02em;border-bottom:2px solid var(--line)}
tr:last-child td{border-bottom:0}
th.l,td.l{text-align:left}
td.wrapok{white-space:normal}
td.zero{color:#a0a8b2}
td.over{color:#9c3d00;font-weight:600}
.ci{color:var(--muted);font-size:12px}
.badge{display:inline-block;min-width:44px;text-align:center;padding:1px 8px;border-radius:999px;font-size:12px;font-weight:700;letter-spacing:.03em}
.pass{background:#e3f0f8;color:#00517f}
.fail{background:#fbe6da;color:#9c3d00}
.na{background:#eceef0;color:#545c66}
.inc{background:#fdf3d7;color:#6b5200}
.chip{display:inline-block;padding:3px 10px;border-radius:6px;font-size:13px;background:#fff;border:1px solid var(--line)}
figure{margin:18px 0 6px}
figure svg{display:block;width:100%;height:auto}
figcaption h3{margin:0}
.legend{display:flex;flex-wrap:wrap;gap:4px 18px;font-size:13px;margin:6px 0 4px;color:var(--ink)}
.key{display:inline-flex;align-items:center;gap:6px}
.key i{display:inline-block;width:24px;height:0;border-top:3px solid}
.key i.dash{border-top-style:dashed}
.key i.band{height:12px;border:0;width:18px}
.bar{display:inline-block;width:56px;height:7px;background:#eceff2;border-radius:4px;vertical-align:middle;margin-left:8px;overflow:hidden}
.bar b{display:block;height:100%;background:#0072B2}
.bar b.hot{background:#D55E00}
.note{color:var(--muted);font-style:italic;margin:8px 0}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.cols{display:grid;grid-template-columns:repeat(auto-fit,minmax(440px,1fr));gap:8px 28px}
footer{color:var(--muted);font-size:12px;text-align:center;margin-top:24px}
@media print{body{background:#fff}section{border:0;padding:0;break-inside:avoid}}
"#;

/// The whole page for a report.
pub fn render(r: &Report) -> String {
    let name = r.scenario.as_str();
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta name=\"generator\" content=\"archsim {}\">\n<title>{} · archsim report</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        env!("CARGO_PKG_VERSION"),
        esc(name)
    );
    header(&mut o, r, name);
    warnings(&mut o, r);
    slos(&mut o, r);
    workloads(&mut o, r);
    components(&mut o, r);
    kinds(&mut o, r);
    faults(&mut o, r);
    cost(&mut o, r);
    network(&mut o, r);
    let _ = write!(
        o,
        "<footer>archsim {} · a discrete-event simulation; the same scenario and seed give the same report.</footer>\n</main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    o
}

fn header(o: &mut String, r: &Report, name: &str) {
    let reps = if r.replications == 1 {
        "1 replication".to_string()
    } else {
        format!("{} replications (means, ± 95 % intervals)", r.replications)
    };
    let measured = fmt_span(r.simulated_s);
    let warmup = r.warmup_s;
    let warm = if warmup > 0.0 {
        format!(" after a <b>{}</b> warm-up", fmt_span(warmup))
    } else {
        String::new()
    };
    let seed = r.seed;
    let _ = write!(
        o,
        "<header>\n<p class=\"kicker\">archsim report</p>\n<h1>{}</h1>\n\
<p class=\"meta\">seed <b>{seed}</b> · <b>{measured}</b> simulated{warm} · {reps} · {} events</p>\n<div class=\"chips\">",
        esc(name),
        fmt_count(Some(r.engine.events as f64))
    );
    let slo = &r.slo;
    if !slo.is_empty() {
        let count = |c: &str| slo.iter().filter(|s| verdict(s).0 == c).count();
        let (met, failed, unsure) = (count("pass"), count("fail"), count("inc"));
        let n = slo.len();
        let (class, text) = if failed > 0 {
            ("fail", format!("{failed} of {n} SLOs fail"))
        } else if unsure > 0 {
            ("inc", format!("{unsure} of {n} SLOs inconclusive"))
        } else {
            ("pass", format!("{met} of {n} SLOs met"))
        };
        let _ = write!(o, "<span class=\"badge {class}\">{text}</span>");
    }
    let (nf, nw, nc) = (r.faults.len(), r.workloads.len(), r.components.len());
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let _ = write!(
        o,
        "<span class=\"chip\">{}</span><span class=\"chip\">{}</span><span class=\"chip\">{}</span></div>\n</header>\n",
        plural(nw, "workload"),
        plural(nc, "component"),
        plural(nf, "fault")
    );
}

/// An SLO's verdict as a CSS class and a label: the report's `verdict` (which accounts for the
/// 95 % interval); "n/a" when nothing was measured.
fn verdict(s: &SloReport) -> (&'static str, &'static str) {
    if s.pass.is_none() {
        return ("na", "n/a");
    }
    match s.verdict {
        Verdict::Pass => ("pass", "PASS"),
        Verdict::Fail => ("fail", "FAIL"),
        Verdict::Inconclusive => ("inc", "INCONCLUSIVE"),
    }
}

/// The report's `warnings[]`: each with its code as a badge, then its message.
fn warnings(o: &mut String, r: &Report) {
    if r.warnings.is_empty() {
        return;
    }
    o.push_str("<section id=\"warnings\">\n<h2>Warnings</h2>\n<ul>\n");
    for w in &r.warnings {
        let _ = writeln!(
            o,
            "<li><span class=\"badge fail\">{}</span> {}</li>",
            esc(&w.code),
            esc(&w.message)
        );
    }
    o.push_str("</ul>\n</section>\n");
}

fn slos(o: &mut String, r: &Report) {
    let slo = &r.slo;
    if slo.is_empty() {
        return;
    }
    o.push_str("<section id=\"slo\">\n<h2>Service-level objectives</h2>\n<div class=\"wrap\"><table>\n<tr><th class=\"l\">verdict</th><th class=\"l\">target</th><th>measured</th><th>95 % interval</th><th class=\"l\">note</th></tr>\n");
    for s in slo {
        let (class, verdict) = verdict(s);
        let interval = match s.ci95 {
            Some([lo, hi]) => format!("{} … {}", s.unit.format(lo), s.unit.format(hi)),
            None => DASH.into(),
        };
        let _ = writeln!(
            o,
            "<tr><td class=\"l\"><span class=\"badge {class}\">{verdict}</span></td><td class=\"l\"><code>{}</code></td><td>{}</td><td>{interval}</td><td class=\"l wrapok\">{}</td></tr>",
            esc(&s.expr),
            esc(&s.measured()),
            esc(s.note.as_deref().unwrap_or(""))
        );
    }
    o.push_str("</table></div>\n</section>\n");
}

/// A chart with its title, explanation and HTML legend.
fn figure(o: &mut String, c: &Chart) {
    let _ = write!(
        o,
        "<figure>\n<figcaption><h3>{}</h3><p class=\"sub\">{}</p>",
        esc(&c.title),
        esc(&c.sub)
    );
    if !c.legend.is_empty() {
        o.push_str("<div class=\"legend\">");
        for k in &c.legend {
            let (class, style, extra) = match k.mark {
                Mark::Line => ("line", "border-color", ""),
                Mark::Dashed => ("dash", "border-color", ""),
                Mark::Warmup => ("band", "background", ""),
                Mark::Faults => ("band", "background", " (listed under Faults)"),
            };
            let _ = write!(
                o,
                "<span class=\"key\"><i class=\"{class}\" style=\"{style}:{}\"></i>{}{extra}</span>",
                k.color,
                esc(&k.label)
            );
        }
        o.push_str("</div>");
    }
    o.push_str("</figcaption>\n");
    o.push_str(&c.svg);
    o.push_str("</figure>\n");
}

/// The charts over time of [`report_charts`], or the notes saying why there are none.
fn charts(o: &mut String, drawn: Vec<Drawn>) {
    for d in drawn {
        match d {
            Drawn::Chart(c) => figure(o, &c),
            Drawn::Note(n) => {
                let _ = writeln!(o, "<p class=\"note\">{}</p>", esc(&n));
            }
        }
    }
}

fn workloads(o: &mut String, r: &Report) {
    let ws = &r.workloads;
    o.push_str("<section id=\"workloads\">\n<h2>Workloads</h2>\n");
    if ws.is_empty() {
        o.push_str("<p class=\"note\">no workloads in this report</p>\n</section>\n");
        return;
    }
    o.push_str("<p class=\"sub\">Requests sent after the warm-up. Latency is end to end, of completed requests, in milliseconds.</p>\n");
    let budgets = !ws.is_empty();
    let _ = write!(
        o,
        "<div class=\"wrap\"><table>\n<tr><th class=\"l\">workload</th><th>requests</th><th>failed</th><th>availability</th><th>throughput (req/s)</th><th>mean</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th>{}</tr>\n",
        if budgets {
            "<th>error budget used</th>"
        } else {
            ""
        }
    );
    for (name, w) in ws {
        let c = w.ci95.as_ref();
        let lat = |k: LatencyStat| {
            let interval = c.and_then(|c| c.latency_ms.get(k));
            format!(
                "{}{}",
                fmt_ms(Some(w.latency_ms.get(k))),
                ci(interval, &fmt_ms)
            )
        };
        let failed = Some(w.failed as f64);
        let _ = write!(
            o,
            "<tr><td class=\"l\">{}</td><td>{}</td><td{}>{}</td><td>{}{}</td><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
            esc(name),
            fmt_count(Some(w.requests as f64)),
            if failed == Some(0.0) {
                " class=\"zero\""
            } else {
                ""
            },
            fmt_count(failed),
            fmt_avail(Some(w.availability)),
            ci(c.map(|c| c.availability), &|v| fmt_pct(v, 3)),
            fmt_fixed(Some(w.throughput_rps), 2),
            ci(c.map(|c| c.throughput_rps), &|v| fmt_fixed(v, 2)),
            lat(LatencyStat::Mean),
            lat(LatencyStat::P50),
            lat(LatencyStat::P90),
            lat(LatencyStat::P99),
            lat(LatencyStat::P999),
            fmt_ms(Some(w.latency_ms.max)),
        );
        if budgets {
            let b = &w.error_budget;
            let used = Some(b.consumed);
            let _ = write!(
                o,
                "<td{}>{}<br><span class=\"ci\">of {} target</span></td>",
                if used.is_some_and(|u| u > 1.0) {
                    " class=\"over\""
                } else {
                    ""
                },
                fmt_pct(used, 0),
                fmt_pct(Some(b.target), 2)
            );
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</table></div>\n");
    charts(o, report_charts::workload_charts(r, report_charts::WIDTH));
    o.push_str("</section>\n");
}

fn components(o: &mut String, r: &Report) {
    let cs = &r.components;
    if cs.is_empty() {
        return;
    }
    o.push_str("<section id=\"components\">\n<h2>Components</h2>\n<p class=\"sub\">Utilisation is the mean share of concurrency slots busy (0 for unlimited concurrency); wait is the time queued for a slot, sojourn the time from arrival to completion (ms); in system is the mean number of requests present (L = req/s × sojourn, Little's law).</p>\n");
    // Counters shown only when some component has a non-zero value.
    type Counter = fn(&ComponentReport) -> u64;
    let optional: Vec<(Counter, &str)> = [
        ((|c| c.failed) as Counter, "failed"),
        (|c| c.timeouts, "timeouts"),
        (|c| c.retries, "retries"),
        (|c| c.short_circuited, "short-circuited"),
    ]
    .into_iter()
    .filter(|(k, _)| cs.values().any(|c| k(c) != 0))
    .collect();
    o.push_str("<div class=\"wrap\"><table>\n<tr><th class=\"l\">component</th><th class=\"l\">kind</th><th>utilisation</th><th>wait mean</th><th>wait p99</th><th>req/s</th><th>in system</th><th>sojourn</th><th>rejected</th>");
    for (_, h) in &optional {
        let _ = write!(o, "<th>{h}</th>");
    }
    o.push_str("</tr>\n");
    for (name, c) in cs {
        let u = Some(c.utilization);
        let ccis = c.ci95.as_ref();
        let bar = u.map_or(String::new(), |u| {
            format!(
                "<span class=\"bar\"><b{} style=\"width:{:.1}%\"></b></span>",
                if u >= 0.85 { " class=\"hot\"" } else { "" },
                (u * 100.0).clamp(0.0, 100.0)
            )
        });
        let cell = |v: Option<f64>| {
            format!(
                "<td{}>{}</td>",
                if v == Some(0.0) {
                    " class=\"zero\""
                } else {
                    ""
                },
                fmt_count(v)
            )
        };
        let _ = write!(
            o,
            "<tr><td class=\"l\">{}</td><td class=\"l\">{}</td><td>{}{bar}{}</td><td>{}{}</td><td>{}</td><td>{}{}</td><td>{}{}</td><td>{}{}</td>{}",
            esc(name),
            esc(&c.kind),
            fmt_pct(u, 1),
            ci(ccis.map(|x| x.utilization), &|v| fmt_pct(v, 1)),
            fmt_ms(Some(c.queue_wait_ms.mean)),
            ci(ccis.map(|x| x.queue_wait_ms_mean), &fmt_ms),
            fmt_ms(Some(c.queue_wait_ms.p99)),
            fmt_fixed(Some(c.throughput_rps), 2),
            ci(ccis.map(|x| x.throughput_rps), &|v| fmt_fixed(v, 2)),
            fmt_fixed(Some(c.in_system_mean), 2),
            ci(ccis.map(|x| x.in_system_mean), &|v| fmt_fixed(v, 2)),
            fmt_ms(Some(c.sojourn_ms.mean)),
            ci(ccis.map(|x| x.sojourn_ms_mean), &fmt_ms),
            cell(Some(c.rejected as f64)),
        );
        for (k, _) in &optional {
            o.push_str(&cell(Some(k(c) as f64)));
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</table></div>\n");
    charts(o, report_charts::component_charts(r, report_charts::WIDTH));
    o.push_str("</section>\n");
}

/// One table of a kind's figures: a header row, then one row per component with that kind's figures
/// (`figures` picks them out of a component, `None` for other kinds).
fn kind_table<T>(
    o: &mut String,
    r: &Report,
    (key, title): (&str, &str),
    heads: &[&str],
    figures: fn(&ComponentReport) -> Option<&T>,
    row: &dyn Fn(&T) -> Vec<String>,
) -> bool {
    let rows: Vec<(&String, &T)> = r
        .components
        .iter()
        .filter_map(|(n, c)| figures(c).map(|f| (n, f)))
        .collect();
    if rows.is_empty() {
        return false;
    }
    let _ = write!(
        o,
        "<div><h3>{title}</h3><div class=\"wrap\"><table>\n<tr><th class=\"l\">{key}</th>"
    );
    for h in heads {
        let _ = write!(o, "<th>{h}</th>");
    }
    o.push_str("</tr>\n");
    for (name, c) in rows {
        let _ = write!(o, "<tr><td class=\"l\">{}</td>", esc(name));
        for cell in row(c) {
            let _ = write!(o, "<td>{cell}</td>");
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</table></div></div>\n");
    true
}

fn kinds(o: &mut String, r: &Report) {
    let mut body = String::new();
    let count = |v: u64| fmt_count(Some(v as f64));
    let mut any = false;
    any |= kind_table(
        &mut body,
        r,
        ("cache", "Caches"),
        &["hits", "misses", "hit ratio"],
        |c| c.cache.as_ref(),
        &|c: &sim_core::report::CacheFigures| {
            vec![
                count(c.hits),
                count(c.misses),
                fmt_pct(Some(c.hit_ratio), 1),
            ]
        },
    );
    any |= kind_table(
        &mut body,
        r,
        ("queue", "Queues"),
        &[
            "enqueued",
            "refused",
            "acked",
            "redelivered",
            "dead-lettered",
            "left at end",
            "enqueue → ack p99 (ms)",
        ],
        |c| c.queue.as_ref(),
        &|q: &sim_core::report::QueueFigures| {
            vec![
                count(q.enqueued),
                count(q.refused),
                count(q.acked),
                count(q.redelivered),
                count(q.dead_lettered),
                count(q.depth_at_end),
                fmt_ms(Some(q.processing_ms.p99)),
            ]
        },
    );
    any |= kind_table(
        &mut body,
        r,
        ("function", "Functions"),
        &["cold starts", "warm starts", "cold share"],
        |c| c.function.as_ref(),
        &|f: &sim_core::report::FunctionFigures| {
            let n = f.cold_starts + f.warm_starts;
            let share = (n > 0).then(|| f.cold_starts as f64 / n as f64);
            vec![
                count(f.cold_starts),
                count(f.warm_starts),
                fmt_pct(share, 1),
            ]
        },
    );
    any |= kind_table(
        &mut body,
        r,
        ("database", "Databases"),
        &["reads", "writes", "stale reads", "failovers"],
        |c| c.database.as_ref(),
        &|d: &sim_core::report::DatabaseFigures| {
            vec![
                count(d.reads),
                count(d.writes),
                count(d.stale_reads),
                d.failovers.len().to_string(),
            ]
        },
    );
    // Failovers, one line each.
    let mut failovers = String::new();
    for (name, c) in &r.components {
        for f in c.database.iter().flat_map(|d| &d.failovers) {
            let back = f.restored_at_s.map_or_else(
                || "writes not accepted again within the run".to_string(),
                |t| format!("writes accepted again at {}", fmt_clock(t)),
            );
            let _ = writeln!(
                failovers,
                "<tr><td class=\"l\">{}</td><td>{}</td><td class=\"l\">{}</td><td>{}</td><td>{}</td><td class=\"l\">{back}</td></tr>",
                esc(name),
                fmt_clock(f.at_s),
                esc(&f.how),
                count(f.lost_writes),
                fmt_secs(Some(f.rpo_s)),
            );
        }
    }
    let throttled: Vec<(&String, f64)> = r
        .components
        .iter()
        .filter_map(|(n, c)| {
            let t = c.balancer.as_ref()?.throttled;
            (t > 0).then_some((n, t as f64))
        })
        .collect();
    if !any && failovers.is_empty() && throttled.is_empty() {
        return;
    }
    o.push_str("<section id=\"kinds\">\n<h2>By kind</h2>\n<p class=\"sub\">What caches, queues, functions and databases measured beyond their slots and queues (counts are totals over replications).</p>\n<div class=\"cols\">\n");
    o.push_str(&body);
    o.push_str("</div>\n");
    if !failovers.is_empty() {
        o.push_str("<h3>Database failovers</h3><p class=\"sub\">Every loss of a primary (replication 0 only, with several replications). RPO is the age of the oldest lost write when the primary died.</p>\n<div class=\"wrap\"><table>\n<tr><th class=\"l\">database</th><th>primary lost at</th><th class=\"l\">how</th><th>writes lost</th><th>RPO (s)</th><th class=\"l\">then</th></tr>\n");
        o.push_str(&failovers);
        o.push_str("</table></div>\n");
    }
    for (n, t) in throttled {
        let _ = writeln!(
            o,
            "<p><b>{}</b>: {} requests answered 429 by the rate limit.</p>",
            esc(n),
            fmt_count(Some(t))
        );
    }
    o.push_str("</section>\n");
}

fn faults(o: &mut String, r: &Report) {
    let (fs, recovery) = (&r.faults, &r.recovery);
    if fs.is_empty() && recovery.is_empty() {
        return;
    }
    o.push_str("<section id=\"faults\">\n<h2>Faults</h2>\n");
    if !fs.is_empty() {
        o.push_str("<p class=\"sub\">Times from the start of the run (warm-up included), as shaded on the charts.</p>\n<div class=\"wrap\"><table>\n<tr><th class=\"l\">#</th><th class=\"l\">fault</th><th>from</th><th>to</th><th>lasting</th></tr>\n");
        for (i, f) in fs.iter().enumerate() {
            let (to, lasting) = match f.end_s {
                Some(e) => (fmt_clock(e), fmt_span(e - f.start_s)),
                None => ("end of run".to_string(), "to the end".to_string()),
            };
            let _ = writeln!(
                o,
                "<tr><td class=\"l\"><b>F{}</b></td><td class=\"l\">{}</td><td>{}</td><td>{to}</td><td>{lasting}</td></tr>",
                i + 1,
                esc(&f.fault),
                fmt_clock(f.start_s),
            );
        }
        o.push_str("</table></div>\n");
    }
    if !recovery.is_empty() {
        o.push_str("<h3>Recovery</h3><p class=\"sub\">RTO: from the fault's start until every workload was back within its SLO for good. RPO: age of the oldest acknowledged write lost in a failover during the fault.</p>\n<div class=\"wrap\"><table>\n<tr><th class=\"l\">fault</th><th>from</th><th>RTO</th><th>RPO (s)</th><th>writes lost</th><th class=\"l\">workloads affected</th></tr>\n");
        for x in recovery {
            let rto = x
                .rto_s
                .map_or_else(|| "not within the run".into(), fmt_span);
            let affected: Vec<String> = x.affected.iter().map(|a| esc(a)).collect();
            let _ = writeln!(
                o,
                "<tr><td class=\"l\">{}</td><td>{}</td><td>{rto}</td><td>{}</td><td>{}</td><td class=\"l wrapok\">{}</td></tr>",
                esc(&x.fault),
                fmt_clock(x.start_s),
                fmt_secs(Some(x.rpo_s)),
                fmt_count(Some(x.lost_writes as f64)),
                if affected.is_empty() {
                    DASH.to_string()
                } else {
                    affected.join(", ")
                },
            );
        }
        o.push_str("</table></div>\n");
    }
    o.push_str("</section>\n");
}

fn cost(o: &mut String, r: &Report) {
    let c = &r.cost;
    o.push_str("<section id=\"cost\">\n<h2>Cost</h2>\n");
    let total = Some(c.usd_per_month);
    let bars = report_charts::cost_charts(r);
    if total.is_none_or(|t| t == 0.0) && bars.is_empty() {
        o.push_str("<p class=\"note\">cost not computed for this scenario</p>\n</section>\n");
        return;
    }
    if let Some(t) = total {
        let month = format!(" of {:.0} hours", c.month_hours);
        let _ = writeln!(
            o,
            "<p>About <b>{} per month</b>: the run-rate of the measured window extended to a month{month}, at the price book's list prices.</p>",
            fmt_usd(t)
        );
    }
    o.push_str("<div class=\"cols\">\n");
    for chart in &bars {
        figure(o, chart);
    }
    o.push_str("</div>\n</section>\n");
}

fn network(o: &mut String, r: &Report) {
    let n = &r.network;
    let mut rows: Vec<(String, f64)> = [
        ("internet in (requests from users)", n.internet_in_gb),
        ("internet out (responses to users)", n.internet_out_gb),
        ("between zones", n.inter_zone_gb),
    ]
    .into_iter()
    .map(|(label, v)| (label.to_string(), v))
    .collect();
    for (link, v) in &n.inter_region_gb {
        rows.push((format!("between regions {}", link.replace('|', " ↔ ")), *v));
    }
    if rows.iter().all(|(_, v)| *v == 0.0) {
        return;
    }
    o.push_str("<section id=\"network\">\n<h2>Network</h2>\n<p class=\"sub\">Data moved after the warm-up (means over replications): the base of egress cost.</p>\n<div class=\"wrap\"><table>\n<tr><th class=\"l\">traffic</th><th>GB</th></tr>\n");
    for (label, v) in rows {
        let _ = writeln!(
            o,
            "<tr><td class=\"l\">{}</td><td>{v:.3}</td></tr>",
            esc(&label)
        );
    }
    o.push_str("</table></div>\n</section>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small simulated report: one service, one workload, no cost model.
    fn report() -> Report {
        let file = b"version: 1\nname: x\nseed: 1\nduration: 5s\n\
            components: { api: { kind: service, service_time: { exponential: 10ms } } }\n\
            workloads: [ { name: web, entry: api, arrivals: { poisson: 20/s } } ]\n\
            slo: [ 'rto <= 1h', 'availability(web) >= 99.9%' ]\n";
        sim_core::simulate(&sim_core::load(file).unwrap().scenario).unwrap()
    }

    #[test]
    fn cost_without_a_model_is_a_note() {
        let page = render(&report());
        assert!(page.contains("cost not computed for this scenario"));
    }

    #[test]
    fn cost_maps_become_bars() {
        let mut r = report();
        r.cost.usd_per_month = 1500.0;
        r.cost.by_component = [("api".to_string(), 1500.0)].into();
        r.cost.by_category = [("compute".into(), 1200.0), ("egress".into(), 300.0)].into();
        let page = render(&r);
        let cost = &page[page.find("<section id=\"cost\">").unwrap()..];
        assert_eq!(cost.matches("<svg").count(), 2);
        assert!(page.contains("$1,500 per month"));
    }

    #[test]
    fn slo_values_are_written_in_their_own_units() {
        let mut r = report();
        r.slo[0].value = Some(960.0);
        let page = render(&r);
        assert!(
            page.contains("<td>16 min</td>"),
            "the RTO in minutes, not ms"
        );
        assert!(page.contains("<td>100.000%</td>"));
        assert!(!page.contains("960 ms"));
    }
}
