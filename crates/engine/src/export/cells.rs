//! One member's value in one column, as a typed cell, read straight from the data set, the
//! summaries and the labels (numbers stay numbers; coded values become the page's words).

use serde::Serialize;

use super::{reason_text, Cell, ExportSpec};
use crate::dates::Day;
use crate::members::{age_on, mask_phone, Column, Ctx, StarSign, Zodiac};
use crate::model::Gender;
use crate::predict::Risk;
use crate::pyramid::{LayerKey, Quadrant, TierFit};
use crate::segments::{CnRfmClass, Lifecycle, RfmSegment};
use crate::summary::MemberSummary;
use crate::worklists::WorkListKey;

/// A value's JSON name (`RfmSegment::CantLose` → `"cant_lose"`, `Column::Spend12m` →
/// `"spend12m"`): the code its word is kept under.
pub fn code<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

fn text(s: &str) -> Cell {
    if s.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(s.to_string())
    }
}

fn date(d: Option<Day>) -> Cell {
    d.map_or(Cell::Empty, Cell::Date)
}

fn int(n: Option<i64>) -> Cell {
    n.map_or(Cell::Empty, Cell::Int)
}

/// A coded value in the page's words (`kind` as in [`super::ExportWords`]; the code in lower
/// case: `gender.female`, `layer.a`).
fn coded<T: Serialize>(spec: &ExportSpec, kind: &str, value: Option<T>) -> Cell {
    value.map_or(Cell::Empty, |v| Cell::Text(spec.words.coded(kind, &code(&v).to_ascii_lowercase())))
}

/// Member `m`'s cell in `column`. `lists`: the work lists of the filter (for the reasons).
pub fn cell(ctx: &Ctx<'_>, spec: &ExportSpec, lists: &[WorkListKey], m: u32, column: Column) -> Cell {
    let (ds, day) = (ctx.ds, ctx.sums.analysis_day);
    let i = m as usize;
    let mem = &ds.members;
    let none = MemberSummary::default();
    let s = ctx.sums.members.get(i).unwrap_or(&none);
    let labels = &ctx.c.labels;
    let label = |v: &Vec<u8>| v.get(i).copied();
    let p = ctx.c.predictions.get(i);
    match column {
        Column::Id => text(mem.id(i)),
        Column::Name => text(mem.name(i)),
        Column::Phone if spec.full_phones => text(mem.phone(i)),
        Column::Phone => text(&mask_phone(mem.phone(i))),
        Column::Gender => coded(spec, "gender", Some(mem.gender(i)).filter(|&g| g != Gender::Unknown)),
        Column::Age => int(mem.birthday(i).and_then(|b| age_on(b, day)).map(i64::from)),
        Column::Birthday => date(mem.birthday(i)),
        Column::Zodiac => coded(spec, "zodiac", mem.birthday(i).map(Zodiac::of)),
        Column::StarSign => coded(spec, "star_sign", mem.birthday(i).map(StarSign::of)),
        Column::Store => text(&ds.stores.label(mem.store(i))),
        Column::Tier => text(&ds.tiers.label(mem.tier(i))),
        Column::Joined => date(mem.join_day(i)),
        Column::MembershipDays => int(s.tenure_days(day).map(i64::from)),
        Column::FirstPurchase => date(s.first_day()),
        Column::LastPurchase => date(s.last_day()),
        Column::Recency => int(s.recency_days(day).map(i64::from)),
        Column::Visits => Cell::Int(i64::from(s.purchase_days)),
        Column::Orders => Cell::Int(i64::from(s.orders)),
        Column::Spend => Cell::Money(s.net_cents),
        Column::Spend12m => Cell::Money(s.spend_12m_cents),
        Column::AvgTicket => Cell::Money(s.avg_ticket_cents()),
        Column::Points => Cell::Int(mem.points(i)),
        Column::Balance => Cell::Money(mem.balance_cents(i)),
        Column::Expiry => date(mem.expiry(i)),
        Column::Tags => text(&mem.tags(i).iter().map(|&t| ds.tags.label(t)).collect::<Vec<_>>().join(", ")),
        Column::Rfm => match (label(&labels.r), label(&labels.f), label(&labels.m)) {
            (Some(r @ 1..=5), Some(f), Some(m)) => Cell::Text(format!("{r}{f}{m}")),
            _ => Cell::Empty,
        },
        Column::Segment => coded(spec, "segment", label(&labels.rfm_segment).and_then(|k| RfmSegment::ALL.get(k as usize))),
        Column::CnRfm => coded(spec, "cn_rfm", label(&labels.cn_class).and_then(|k| CnRfmClass::ALL.get(k as usize))),
        Column::Layer => coded(spec, "layer", label(&ctx.c.layer).and_then(LayerKey::from_index)),
        Column::Quadrant => coded(spec, "quadrant", label(&ctx.c.quadrant).and_then(|k| Quadrant::ALL.get(k as usize))),
        Column::Lifecycle => coded(spec, "lifecycle", label(&labels.lifecycle).and_then(|k| Lifecycle::ALL.get(k as usize))),
        Column::TierFit => coded(spec, "tier_fit", label(&ctx.c.tier_fit).and_then(TierFit::from_index)),
        Column::PAlive => p.map(|p| p.p_alive).filter(|v| v.is_finite()).map_or(Cell::Empty, Cell::Percent),
        Column::Risk => coded(spec, "risk", p.and_then(|p| Risk::from_index(p.risk))),
        Column::Value12m => p.and_then(|p| p.value_12m_cents).map_or(Cell::Empty, Cell::Money),
        Column::Reason => reasons(ctx, spec, lists, m),
    }
}

/// Why member `m` is on the filter's work lists, in the page's words, `; ` between reasons.
fn reasons(ctx: &Ctx<'_>, spec: &ExportSpec, lists: &[WorkListKey], m: u32) -> Cell {
    let word = |key: &str| spec.words.get(key).map(str::to_string);
    let said: Vec<String> = lists
        .iter()
        .flat_map(|&list| ctx.lists.reasons(ctx.ds, ctx.sums, ctx.c, list, m))
        .map(|r| reason_text(&r, &word))
        .collect();
    text(&said.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_json_names() {
        assert_eq!(code(&Column::Spend12m), "spend12m");
        assert_eq!(code(&Column::StarSign), "star_sign");
        assert_eq!(code(&RfmSegment::CantLose), "cant_lose");
        assert_eq!(code(&LayerKey::B), "B");
    }
}
