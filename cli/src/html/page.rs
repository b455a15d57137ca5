//! The HTML page of a report: header, SLO verdicts, tables, per-kind figures, faults, cost, and
//! the charts of `report-charts` (web/charts/, shared with the browser app) with their captions and
//! HTML legends, with inline CSS and nothing fetched from anywhere.
//!
//! It reads the report as a `serde_json::Value` (the JSON contract of docs/format.md), so a report
//! written by an older or newer `archsim` still renders: a missing key shows as "–" or drops its
//! table, chart or column rather than failing. All text from the report is HTML-escaped.

use report_charts::{Chart, Drawn, Mark, esc, fmt_clock, fmt_span, fmt_usd};
use serde_json::Value;
use std::fmt::Write;

fn num(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// The entries of an object, in key order (empty if `v` is not an object).
fn entries(v: &Value) -> Vec<(&String, &Value)> {
    v.as_object()
        .map(|m| m.iter().collect())
        .unwrap_or_default()
}

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

/// A 95 % interval as `± half-width`, formatted like its value.
fn ci(v: &Value, fmt: &dyn Fn(Option<f64>) -> String) -> String {
    match (num(&v[0]), num(&v[1])) {
        (Some(lo), Some(hi)) => format!(
            "<br><span class=\"ci\">±{}</span>",
            fmt(Some((hi - lo) / 2.0))
        ),
        _ => String::new(),
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
pub fn render(r: &Value) -> String {
    let name = r["scenario"].as_str().unwrap_or("(unnamed scenario)");
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

fn header(o: &mut String, r: &Value, name: &str) {
    let reps = num(&r["replications"]).unwrap_or(1.0);
    let reps = if reps == 1.0 {
        "1 replication".to_string()
    } else {
        format!("{reps:.0} replications (means, ± 95 % intervals)")
    };
    let measured = num(&r["simulated_s"]).map_or_else(|| DASH.into(), fmt_span);
    let warmup = num(&r["warmup_s"]).unwrap_or(0.0);
    let warm = if warmup > 0.0 {
        format!(" after a <b>{}</b> warm-up", fmt_span(warmup))
    } else {
        String::new()
    };
    let seed = r["seed"]
        .as_u64()
        .map_or_else(|| DASH.into(), |s| s.to_string());
    let _ = write!(
        o,
        "<header>\n<p class=\"kicker\">archsim report</p>\n<h1>{}</h1>\n\
<p class=\"meta\">seed <b>{seed}</b> · <b>{measured}</b> simulated{warm} · {reps} · {} events</p>\n<div class=\"chips\">",
        esc(name),
        fmt_count(num(&r["engine"]["events"]))
    );
    let slo = r["slo"].as_array().map(Vec::as_slice).unwrap_or_default();
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
    let nf = r["faults"].as_array().map_or(0, Vec::len);
    let nw = entries(&r["workloads"]).len();
    let nc = entries(&r["components"]).len();
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
/// 95 % interval) where present, else `pass`; "n/a" when nothing was measured.
fn verdict(s: &Value) -> (&'static str, &'static str) {
    if s["pass"].is_null() {
        return ("na", "n/a");
    }
    match (s["verdict"].as_str(), s["pass"].as_bool()) {
        (Some("pass"), _) | (None, Some(true)) => ("pass", "PASS"),
        (Some("fail"), _) | (None, Some(false)) => ("fail", "FAIL"),
        (Some("inconclusive"), _) => ("inc", "INCONCLUSIVE"),
        _ => ("na", "n/a"),
    }
}

/// The report's `warnings[]`: each with its code as a badge, then its message.
fn warnings(o: &mut String, r: &Value) {
    let Some(ws) = r["warnings"].as_array().filter(|a| !a.is_empty()) else {
        return;
    };
    o.push_str("<section id=\"warnings\">\n<h2>Warnings</h2>\n<ul>\n");
    for w in ws {
        let _ = writeln!(
            o,
            "<li><span class=\"badge fail\">{}</span> {}</li>",
            esc(w["code"].as_str().unwrap_or("")),
            esc(w["message"].as_str().unwrap_or(""))
        );
    }
    o.push_str("</ul>\n</section>\n");
}

fn slos(o: &mut String, r: &Value) {
    let Some(slo) = r["slo"].as_array().filter(|a| !a.is_empty()) else {
        return;
    };
    o.push_str("<section id=\"slo\">\n<h2>Service-level objectives</h2>\n<div class=\"wrap\"><table>\n<tr><th class=\"l\">verdict</th><th class=\"l\">target</th><th>measured</th><th>95 % interval</th><th class=\"l\">note</th></tr>\n");
    for s in slo {
        let expr = s["expr"].as_str().unwrap_or("");
        let (class, verdict) = verdict(s);
        // The value is in the SLO's own units; the metric's name says which.
        let metric = expr.split('(').next().unwrap_or("").trim();
        let fmt = |v: Option<f64>| -> String {
            match metric {
                "availability" => fmt_avail(v),
                "utilization" | "utilisation" => fmt_pct(v, 1),
                "throughput" => v.map_or_else(|| DASH.into(), |v| format!("{v:.2} req/s")),
                "cost" => v.map_or_else(|| DASH.into(), |v| format!("{}/month", fmt_usd(v))),
                "rto" | "rpo" => v.map_or_else(|| DASH.into(), |v| format!("{v:.1} s")),
                _ => v.map_or_else(|| DASH.into(), |v| format!("{} ms", fmt_ms(Some(v)))),
            }
        };
        let interval = match (num(&s["ci95"][0]), num(&s["ci95"][1])) {
            (Some(lo), Some(hi)) => format!("{} … {}", fmt(Some(lo)), fmt(Some(hi))),
            _ => DASH.into(),
        };
        let _ = writeln!(
            o,
            "<tr><td class=\"l\"><span class=\"badge {class}\">{verdict}</span></td><td class=\"l\"><code>{}</code></td><td>{}</td><td>{interval}</td><td class=\"l wrapok\">{}</td></tr>",
            esc(expr),
            fmt(num(&s["value"])),
            esc(s["note"].as_str().unwrap_or(""))
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

fn workloads(o: &mut String, r: &Value) {
    let ws = entries(&r["workloads"]);
    o.push_str("<section id=\"workloads\">\n<h2>Workloads</h2>\n");
    if ws.is_empty() {
        o.push_str("<p class=\"note\">no workloads in this report</p>\n</section>\n");
        return;
    }
    o.push_str("<p class=\"sub\">Requests sent after the warm-up. Latency is end to end, of completed requests, in milliseconds.</p>\n");
    let budgets = ws.iter().any(|(_, w)| w["error_budget"].is_object());
    let _ = write!(
        o,
        "<div class=\"wrap\"><table>\n<tr><th class=\"l\">workload</th><th>requests</th><th>failed</th><th>availability</th><th>throughput (req/s)</th><th>mean</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th>{}</tr>\n",
        if budgets {
            "<th>error budget used</th>"
        } else {
            ""
        }
    );
    for (name, w) in &ws {
        let l = &w["latency_ms"];
        let c = &w["ci95"];
        let lat = |k: &str| format!("{}{}", fmt_ms(num(&l[k])), ci(&c["latency_ms"][k], &fmt_ms));
        let failed = num(&w["failed"]);
        let _ = write!(
            o,
            "<tr><td class=\"l\">{}</td><td>{}</td><td{}>{}</td><td>{}{}</td><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
            esc(name),
            fmt_count(num(&w["requests"])),
            if failed == Some(0.0) {
                " class=\"zero\""
            } else {
                ""
            },
            fmt_count(failed),
            fmt_avail(num(&w["availability"])),
            ci(&c["availability"], &|v| fmt_pct(v, 3)),
            fmt_fixed(num(&w["throughput_rps"]), 2),
            ci(&c["throughput_rps"], &|v| fmt_fixed(v, 2)),
            lat("mean"),
            lat("p50"),
            lat("p90"),
            lat("p99"),
            lat("p999"),
            fmt_ms(num(&l["max"])),
        );
        if budgets {
            let b = &w["error_budget"];
            let used = num(&b["consumed"]);
            let _ = write!(
                o,
                "<td{}>{}<br><span class=\"ci\">of {} target</span></td>",
                if used.is_some_and(|u| u > 1.0) {
                    " class=\"over\""
                } else {
                    ""
                },
                fmt_pct(used, 0),
                fmt_pct(num(&b["target"]), 2)
            );
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</table></div>\n");
    charts(o, report_charts::workload_charts(r, report_charts::WIDTH));
    o.push_str("</section>\n");
}

fn components(o: &mut String, r: &Value) {
    let cs = entries(&r["components"]);
    if cs.is_empty() {
        return;
    }
    o.push_str("<section id=\"components\">\n<h2>Components</h2>\n<p class=\"sub\">Utilisation is the mean share of concurrency slots busy (0 for unlimited concurrency); wait is the time queued for a slot, sojourn the time from arrival to completion (ms); in system is the mean number of requests present (L = req/s × sojourn, Little's law).</p>\n");
    // Counters shown only when some component has a non-zero value.
    let optional: Vec<(&str, &str)> = [
        ("failed", "failed"),
        ("timeouts", "timeouts"),
        ("retries", "retries"),
        ("short_circuited", "short-circuited"),
    ]
    .into_iter()
    .filter(|(k, _)| {
        cs.iter()
            .any(|(_, c)| num(&c[*k]).is_some_and(|v| v != 0.0))
    })
    .collect();
    o.push_str("<div class=\"wrap\"><table>\n<tr><th class=\"l\">component</th><th class=\"l\">kind</th><th>utilisation</th><th>wait mean</th><th>wait p99</th><th>req/s</th><th>in system</th><th>sojourn</th><th>rejected</th>");
    for (_, h) in &optional {
        let _ = write!(o, "<th>{h}</th>");
    }
    o.push_str("</tr>\n");
    for (name, c) in &cs {
        let u = num(&c["utilization"]);
        let ccis = &c["ci95"];
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
            esc(c["kind"].as_str().unwrap_or(DASH)),
            fmt_pct(u, 1),
            ci(&ccis["utilization"], &|v| fmt_pct(v, 1)),
            fmt_ms(num(&c["queue_wait_ms"]["mean"])),
            ci(&ccis["queue_wait_ms_mean"], &fmt_ms),
            fmt_ms(num(&c["queue_wait_ms"]["p99"])),
            fmt_fixed(num(&c["throughput_rps"]), 2),
            ci(&ccis["throughput_rps"], &|v| fmt_fixed(v, 2)),
            fmt_fixed(num(&c["in_system_mean"]), 2),
            ci(&ccis["in_system_mean"], &|v| fmt_fixed(v, 2)),
            fmt_ms(num(&c["sojourn_ms"]["mean"])),
            ci(&ccis["sojourn_ms_mean"], &fmt_ms),
            cell(num(&c["rejected"])),
        );
        for (k, _) in &optional {
            o.push_str(&cell(num(&c[*k])));
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</table></div>\n");
    charts(o, report_charts::component_charts(r, report_charts::WIDTH));
    o.push_str("</section>\n");
}

/// One table of a kind's figures: a header row, then one row per component with that kind's object.
fn kind_table(
    o: &mut String,
    r: &Value,
    key: &str,
    title: &str,
    heads: &[&str],
    row: &dyn Fn(&Value) -> Vec<String>,
) -> bool {
    let rows: Vec<(&String, &Value)> = entries(&r["components"])
        .into_iter()
        .filter(|(_, c)| c[key].is_object())
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
        for cell in row(&c[key]) {
            let _ = write!(o, "<td>{cell}</td>");
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</table></div></div>\n");
    true
}

fn kinds(o: &mut String, r: &Value) {
    let mut body = String::new();
    let count = |v: &Value| fmt_count(num(v));
    let mut any = false;
    any |= kind_table(
        &mut body,
        r,
        "cache",
        "Caches",
        &["hits", "misses", "hit ratio"],
        &|c| {
            vec![
                count(&c["hits"]),
                count(&c["misses"]),
                fmt_pct(num(&c["hit_ratio"]), 1),
            ]
        },
    );
    any |= kind_table(
        &mut body,
        r,
        "queue",
        "Queues",
        &[
            "enqueued",
            "refused",
            "acked",
            "redelivered",
            "dead-lettered",
            "left at end",
            "enqueue → ack p99 (ms)",
        ],
        &|q| {
            vec![
                count(&q["enqueued"]),
                count(&q["refused"]),
                count(&q["acked"]),
                count(&q["redelivered"]),
                count(&q["dead_lettered"]),
                count(&q["depth_at_end"]),
                fmt_ms(num(&q["processing_ms"]["p99"])),
            ]
        },
    );
    any |= kind_table(
        &mut body,
        r,
        "function",
        "Functions",
        &["cold starts", "warm starts", "cold share"],
        &|f| {
            let (c, w) = (num(&f["cold_starts"]), num(&f["warm_starts"]));
            let share = match (c, w) {
                (Some(c), Some(w)) if c + w > 0.0 => Some(c / (c + w)),
                _ => None,
            };
            vec![
                count(&f["cold_starts"]),
                count(&f["warm_starts"]),
                fmt_pct(share, 1),
            ]
        },
    );
    any |= kind_table(
        &mut body,
        r,
        "database",
        "Databases",
        &["reads", "writes", "stale reads", "failovers"],
        &|d| {
            vec![
                count(&d["reads"]),
                count(&d["writes"]),
                count(&d["stale_reads"]),
                d["failovers"]
                    .as_array()
                    .map_or(DASH.into(), |a| a.len().to_string()),
            ]
        },
    );
    // Failovers, one line each.
    let mut failovers = String::new();
    for (name, c) in entries(&r["components"]) {
        for f in c["database"]["failovers"].as_array().into_iter().flatten() {
            let back = num(&f["restored_at_s"]).map_or_else(
                || "writes not accepted again within the run".to_string(),
                |t| format!("writes accepted again at {}", fmt_clock(t)),
            );
            let _ = writeln!(
                failovers,
                "<tr><td class=\"l\">{}</td><td>{}</td><td class=\"l\">{}</td><td>{}</td><td>{}</td><td class=\"l\">{back}</td></tr>",
                esc(name),
                num(&f["at_s"]).map_or(DASH.into(), fmt_clock),
                esc(f["how"].as_str().unwrap_or(DASH)),
                count(&f["lost_writes"]),
                fmt_secs(num(&f["rpo_s"])),
            );
        }
    }
    let throttled: Vec<(&String, f64)> = entries(&r["components"])
        .into_iter()
        .filter_map(|(n, c)| {
            num(&c["balancer"]["throttled"])
                .filter(|t| *t > 0.0)
                .map(|t| (n, t))
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

fn faults(o: &mut String, r: &Value) {
    let fs = r["faults"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let recovery = r["recovery"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    if fs.is_empty() && recovery.is_empty() {
        return;
    }
    o.push_str("<section id=\"faults\">\n<h2>Faults</h2>\n");
    if !fs.is_empty() {
        o.push_str("<p class=\"sub\">Times from the start of the run (warm-up included), as shaded on the charts.</p>\n<div class=\"wrap\"><table>\n<tr><th class=\"l\">#</th><th class=\"l\">fault</th><th>from</th><th>to</th><th>lasting</th></tr>\n");
        for (i, f) in fs.iter().enumerate() {
            let start = num(&f["start_s"]);
            let end = num(&f["end_s"]);
            let (to, lasting) = match (start, end) {
                (Some(s), Some(e)) => (fmt_clock(e), fmt_span(e - s)),
                _ => ("end of run".to_string(), "to the end".to_string()),
            };
            let _ = writeln!(
                o,
                "<tr><td class=\"l\"><b>F{}</b></td><td class=\"l\">{}</td><td>{}</td><td>{to}</td><td>{lasting}</td></tr>",
                i + 1,
                esc(f["fault"].as_str().unwrap_or(DASH)),
                start.map_or(DASH.into(), fmt_clock),
            );
        }
        o.push_str("</table></div>\n");
    }
    if !recovery.is_empty() {
        o.push_str("<h3>Recovery</h3><p class=\"sub\">RTO: from the fault's start until every workload was back within its SLO for good. RPO: age of the oldest acknowledged write lost in a failover during the fault.</p>\n<div class=\"wrap\"><table>\n<tr><th class=\"l\">fault</th><th>from</th><th>RTO</th><th>RPO (s)</th><th>writes lost</th><th class=\"l\">workloads affected</th></tr>\n");
        for x in recovery {
            let rto = match (num(&x["rto_s"]), x.get("rto_s")) {
                (Some(v), _) => fmt_span(v),
                (None, Some(Value::Null)) => "not within the run".into(),
                _ => DASH.into(),
            };
            let affected: Vec<String> = x["affected"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str().map(esc))
                .collect();
            let _ = writeln!(
                o,
                "<tr><td class=\"l\">{}</td><td>{}</td><td>{rto}</td><td>{}</td><td>{}</td><td class=\"l wrapok\">{}</td></tr>",
                esc(x["fault"].as_str().unwrap_or(DASH)),
                num(&x["start_s"]).map_or(DASH.into(), fmt_clock),
                fmt_secs(num(&x["rpo_s"])),
                fmt_count(num(&x["lost_writes"])),
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

fn cost(o: &mut String, r: &Value) {
    let c = &r["cost"];
    o.push_str("<section id=\"cost\">\n<h2>Cost</h2>\n");
    let total = num(&c["usd_per_month"]);
    let bars = report_charts::cost_charts(r);
    if total.is_none_or(|t| t == 0.0) && bars.is_empty() {
        o.push_str("<p class=\"note\">cost not computed for this scenario</p>\n</section>\n");
        return;
    }
    if let Some(t) = total {
        let month = num(&c["month_hours"]).map_or(String::new(), |h| format!(" of {h:.0} hours"));
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

fn network(o: &mut String, r: &Value) {
    let n = &r["network"];
    let mut rows: Vec<(String, f64)> = [
        ("internet in (requests from users)", "internet_in_gb"),
        ("internet out (responses to users)", "internet_out_gb"),
        ("between zones", "inter_zone_gb"),
    ]
    .into_iter()
    .filter_map(|(label, k)| num(&n[k]).map(|v| (label.to_string(), v)))
    .collect();
    for (link, v) in entries(&n["inter_region_gb"]) {
        if let Some(v) = num(v) {
            rows.push((format!("between regions {}", link.replace('|', " ↔ ")), v));
        }
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

    #[test]
    fn cost_without_a_model_is_a_note() {
        let r = serde_json::json!({ "scenario": "x", "cost": { "usd_per_month": null } });
        let page = render(&r);
        assert!(page.contains("cost not computed for this scenario"));
        assert!(!page.contains("<svg"));
    }

    #[test]
    fn cost_maps_become_bars() {
        let r = serde_json::json!({ "scenario": "x", "cost": {
            "usd_per_month": 1500.0,
            "by_component": { "api": 1000.0, "db": { "usd_per_month": 500.0 }, "bad": "x" },
            "by_category": { "compute": 1200.0, "egress": 300.0 }
        } });
        let page = render(&r);
        assert_eq!(page.matches("<svg").count(), 2);
        assert!(page.contains("$1,500 per month"));
        assert!(!page.contains(">bad<"));
    }

    #[test]
    fn an_empty_object_still_renders() {
        let page = render(&serde_json::json!({}));
        assert!(page.starts_with("<!DOCTYPE html>"));
        assert!(page.contains("cost not computed"));
    }
}
