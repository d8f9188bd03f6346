//! The engine's own figures in the warehouse contract's CSV form (sql/README.md), for the SQL
//! tests to compare the warehouse queries with: `cargo run --release -p member-engine --example
//! warehouse_reference -- <file>... --analysis-date YYYY-MM-DD [--sleeping-days N]
//! --summary out.csv --monthly out.csv`.
//!
//! The files are read with the app's import and its automatic mapping, as the page reads them;
//! the figures are those of the engine's summary and analysis. Members not yet members on D, or
//! without a row up to D, are left out (the warehouse has no row for them). Cohorts: the engine
//! keeps the last 36 months; their counts are its shares × members, rounded.

use std::fmt::Write as _;
use std::process::exit;

use member_engine::analysis::analyse_without_predictions;
use member_engine::dates::{format_day, Day};
use member_engine::import::load::{inspect_files, load, MemoryFiles};
use member_engine::model::Dataset;
use member_engine::settings::Settings;
use member_engine::summary::{in_window, sum_cents, MemberSummary, RowsByMember, DAYS_12M};

struct Args {
    files: Vec<String>,
    analysis_date: String,
    sleeping_days: i32,
    summary: String,
    monthly: String,
}

fn parse_args() -> Result<Args, String> {
    let mut files = Vec::new();
    let (mut analysis_date, mut sleeping_days, mut summary, mut monthly) = (None, 365, None, None);
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--analysis-date" => analysis_date = Some(value()?),
            "--sleeping-days" => sleeping_days = value()?.parse().map_err(|_| "--sleeping-days: not a number".to_string())?,
            "--summary" => summary = Some(value()?),
            "--monthly" => monthly = Some(value()?),
            _ => files.push(a),
        }
    }
    match (analysis_date, summary, monthly) {
        (Some(analysis_date), Some(summary), Some(monthly)) if !files.is_empty() => Ok(Args { files, analysis_date, sleeping_days, summary, monthly }),
        _ => Err("usage: warehouse_reference <file>... --analysis-date YYYY-MM-DD [--sleeping-days N] --summary out.csv --monthly out.csv".into()),
    }
}

/// Loads the files as the page does: every table found, with its proposed mapping.
fn read(paths: &[String]) -> Result<Dataset, String> {
    let mut named = Vec::new();
    for p in paths {
        named.push((p.clone(), std::fs::read(p).map_err(|e| format!("cannot read {p}: {e}"))?));
    }
    let mut files = MemoryFiles(named);
    let plans: Vec<_> = inspect_files(&mut files).map_err(|e| format!("inspect: {e:?}"))?.iter().map(|p| p.plan()).collect();
    for p in &plans {
        eprintln!("{}: {:?}, columns {:?} → {:?}", p.name, p.role, p.columns, p.fields);
    }
    let (ds, reports) = load("warehouse-reference", &plans, &mut files, &mut |_, _| {}).map_err(|e| format!("load: {e:?}"))?;
    for r in &reports {
        eprintln!(
            "{}: {} rows read, {} used, {} skipped, {} not sales, {} order lines merged",
            r.name, r.rows_read, r.rows_used, r.rows_skipped, r.not_sale_rows, r.order_lines_merged
        );
    }
    Ok(ds)
}

/// Cents as yuan with two decimals (`-12.05`).
fn yuan(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

fn day_text(d: Option<Day>) -> String {
    d.map(format_day).unwrap_or_default()
}

fn opt<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// Each member's largest paid order up to D, in cents (0 without one): transactions are orders
/// already (the import merged their lines).
fn max_tickets(ds: &Dataset, analysis_day: Day) -> Vec<i64> {
    let by_member = RowsByMember::build(ds);
    let tx = &ds.transactions;
    (0..ds.members.len())
        .map(|m| {
            by_member
                .of(m)
                .iter()
                .map(|&r| r as usize)
                .filter(|&r| tx.day[r] <= analysis_day && tx.kind[r].is_paid_order(tx.amount_cents[r]))
                .map(|r| tx.amount_cents[r])
                .max()
                .unwrap_or(0)
        })
        .collect()
}

const SUMMARY_HEADER: &str = "member_id,analysis_date,first_purchase,last_purchase,purchase_days,orders,orders_12m,orders_6m,\
gross_spend,net_spend,promo_spend,spend_12m,first_day_spend,longest_gap_days,avg_ticket,max_ticket,recency_days,\
tenure_days,mean_gap_days,promo_share,x,t_x,T,mean_repeat_spend";

fn summary_line(id: &str, s: &MemberSummary, d: Day, max_ticket: i64) -> String {
    let cells = [
        id.to_string(),
        format_day(d),
        day_text(s.first_day()),
        day_text(s.last_day()),
        s.purchase_days.to_string(),
        s.orders.to_string(),
        s.orders_12m.to_string(),
        s.orders_6m.to_string(),
        yuan(s.gross_cents),
        yuan(s.net_cents),
        yuan(s.promo_cents),
        yuan(s.spend_12m_cents),
        yuan(s.first_day_gross_cents),
        opt(s.longest_gap_days()),
        yuan(s.avg_ticket_cents()),
        yuan(max_ticket),
        opt(s.recency_days(d)),
        opt(s.tenure_days(d)),
        s.mean_gap_days().map(|g| format!("{g:?}")).unwrap_or_default(),
        format!("{:?}", s.promo_share()),
        s.x().to_string(),
        s.t_x().to_string(),
        s.t(d).to_string(),
        format!("{:?}", s.mean_repeat_spend_cents() / 100.0),
    ];
    cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(",")
}

/// A CSV cell, quoted when it holds a comma, a quote or a line break.
fn csv_cell(c: &str) -> String {
    if c.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", c.replace('"', "\"\""))
    } else {
        c.to_string()
    }
}

/// One row of the monthly aggregates: measure, month, month_offset, visits, measure_value.
fn monthly_row(out: &mut String, measure: &str, month: &str, offset: Option<usize>, visits: &str, value: &str) {
    let _ = writeln!(out, "{measure},{month},{},{visits},{value}", opt(offset));
}

fn main() {
    let args = parse_args().unwrap_or_else(|e| {
        eprintln!("{e}");
        exit(2)
    });
    let ds = read(&args.files).unwrap_or_else(|e| {
        eprintln!("{e}");
        exit(1)
    });
    let settings = Settings { analysis_date: Some(args.analysis_date.clone()), sleeping_days: args.sleeping_days, ..Settings::default() };
    let computed = analyse_without_predictions(&ds, None, false, &settings);
    let sums = &computed.summaries;
    let d = sums.analysis_day;
    if format_day(d) != args.analysis_date {
        eprintln!("the engine took {} as the analysis date, not {}", format_day(d), args.analysis_date);
        exit(1);
    }

    // Members with a row up to D: any transaction on or before D (top-ups and refunds too).
    let by_member = RowsByMember::build(&ds);
    let tickets = max_tickets(&ds, d);
    let mut summary = String::from(SUMMARY_HEADER);
    summary.push('\n');
    let mut written = 0;
    for (m, s) in sums.members.iter().enumerate() {
        let has_row = by_member.of(m).iter().any(|&r| ds.transactions.day[r as usize] <= d);
        if s.not_yet() || !has_row {
            continue;
        }
        summary.push_str(&summary_line(ds.members.id(m), s, d, tickets[m]));
        summary.push('\n');
        written += 1;
    }

    let a = &computed.analysis;
    let mut monthly = String::from("measure,month,month_offset,visits,measure_value\n");
    monthly_row(&mut monthly, "sleeping_days", "", None, "", &a.settings.sleeping_days.to_string());
    for c in &a.churn.months {
        monthly_row(&mut monthly, "active_at_start", &c.month, None, "", &c.active_at_start.to_string());
        monthly_row(&mut monthly, "turned_sleeping", &c.month, None, "", &c.turned_sleeping.to_string());
    }
    for p in &a.overview.months {
        monthly_row(&mut monthly, "revenue", &p.month, None, "", &yuan(p.revenue_cents));
        monthly_row(&mut monthly, "active_members", &p.month, None, "", &p.active_members.to_string());
    }
    for c in &a.churn.cohorts {
        monthly_row(&mut monthly, "cohort_members", &c.month, None, "", &c.members.to_string());
        for (offset, share) in c.retention.iter().enumerate() {
            let count = (share * c.members as f64).round() as u64;
            monthly_row(&mut monthly, "cohort_active", &c.month, Some(offset), "", &count.to_string());
        }
    }
    for b in &a.churn.second_year {
        monthly_row(&mut monthly, "first_year_members", "", None, &b.visits, &b.members.to_string());
        monthly_row(&mut monthly, "second_year_renewed", "", None, &b.visits, &b.renewed.to_string());
    }
    let k = &a.overview.kpis;
    // Gross paid purchases in the 12 months (members and walk-ins): the KPI keeps only its
    // average, so it is summed here with the same rules.
    let tx = &ds.transactions;
    let gross_12m = sum_cents(
        (0..tx.len()).filter(|&r| in_window(tx.day[r], d, DAYS_12M) && tx.kind[r].is_paid_order(tx.amount_cents[r])).map(|r| tx.amount_cents[r]),
    );
    monthly_row(&mut monthly, "revenue_12m", "", None, "", &yuan(k.revenue_12m_cents));
    monthly_row(&mut monthly, "orders_12m", "", None, "", &k.orders_12m.to_string());
    monthly_row(&mut monthly, "gross_12m", "", None, "", &yuan(gross_12m));
    monthly_row(&mut monthly, "walk_in_revenue_12m", "", None, "", &yuan(k.walk_in_revenue_12m_cents));

    for (path, text) in [(&args.summary, &summary), (&args.monthly, &monthly)] {
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("cannot write {path}: {e}");
            exit(1);
        }
    }
    eprintln!("{written} members written (of {}), analysis date {}", ds.members.len(), args.analysis_date);
}
