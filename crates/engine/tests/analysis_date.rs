//! The analysis date D: figures are as of the end of day D. Transactions up to and including D
//! count, later ones do not; recency and T are counted to D; "12 months" are the 365 days ending
//! with D. The expected figures are computed here from the rows this test writes, with calendar
//! dates (chrono), not by the engine.

use chrono::{Datelike, NaiveDate};

use member_engine::analysis::{analyse, Computed};
use member_engine::dates::day_from_ymd;
use member_engine::members::{detail, query, Ctx, MemberFilter, Sort};
use member_engine::model::{Dataset, MemberRecord, TxKind, TxRecord};
use member_engine::settings::Settings;
use member_engine::worklists::WorkListIndex;

/// One row as written: member (None = walk-in), date, yuan, kind.
type Row = (Option<&'static str>, (i32, u32, u32), i64, TxKind);

/// A 2024-06-30 is both the last transaction and the end of a month; 2023-07-01 lies one day
/// before the 365 days ending then (2023-07-02 ..= 2024-06-30), 2023-07-02 on their first day.
const ROWS: &[Row] = &[
    (Some("A"), (2023, 5, 1), 100, TxKind::Sale),
    (Some("A"), (2023, 7, 1), 200, TxKind::Sale),
    (Some("A"), (2024, 3, 31), 300, TxKind::Sale),
    (Some("A"), (2024, 5, 1), 1000, TxKind::TopUp),
    (Some("A"), (2024, 6, 30), 50, TxKind::Sale),
    (Some("B"), (2023, 7, 2), 400, TxKind::Sale),
    (Some("B"), (2024, 4, 10), -100, TxKind::Refund),
    (Some("B"), (2024, 6, 29), 80, TxKind::Sale),
    (Some("C"), (2024, 4, 1), 500, TxKind::Sale),
    (Some("C"), (2024, 4, 1), 20, TxKind::Sale),
    (None, (2024, 1, 15), 20, TxKind::Sale),
    (None, (2024, 6, 30), 60, TxKind::Sale),
];

fn date(ymd: (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(ymd.0, ymd.1, ymd.2).unwrap()
}

fn day(ymd: (i32, u32, u32)) -> i32 {
    day_from_ymd(ymd.0, ymd.1, ymd.2).unwrap()
}

fn dataset() -> Dataset {
    let mut ds = Dataset::new("analysis date");
    // A member who never bought.
    ds.add_member(MemberRecord { id: "N".into(), join_day: Some(day((2023, 1, 1))), ..Default::default() });
    for &(member, ymd, yuan, kind) in ROWS {
        ds.add_transaction(TxRecord {
            member_id: member,
            day: day(ymd),
            amount_cents: yuan * 100,
            discount_cents: 0,
            category: None,
            store: None,
            kind,
        });
    }
    ds
}

/// A member's (recency, T, x, t_x), or `None` before their first purchase.
type Figures = Option<(i64, i64, u32, i64)>;

/// What the figures as of the end of `d` must be, from the rows and calendar arithmetic.
struct Expected {
    revenue_12m_cents: i64,
    active_12m: u32,
    buyers: u32,
    /// Per member id: (recency, T, x, t_x).
    members: Vec<(&'static str, Figures)>,
}

fn expected(d: (i32, u32, u32)) -> Expected {
    let end = date(d);
    let window_start = end - chrono::Duration::days(364);
    let counted = |ymd: (i32, u32, u32)| date(ymd) <= end;
    let in_12m = |ymd: (i32, u32, u32)| counted(ymd) && date(ymd) >= window_start;
    let revenue_12m_cents = ROWS.iter().filter(|r| r.3 != TxKind::TopUp && in_12m(r.1)).map(|r| r.2 * 100).sum();
    let mut members = Vec::new();
    let (mut active_12m, mut buyers) = (0, 0);
    for id in ["N", "A", "B", "C"] {
        let mut days: Vec<NaiveDate> =
            ROWS.iter().filter(|r| r.0 == Some(id) && r.3 == TxKind::Sale && r.2 >= 0 && counted(r.1)).map(|r| date(r.1)).collect();
        days.sort();
        days.dedup();
        let figures = match (days.first(), days.last()) {
            (Some(&first), Some(&last)) => {
                buyers += 1;
                if last >= window_start {
                    active_12m += 1;
                }
                Some(((end - last).num_days(), (end - first).num_days(), days.len() as u32 - 1, (last - first).num_days()))
            }
            _ => None,
        };
        members.push((id, figures));
    }
    Expected { revenue_12m_cents, active_12m, buyers, members }
}

fn check(c: &Computed, ds: &Dataset, d: (i32, u32, u32)) {
    let e = expected(d);
    let a = &c.analysis;
    assert_eq!(a.analysis_date, date(d).format("%Y-%m-%d").to_string());
    let k = &a.overview.kpis;
    assert_eq!((k.revenue_12m_cents, k.active_members_12m, k.buyers), (e.revenue_12m_cents, e.active_12m, e.buyers), "as of {d:?}");
    for (id, figures) in e.members {
        let m = ds.find_member(id).unwrap() as usize;
        let (s, day) = (&c.summaries.members[m], c.summaries.analysis_day);
        let got = s.recency_days(day).map(|r| (r as i64, s.t(day) as i64, s.x(), s.t_x() as i64));
        assert_eq!(got, figures, "member {id} as of {d:?}");
        let settings = &c.analysis.settings;
        let lists = WorkListIndex::build(ds, &c.summaries, &c.classified, settings);
        let ctx = Ctx { ds, sums: &c.summaries, c: &c.classified, lists: &lists, settings };
        let page = query(&ctx, &MemberFilter::everyone(), Sort::default(), 0, 10);
        let row = page.rows.into_iter().find(|r| r.id == id).unwrap();
        assert_eq!(row.recency_days.map(i64::from), figures.map(|f| f.0), "member list, {id}");
        let det = detail(&ctx, None, id).unwrap();
        assert_eq!((det.summary.x(), det.summary.t_x() as i64, det.t as i64), figures.map_or((0, 0, 0), |f| (f.2, f.3, f.1)), "member detail, {id}");
        assert_eq!(det.recency_days.map(i64::from), figures.map(|f| f.0), "member detail, {id}");
    }
}

fn as_of(ds: &Dataset, d: Option<(i32, u32, u32)>) -> Computed {
    let settings = Settings { analysis_date: d.map(|d| date(d).format("%Y-%m-%d").to_string()), ..Default::default() };
    analyse(ds, None, false, &settings)
}

#[test]
fn default_is_the_end_of_the_last_transaction_day() {
    let ds = dataset();
    let c = as_of(&ds, None);
    check(&c, &ds, (2024, 6, 30));
    // By hand as well: A bought on D (recency 0), first on 2023-05-01 (T = 426); 2023-07-01 is
    // outside the 12 months, 2023-07-02 inside: 300 + 50 + 400 − 100 + 80 + 520 + 20 + 60.
    let (a, day) = (&c.summaries.members[ds.find_member("A").unwrap() as usize], c.summaries.analysis_day);
    assert_eq!((a.recency_days(day), a.t(day), a.x(), a.t_x()), (Some(0), 426, 3, 426));
    assert_eq!(c.analysis.overview.kpis.revenue_12m_cents, 133_000);
    // The series ends with June, which D closes: not partial.
    let last = c.analysis.overview.months.last().unwrap();
    assert_eq!((last.month.as_str(), last.partial, last.revenue_cents), ("2024-06", false, 19_000));
    // A top-up is never revenue, and the member who never bought has no recency.
    assert_eq!(c.summaries.members[ds.find_member("N").unwrap() as usize].recency_days(day), None);
}

#[test]
fn an_earlier_date_ignores_what_came_after() {
    let ds = dataset();
    let c = as_of(&ds, Some((2024, 3, 31)));
    check(&c, &ds, (2024, 3, 31));
    // C first bought on 2024-04-01, the day after D: not a buyer yet. A bought on D itself.
    assert_eq!(c.summaries.members[ds.find_member("C").unwrap() as usize].purchase_days, 0);
    assert_eq!(c.summaries.members[ds.find_member("A").unwrap() as usize].recency_days(c.summaries.analysis_day), Some(0));
    let months = &c.analysis.overview.months;
    assert_eq!(months.last().map(|m| (m.month.as_str(), m.partial)), Some(("2024-03", false)));
    // A D in the middle of a month makes that month partial, and the refund on D counts.
    let c = as_of(&ds, Some((2024, 4, 10)));
    check(&c, &ds, (2024, 4, 10));
    let last = c.analysis.overview.months.last().unwrap();
    assert_eq!((last.month.as_str(), last.partial, last.revenue_cents), ("2024-04", true, 42_000));
}

#[test]
fn dates_before_and_after_the_data() {
    let ds = dataset();
    let after = as_of(&ds, Some((2025, 6, 1)));
    check(&after, &ds, (2025, 6, 1));
    let before = as_of(&ds, Some((2020, 1, 1)));
    check(&before, &ds, (2020, 1, 1));
    assert!(before.analysis.overview.months.is_empty());
    assert_eq!(before.analysis.segments.buyers, 0);
    // Nothing to hold out from: the backtest says why it is absent.
    assert!(before.analysis.predictions.backtest.is_none() && before.analysis.predictions.no_backtest.is_some());
}

/// The setting wins over the call's parameter; an invalid saved date falls back to the default.
#[test]
fn the_setting_decides_the_date() {
    let ds = dataset();
    let settings = Settings { analysis_date: Some("2024-03-31".into()), ..Default::default() };
    let c = analyse(&ds, Some(day((2024, 6, 1))), false, &settings);
    assert_eq!(c.analysis.analysis_date, "2024-03-31");
    let c = analyse(&ds, Some(day((2024, 6, 1))), false, &Settings::default());
    assert_eq!(c.analysis.analysis_date, "2024-06-01");
    let bad = Settings { analysis_date: Some("9999-12-31".into()), ..Default::default() };
    let c = analyse(&ds, None, false, &bad);
    assert_eq!(c.analysis.analysis_date, "2024-06-30");
    assert_eq!(c.analysis.settings.analysis_date, None, "the figures say which settings they used");
}

/// A calendar date as (year, month, day).
type Ymd = (i32, u32, u32);

/// Thresholds at their edges, as of the end of D = 2024-06-30: each member buys on the dates
/// given (days before D in the comments, checked below).
const EDGES_D: Ymd = (2024, 6, 30);
const EDGES: &[(&str, &[Ymd])] = &[
    // Last purchase D − 365: none in D − 364 ..= D, sleeping; turns sleeping on D itself.
    ("sleep365", &[(2023, 6, 1), (2023, 7, 1)]),
    // Last and first purchase D − 364: in the 12 months, not sleeping, not new.
    ("active364", &[(2023, 7, 2)]),
    ("lost730", &[(2022, 7, 1)]),
    ("sleep729", &[(2022, 7, 2)]),
    // First purchase D − 89: new; D − 90: not.
    ("new89", &[(2024, 4, 2)]),
    ("old90", &[(2024, 4, 1)]),
    // Turns sleeping on 2023-03-01 and is back on 2023-03-20: never sleeping at a month end.
    ("back", &[(2022, 3, 1), (2023, 3, 20)]),
    // Turn sleeping on the last day of October 2023 and on the first of November 2023.
    ("october", &[(2022, 10, 31)]),
    ("november", &[(2022, 11, 1)]),
    // A purchase on the very day the member would turn sleeping keeps them active.
    ("just_in_time", &[(2022, 5, 10), (2023, 5, 10)]),
];

fn edges_dataset() -> Dataset {
    let mut ds = Dataset::new("threshold edges");
    for (id, dates) in EDGES {
        for &ymd in dates.iter() {
            ds.add_transaction(TxRecord {
                member_id: Some(id),
                day: day(ymd),
                amount_cents: 10_000,
                discount_cents: 0,
                category: None,
                store: None,
                kind: TxKind::Sale,
            });
        }
    }
    ds
}

/// A member's state at the end of `end`, by the rules of DOMAIN.md read as windows ending with
/// `end`: "no purchase in N days" = none in end − N + 1 ..= end; "first purchase within N days"
/// = one in those days. `None` before the first purchase.
#[derive(Clone, Copy, Debug, PartialEq)]
enum State {
    New,
    ActiveOrSilent,
    Sleeping,
    Lost,
}

fn state_of(dates: &[Ymd], end: NaiveDate) -> Option<State> {
    let bought: Vec<NaiveDate> = dates.iter().map(|&d| date(d)).filter(|&d| d <= end).collect();
    let (first, last) = (*bought.iter().min()?, *bought.iter().max()?);
    let none_in = |n: i64| last < end - chrono::Duration::days(n - 1);
    Some(if none_in(730) {
        State::Lost
    } else if none_in(365) {
        State::Sleeping
    } else if first >= end - chrono::Duration::days(89) {
        State::New
    } else {
        State::ActiveOrSilent
    })
}

fn engine_state(l: u8) -> Option<State> {
    use member_engine::segments::Lifecycle as L;
    let all = L::ALL;
    match all.iter().find(|s| **s as u8 == l)? {
        L::New => Some(State::New),
        L::Active | L::Silent => Some(State::ActiveOrSilent),
        L::Sleeping => Some(State::Sleeping),
        L::Lost => Some(State::Lost),
        L::NeverBought => None,
    }
}

fn dormant(s: Option<State>) -> bool {
    matches!(s, Some(State::Sleeping | State::Lost))
}

fn awake(s: Option<State>) -> bool {
    matches!(s, Some(State::New | State::ActiveOrSilent))
}

/// Sleeping ⇔ no purchase in the 12 months; lost at 730 days; new within 90 days: worked out
/// per member from the dates, and the engine's lifecycle, sleeping group and 12-month active
/// count agree with it.
#[test]
fn thresholds_agree_with_the_windows() {
    use member_engine::segments::ValueGroup;
    let end = date(EDGES_D);
    let before = |ymd| (end - date(ymd)).num_days();
    // The fixture is what its comments say.
    assert_eq!((before((2023, 7, 1)), before((2023, 7, 2)), before((2022, 7, 1)), before((2022, 7, 2))), (365, 364, 730, 729));
    assert_eq!((before((2024, 4, 2)), before((2024, 4, 1))), (89, 90));

    let ds = edges_dataset();
    let c = member_engine::analysis::analyse_without_predictions(&ds, Some(day(EDGES_D)), false, &Settings::default());
    let labels = &c.classified.labels;
    let window_start = end - chrono::Duration::days(364);
    let mut awake_count = 0;
    for (id, dates) in EDGES {
        let m = ds.find_member(id).unwrap() as usize;
        let expected = state_of(dates, end);
        assert_eq!(engine_state(labels.lifecycle[m]), expected, "{id}");
        let active_12m = dates.iter().any(|&d| date(d) >= window_start && date(d) <= end);
        assert_eq!(dormant(expected), !active_12m, "{id}: sleeping or lost ⇔ not active in 12 months");
        assert_eq!(labels.groups[m] & ValueGroup::Sleeping.bit() != 0, !active_12m, "{id}: sleeping group");
        awake_count += awake(expected) as u32;
    }
    assert_eq!(c.analysis.overview.kpis.active_members_12m, awake_count);
    let state = |id: &str| state_of(EDGES.iter().find(|e| e.0 == id).unwrap().1, end);
    assert_eq!(
        ["sleep365", "active364", "lost730", "sleep729", "new89", "old90"].map(state),
        [Some(State::Sleeping), Some(State::ActiveOrSilent), Some(State::Lost), Some(State::Sleeping), Some(State::New), Some(State::ActiveOrSilent)]
    );
}

/// The last day of `month` (`YYYY-MM`), or D when D comes first.
fn month_end(month: &str, d: NaiveDate) -> NaiveDate {
    let first = NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").unwrap();
    let next = first.checked_add_months(chrono::Months::new(1)).unwrap();
    (next - chrono::Duration::days(1)).min(d)
}

/// The churn page's months: active at a month's start (the end of the day before it) and
/// turned sleeping in it (awake then, sleeping or lost at its end) agree with the member states
/// worked out from the dates, and with the engine's lifecycle as of those days.
#[test]
fn churn_months_agree_with_the_lifecycle_at_month_ends() {
    let ds = edges_dataset();
    let end = date(EDGES_D);
    let c = member_engine::analysis::analyse_without_predictions(&ds, Some(day(EDGES_D)), false, &Settings::default());
    let months = &c.analysis.churn.months;
    assert_eq!((months.first().unwrap().month.as_str(), months.last().unwrap().month.as_str()), ("2022-03", "2024-06"));
    let engine_states = |as_of: NaiveDate| -> Vec<Option<State>> {
        let ymd = (as_of.year(), as_of.month(), as_of.day());
        let c = member_engine::analysis::analyse_without_predictions(&ds, Some(day(ymd)), false, &Settings::default());
        EDGES.iter().map(|(id, _)| engine_state(c.classified.labels.lifecycle[ds.find_member(id).unwrap() as usize])).collect()
    };
    let mut turned_by_month = Vec::new();
    for m in months {
        let close = month_end(&m.month, end);
        let open = NaiveDate::parse_from_str(&format!("{}-01", m.month), "%Y-%m-%d").unwrap() - chrono::Duration::days(1);
        let (at_open, at_close): (Vec<_>, Vec<_>) = EDGES.iter().map(|(_, dates)| (state_of(dates, open), state_of(dates, close))).unzip();
        let active = at_open.iter().filter(|s| awake(**s)).count() as u32;
        let turned = at_open.iter().zip(&at_close).filter(|(a, b)| awake(**a) && dormant(**b)).count() as u32;
        assert_eq!((m.active_at_start, m.turned_sleeping), (active, turned), "{} from the dates", m.month);
        let (engine_open, engine_close) = (engine_states(open), engine_states(close));
        let engine_turned = engine_open.iter().zip(&engine_close).filter(|(a, b)| awake(**a) && dormant(**b)).count() as u32;
        assert_eq!(
            (m.active_at_start, m.turned_sleeping),
            (engine_open.iter().filter(|s| awake(**s)).count() as u32, engine_turned),
            "{} from the lifecycle",
            m.month
        );
        if m.turned_sleeping > 0 {
            turned_by_month.push((m.month.clone(), m.turned_sleeping));
        }
    }
    // By hand: lost730 (2022-07-01) turns sleeping on 2023-07-01, sleep729 on 2023-07-02;
    // october on 2023-10-31, november on 2023-11-01; just_in_time bought on the day it would
    // have (2023-05-10) and turns on 2024-05-09; sleep365 on D. back is not sleeping at the end
    // of March 2023 (it turned on the 1st, came back on the 20th) and turns again on
    // 2024-03-19; active364, new89 and old90 not by D.
    let by_hand: Vec<(String, u32)> =
        [("2023-07", 2), ("2023-10", 1), ("2023-11", 1), ("2024-03", 1), ("2024-05", 1), ("2024-06", 1)].iter().map(|(m, n)| (m.to_string(), *n)).collect();
    assert_eq!(turned_by_month, by_hand);
}

/// Members who join after D are not members yet as of D: not counted, not "never bought".
#[test]
fn members_who_join_after_d_are_not_counted_yet() {
    use member_engine::model::{MemberRecord, TxKind, TxRecord};
    let day = |s: &str| member_engine::dates::day_from_ymd(s[..4].parse().unwrap(), s[5..7].parse().unwrap(), s[8..].parse().unwrap()).unwrap();
    let mut ds = member_engine::model::Dataset::new("joins");
    // (id, join date, purchase dates)
    let people: [(&str, Option<&str>, &[&str]); 5] = [
        ("early", Some("2024-01-10"), &["2024-02-01"]),
        ("no-buy", Some("2024-03-01"), &[]),
        ("late", Some("2024-08-01"), &["2024-08-05"]),
        ("undated", None, &[]),
        ("buys-late", None, &["2024-09-01"]),
    ];
    for (id, join, buys) in people {
        ds.add_member(MemberRecord { id: id.into(), join_day: join.map(day), ..Default::default() });
        for b in buys {
            ds.add_transaction(TxRecord { member_id: Some(id), day: day(b), amount_cents: 1_000, discount_cents: 0, category: None, store: None, kind: TxKind::Sale });
        }
    }
    let d = "2024-06-30";
    // Worked out from the list: joined on or before D, or no date at all and no rows.
    let expected_members = people
        .iter()
        .filter(|(_, join, buys)| match join {
            Some(j) => *j <= d || buys.iter().any(|b| *b <= d),
            None => buys.is_empty() || buys.iter().any(|b| *b <= d),
        })
        .count();
    let expected_never_bought = people
        .iter()
        .filter(|(_, join, buys)| join.is_none_or(|j| j <= d) && !buys.iter().any(|b| *b <= d) && (join.is_some() || buys.is_empty()))
        .count();
    let settings = member_engine::settings::Settings { analysis_date: Some(d.into()), ..Default::default() };
    let a = member_engine::analysis::analyse(&ds, None, false, &settings).analysis;
    assert_eq!(a.overview.kpis.members as usize, expected_members);
    let never = a.segments.lifecycle.iter().find(|s| s.key == member_engine::segments::Lifecycle::NeverBought).map_or(0, |s| s.members);
    assert_eq!(never as usize, expected_never_bought);
    let in_states: u32 = a.segments.lifecycle.iter().map(|s| s.members).sum();
    assert_eq!(in_states as usize, expected_members, "every member as of D has one state");
}
