//! The mapping screen: after files are chosen, each table's first rows with what every column
//! was matched to, the role, the date order and the meaning of type values, all editable;
//! Load reads the files by what the screen shows.

use leptos::prelude::*;

use super::bridge;
use super::state::use_state;
use crate::engine::import::fields::{Field, Role};
use crate::engine::import::plan::{DraftProblem, KindMeaning};
use crate::engine::import::values::DateOrder;
use crate::i18n::*;

type I18n = leptos_i18n::I18nContext<Locale>;

pub fn field_label(i18n: I18n, f: Field) -> String {
    match f {
        Field::MemberId => t_string!(i18n, field_member_id),
        Field::Store => t_string!(i18n, field_store),
        Field::Name => t_string!(i18n, field_name),
        Field::Phone => t_string!(i18n, field_phone),
        Field::Gender => t_string!(i18n, field_gender),
        Field::Birthday => t_string!(i18n, field_birthday),
        Field::JoinDate => t_string!(i18n, field_join_date),
        Field::Tier => t_string!(i18n, field_tier),
        Field::Points => t_string!(i18n, field_points),
        Field::Balance => t_string!(i18n, field_balance),
        Field::Expiry => t_string!(i18n, field_expiry),
        Field::Date => t_string!(i18n, field_date),
        Field::Amount => t_string!(i18n, field_amount),
        Field::Paid => t_string!(i18n, field_paid),
        Field::Discount => t_string!(i18n, field_discount),
        Field::Category => t_string!(i18n, field_category),
        Field::OrderNo => t_string!(i18n, field_order_no),
        Field::Kind => t_string!(i18n, field_kind),
        Field::Tags => t_string!(i18n, field_tags),
        Field::PointsExpiry => t_string!(i18n, field_points_expiry),
        Field::AnalysisDate => t_string!(i18n, field_analysis_date),
        Field::FirstPurchase => t_string!(i18n, field_first_purchase),
        Field::LastPurchase => t_string!(i18n, field_last_purchase),
        Field::PurchaseDays => t_string!(i18n, field_purchase_days),
        Field::Orders => t_string!(i18n, field_orders),
        Field::Orders12m => t_string!(i18n, field_orders_12m),
        Field::Orders6m => t_string!(i18n, field_orders_6m),
        Field::GrossSpend => t_string!(i18n, field_gross_spend),
        Field::NetSpend => t_string!(i18n, field_net_spend),
        Field::PromoSpend => t_string!(i18n, field_promo_spend),
        Field::Spend12m => t_string!(i18n, field_spend_12m),
        Field::FirstDaySpend => t_string!(i18n, field_first_day_spend),
        Field::LongestGapDays => t_string!(i18n, field_longest_gap_days),
        Field::Measure => t_string!(i18n, field_measure),
        Field::Month => t_string!(i18n, field_month),
        Field::MonthOffset => t_string!(i18n, field_month_offset),
        Field::Visits => t_string!(i18n, field_visits),
        Field::MeasureValue => t_string!(i18n, field_measure_value),
    }
    .to_string()
}

/// A table's role in words (the Data page's report).
pub fn role_label(i18n: I18n, role: Role) -> String {
    match role {
        Role::Members => t_string!(i18n, role_members),
        Role::Transactions => t_string!(i18n, role_transactions),
        Role::Summary => t_string!(i18n, role_summary),
        Role::Monthly => t_string!(i18n, role_monthly),
    }
    .to_string()
}

fn kind_label(i18n: I18n, k: KindMeaning) -> String {
    match k {
        KindMeaning::Sale => t_string!(i18n, kind_sale),
        KindMeaning::Refund => t_string!(i18n, kind_refund),
        KindMeaning::TopUp => t_string!(i18n, kind_top_up),
        KindMeaning::NotSale => t_string!(i18n, kind_not_sale),
    }
    .to_string()
}

/// Why Load is not possible yet, in the page's language (`%table%`, `%field%` filled by hand);
/// also the banner's words when an automatic load cannot map its files.
pub(super) fn draft_problem_text(i18n: I18n, p: &DraftProblem) -> String {
    match p {
        DraftProblem::NoTable => t_string!(i18n, draft_no_table).to_string(),
        DraftProblem::Missing { table, field } => {
            t_string!(i18n, draft_missing).replace("%table%", table).replace("%field%", &field_label(i18n, *field))
        }
        DraftProblem::Twice { table, field } => {
            t_string!(i18n, draft_twice).replace("%table%", table).replace("%field%", &field_label(i18n, *field))
        }
        DraftProblem::SummaryWithTransactions { summary, transactions } => {
            t_string!(i18n, draft_summary_with_transactions).replace("%table%", summary).replace("%other%", transactions)
        }
        DraftProblem::MonthlyWithoutSummary { table } => t_string!(i18n, draft_monthly_without_summary).replace("%table%", table),
    }
}

#[component]
pub fn MappingScreen() -> impl IntoView {
    let i18n = use_i18n();
    let state = use_state();
    let draft = state.import;
    // The tables are rebuilt only when a preview changes (the header switch, a new type
    // column), not on every edit of a plan, so a select keeps its focus.
    let previews = Memo::new(move |_| draft.with(|d| d.as_ref().map(|d| d.previews.clone()).unwrap_or_default()));
    let n_tables = Memo::new(move |_| previews.with(Vec::len));
    let problems = Memo::new(move |_| draft.with(|d| d.as_ref().map(|d| d.draft_problems()).unwrap_or_default()));
    let on_load = move |_| {
        if let Some(d) = draft.get_untracked() {
            if d.problems().is_empty() {
                bridge::load_plans(state, d.name(), d.chosen_plans());
            }
        }
    };
    view! {
        <Show when=move || { n_tables.get() > 0 }>
            <section class="card mapping" data-testid="mapping">
                <h2>{t!(i18n, mapping_title)}</h2>
                <p class="note">{t!(i18n, mapping_intro)}</p>
                {move || { previews.track(); (0..n_tables.get()).map(|i| view! { <TableMapping index=i /> }).collect_view() }}
                <Show when=move || !problems.get().is_empty()>
                    <ul class="form-errors" data-testid="mapping-problems">
                        {move || problems.get().into_iter().map(|p| view! { <li>{draft_problem_text(i18n, &p)}</li> }).collect_view()}
                    </ul>
                </Show>
                <div class="actions">
                    <button class="btn primary" data-testid="mapping-load"
                        disabled=move || !problems.get().is_empty() on:click=on_load>
                        {t!(i18n, mapping_load)}
                    </button>
                    <button class="btn" data-testid="mapping-cancel" on:click=move |_| draft.set(None)>
                        {t!(i18n, mapping_cancel)}
                    </button>
                </div>
            </section>
        </Show>
    }
}

/// The field chosen for column `c` of table `i`.
fn field_at(draft: RwSignal<Option<super::state::ImportDraft>>, i: usize, c: usize) -> Option<Field> {
    draft.with(|d| d.as_ref().and_then(|d| d.plans.get(i)?.fields.get(c).copied().flatten()))
}

/// A column's header cell: its name (or number) and the field it is matched to.
#[component]
fn ColumnHead(table: usize, column: usize, name: String, confidence: f32, has_header: bool, role: Memo<Role>) -> impl IntoView {
    let i18n = use_i18n();
    let draft = use_state().import;
    let (i, c) = (table, column);
    // Without a header the engine numbers the columns ("Column 1"); say it in the page's language.
    let shown = move || if has_header { name.clone() } else { t_string!(i18n, column_n).replace("%n%", &(c + 1).to_string()) };
    view! {
        <th>
            <div class="col-name" title=shown.clone()>{shown.clone()}</div>
            <select data-testid=format!("map-{i}-{c}") aria-label=shown
                on:change=move |ev| {
                    let f = Field::from_key(&event_target_value(&ev));
                    draft.update(|d| if let Some(d) = d { d.set_field(i, c, f) });
                }>
                <option value="" selected=move || field_at(draft, i, c).is_none()>{move || t_string!(i18n, field_none).to_string()}</option>
                {move || Field::for_role(role.get()).iter().map(|&f| view! {
                    <option value=f.key() selected=move || field_at(draft, i, c) == Some(f)>{move || field_label(i18n, f)}</option>
                }).collect_view()}
            </select>
            <Show when=move || { field_at(draft, i, c).is_some() && confidence > 0.0 && confidence < 1.0 }>
                <span class="confidence">{t!(i18n, mapping_confidence)}" "{format!("{:.0}%", confidence * 100.0)}</span>
            </Show>
        </th>
    }
}

const KIND_CHOICES: [(KindMeaning, &str); 4] =
    [(KindMeaning::Sale, "sale"), (KindMeaning::Refund, "refund"), (KindMeaning::TopUp, "top_up"), (KindMeaning::NotSale, "not_sale")];

/// What one value of the type column means (sale, refund, top-up, not a sale).
#[component]
fn KindValue(table: usize, value: String) -> impl IntoView {
    let i18n = use_i18n();
    let draft = use_state().import;
    let i = table;
    let v = value.clone();
    let current = move || draft.with(|d| d.as_ref().and_then(|d| d.plans.get(i)).map(|p| p.kind_of(&v)));
    let v2 = value.clone();
    let on_change = move |ev: leptos::ev::Event| {
        let chosen = event_target_value(&ev);
        let meaning = KIND_CHOICES.iter().find(|(_, key)| *key == chosen).map_or(KindMeaning::Sale, |(k, _)| *k);
        let v = v2.clone();
        draft.update(|d| if let Some(plan) = d.as_mut().and_then(|d| d.plans.get_mut(i)) {
            let kv = &mut plan.kind_values;
            match kv.iter_mut().find(|(k, _)| *k == v) {
                Some(slot) => slot.1 = meaning,
                None => kv.push((v, meaning)),
            }
        });
    };
    view! {
        <label class="kind-value">
            <span class="value">{value}</span>
            <select on:change=on_change>
                {KIND_CHOICES.into_iter().map(|(k, key)| {
                    let current = current.clone();
                    view! { <option value=key selected=move || current() == Some(k)>{move || kind_label(i18n, k)}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

/// A table's role, header switch and date order.
#[component]
fn TableOptions(table: usize, role: Memo<Role>, has_header: bool, day_first: bool) -> impl IntoView {
    let i18n = use_i18n();
    let draft = use_state().import;
    let i = table;
    view! {
        <div class="table-options">
            <label>{t!(i18n, mapping_role)}" "
                <select data-testid=format!("role-{i}") on:change=move |ev| {
                    let r = match event_target_value(&ev).as_str() {
                        "members" => Role::Members,
                        "summary" => Role::Summary,
                        "monthly" => Role::Monthly,
                        _ => Role::Transactions,
                    };
                    draft.update(|d| if let Some(d) = d { d.set_role(i, r) });
                }>
                    <option value="transactions" selected=move || role.get() == Role::Transactions>{t!(i18n, role_transactions)}</option>
                    <option value="members" selected=move || role.get() == Role::Members>{t!(i18n, role_members)}</option>
                    <option value="summary" selected=move || role.get() == Role::Summary>{t!(i18n, role_summary)}</option>
                    <option value="monthly" selected=move || role.get() == Role::Monthly>{t!(i18n, role_monthly)}</option>
                </select>
            </label>
            <label class="header-switch">
                <input type="checkbox" data-testid=format!("has-header-{i}") prop:checked=has_header
                    on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| if let Some(d) = d { d.set_has_header(i, on) }); } />
                " "{t!(i18n, mapping_has_header)}
            </label>
            <label>{t!(i18n, mapping_date_order)}" "
                <select data-testid=format!("date-order-{i}") on:change=move |ev| {
                    let o = if event_target_value(&ev) == "month_first" { DateOrder::MonthFirst } else { DateOrder::DayFirst };
                    draft.update(|d| if let Some(plan) = d.as_mut().and_then(|d| d.plans.get_mut(i)) { plan.date_order = o });
                }>
                    <option value="day_first" selected=day_first>{t!(i18n, date_day_first)}</option>
                    <option value="month_first" selected=!day_first>{t!(i18n, date_month_first)}</option>
                </select>
            </label>
            {move || match role.get() {
                Role::Summary => Some(view! { <p class="note" data-testid=format!("role-note-{i}")>{t!(i18n, mapping_summary_note)}</p> }.into_any()),
                Role::Monthly => Some(view! { <p class="note" data-testid=format!("role-note-{i}")>{t!(i18n, mapping_monthly_note)}</p> }.into_any()),
                Role::Members | Role::Transactions => None,
            }}
        </div>
    }
}

#[component]
fn TableMapping(index: usize) -> impl IntoView {
    let i18n = use_i18n();
    let draft = use_state().import;
    let i = index;
    let Some(p) = draft.with_untracked(|d| d.as_ref().and_then(|d| d.previews.get(i).cloned())) else { return ().into_any() };
    let role = Memo::new(move |_| draft.with(|d| d.as_ref().and_then(|d| d.plans.get(i)).map_or(Role::Transactions, |p| p.role)));
    let included = move || draft.with(|d| d.as_ref().is_some_and(|d| d.include.get(i).copied().unwrap_or(false)));
    let has_header = p.has_header;
    let (skip_rows, ambiguous) = (p.skip_rows, p.date_order_ambiguous);
    let header_cells = p
        .columns
        .iter()
        .enumerate()
        .map(|(c, name)| {
            let confidence = p.mapping.get(c).map_or(0.0, |m| m.confidence);
            view! { <ColumnHead table=i column=c name=name.clone() confidence=confidence has_header=has_header role=role /> }
        })
        .collect_view();
    let body = p.sample.iter().take(8).map(|r| view! { <tr>{r.iter().map(|v| view! { <td>{v.clone()}</td> }).collect_view()}</tr> }).collect_view();
    let kinds = (!p.kind_values.is_empty()).then(|| {
        let values = p.kind_values.iter().map(|(value, _)| view! { <KindValue table=i value=value.clone() /> }).collect_view();
        view! { <div class="kinds"><span>{t!(i18n, mapping_kinds)}</span>{values}</div> }
    });
    view! {
        <div class="table-mapping" data-testid="table-mapping">
            <div class="table-head">
                <label class="include">
                    <input type="checkbox" data-testid=format!("include-{i}") prop:checked=included
                        on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| if let Some(slot) = d.as_mut().and_then(|d| d.include.get_mut(i)) { *slot = on }); } />
                    <strong>{p.name.clone()}</strong>
                </label>
                <span class="muted">{let source = p.source.clone(); move || super::notes::source_text(i18n, &source)}</span>
            </div>
            <div class="table-body" class:hidden=move || !included()>
                <TableOptions table=i role=role has_header=has_header day_first=p.date_order == DateOrder::DayFirst />
                {ambiguous.then(|| view! { <p class="warning">{t!(i18n, mapping_date_ambiguous)}</p> })}
                {(!has_header).then(|| view! { <p class="note">{t!(i18n, mapping_no_header)}</p> })}
                {(skip_rows > 0).then(|| view! { <p class="note">{t!(i18n, mapping_title_rows, n = move || skip_rows)}</p> })}
                {p.notes.iter().map(|n| view! { <p class="note" data-testid="table-note">{super::notes::note_view(i18n, n)}</p> }).collect_view()}
                <div class="sample-wrap">
                    <table class="sample">
                        <caption class="visually-hidden">{t!(i18n, mapping_sample)}</caption>
                        <thead><tr>{header_cells}</tr></thead>
                        <tbody>{body}</tbody>
                    </table>
                </div>
                {kinds}
            </div>
        </div>
    }
    .into_any()
}
