//! The Export button of a list: a small popover to pick CSV or Excel (XLSX) and whether phone
//! numbers go out in full, then the file is saved. The words of the file (headers, coded values,
//! reasons) are the page's, sent with the request ([`export_words`]).

use std::collections::BTreeMap;

use leptos::html;
use leptos::prelude::*;
use serde::Serialize;

use super::bridge;
use super::labels::{cn_name, life_name, quadrant_name, risk_name, rfm_name, tier_fit_name, I18n};
use super::state::AppState;
use crate::charts::layer_letter;
use crate::engine::export::{code, ExportFormat, ExportSpec, ExportWords};
use crate::engine::members::{Column, MemberFilter, Sort, StarSign, Zodiac};
use crate::engine::model::Gender;
use crate::engine::predict::Risk;
use crate::engine::pyramid::{LayerKey, Quadrant, TierFit};
use crate::engine::segments::{CnRfmClass, Lifecycle, RfmSegment};
use crate::i18n::*;

// The member list's words (headers, gender, 生肖, 星座), shared with the Members page.
use super::members_page::{cells, words};

/// Reason templates (`reason.<why>`, `%field%` placeholders), one per key of the locale files.
fn reason_templates(i18n: I18n) -> [(&'static str, String); 13] {
    [
        ("replenish", t_string!(i18n, reason_replenish).to_string()),
        ("follow_up", t_string!(i18n, reason_follow_up).to_string()),
        ("birthday", t_string!(i18n, reason_birthday).to_string()),
        ("birthday_age", t_string!(i18n, reason_birthday_age).to_string()),
        ("anniversary", t_string!(i18n, reason_anniversary).to_string()),
        ("points", t_string!(i18n, reason_points).to_string()),
        ("points_expiring", t_string!(i18n, reason_points_expiring).to_string()),
        ("balance", t_string!(i18n, reason_balance).to_string()),
        ("membership_expiring", t_string!(i18n, reason_membership_expiring).to_string()),
        ("tier_upgrade", t_string!(i18n, reason_tier_upgrade).to_string()),
        ("tier_downgrade", t_string!(i18n, reason_tier_downgrade).to_string()),
        ("win_back", t_string!(i18n, reason_win_back).to_string()),
        ("high_value_high_risk", t_string!(i18n, reason_high_value_high_risk).to_string()),
    ]
}

/// The words of a file in the page's language: every column's header, every coded value's
/// name and the reason templates (see [`ExportWords`]).
pub fn export_words(i18n: I18n) -> ExportWords {
    let mut w = BTreeMap::new();
    for c in Column::ALL {
        w.insert(format!("col.{}", code(&c)), cells::header(i18n, c));
    }
    let mut put = |kind: &str, pairs: Vec<(String, String)>| {
        for (k, v) in pairs {
            w.insert(format!("{kind}.{k}"), v);
        }
    };
    fn named<T: Serialize + Copy>(all: &[T], name: impl Fn(T) -> String) -> Vec<(String, String)> {
        all.iter().map(|&k| (code(&k).to_ascii_lowercase(), name(k))).collect()
    }
    put("segment", named(RfmSegment::ALL, |k| rfm_name(i18n, k)));
    put("cn_rfm", named(CnRfmClass::ALL, |k| cn_name(i18n, k)));
    put("layer", named(&LayerKey::ALL, |k| layer_letter(k).to_string()));
    put("quadrant", named(&Quadrant::ALL, |k| quadrant_name(i18n, k)));
    put("lifecycle", named(Lifecycle::ALL, |k| life_name(i18n, k)));
    put("tier_fit", named(&[TierFit::Upgrade, TierFit::Downgrade], |k| tier_fit_name(i18n, k)));
    put("risk", named(&Risk::ALL, |k| risk_name(i18n, k)));
    put("gender", named(&[Gender::Female, Gender::Male], |k| words::gender_name(i18n, k)));
    put("zodiac", named(&Zodiac::ALL, |k| words::zodiac_name(i18n, k)));
    put("star_sign", named(&StarSign::ALL, |k| words::star_name(i18n, k)));
    put("reason", reason_templates(i18n).into_iter().map(|(k, v)| (k.to_string(), v)).collect());
    ExportWords { words: w }
}

thread_local! {
    static NEXT_ID: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// A name for the radio group of one button (several buttons can share a page).
fn next_group() -> String {
    NEXT_ID.with(|n| {
        n.set(n.get() + 1);
        format!("export-format-{}", n.get())
    })
}

/// Exports the list `filter` in `sort` order with `columns`, the file named after `title`.
#[component]
pub fn ExportButton(
    #[prop(into)] filter: Signal<MemberFilter>,
    #[prop(into)] sort: Signal<Sort>,
    #[prop(into)] columns: Signal<Vec<Column>>,
    #[prop(into)] title: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let state = expect_context::<AppState>();
    super::export::remember_i18n(i18n);
    let open = RwSignal::new(false);
    let format = RwSignal::new(ExportFormat::Csv);
    let full_phones = RwSignal::new(false);
    let button: NodeRef<html::Button> = NodeRef::new();
    let first: NodeRef<html::Input> = NodeRef::new();
    let group = next_group();
    // Focus goes into the popover when it opens.
    Effect::new(move |_| {
        if open.get() {
            if let Some(el) = first.get() {
                let _ = el.focus();
            }
        }
    });
    let close = move || {
        open.set(false);
        if let Some(b) = button.get_untracked() {
            let _ = b.focus();
        }
    };
    let go = move |_| {
        let spec = ExportSpec {
            filter: filter.get_untracked(),
            sort: sort.get_untracked(),
            columns: columns.get_untracked(),
            words: export_words(i18n),
            full_phones: full_phones.get_untracked(),
            title: title.get_untracked(),
        };
        // The download is the answer; the Promise is for scripts.
        let _ = bridge::export(state, spec, format.get_untracked(), true);
        close();
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && open.get_untracked() {
            ev.prevent_default();
            ev.stop_propagation();
            close();
        }
    };
    let group_xlsx = group.clone();
    view! {
        <div class="export" on:keydown=on_keydown>
            <button type="button" class="btn" data-testid="export-button" node_ref=button aria-haspopup="dialog"
                aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
                {t!(i18n, export_button)}
            </button>
            <Show when=move || open.get()>
                <div class="export-popover card" role="dialog" aria-label=move || t_string!(i18n, export_title)>
                    <fieldset class="export-formats">
                        <legend>{t!(i18n, export_format)}</legend>
                        <label class="export-choice">
                            <input type="radio" name=group.clone() data-testid="export-format-csv" node_ref=first
                                prop:checked=move || format.get() == ExportFormat::Csv on:change=move |_| format.set(ExportFormat::Csv) />
                            <span>{t!(i18n, export_csv)}</span>
                        </label>
                        <label class="export-choice">
                            <input type="radio" name=group_xlsx.clone() data-testid="export-format-xlsx"
                                prop:checked=move || format.get() == ExportFormat::Xlsx on:change=move |_| format.set(ExportFormat::Xlsx) />
                            <span>{t!(i18n, export_xlsx)}</span>
                        </label>
                    </fieldset>
                    <label class="export-choice">
                        <input type="checkbox" data-testid="export-full-phones" prop:checked=move || full_phones.get()
                            on:change=move |ev| full_phones.set(event_target_checked(&ev)) />
                        <span>{t!(i18n, export_full_phones)}</span>
                    </label>
                    <p class="export-note" class:export-warn=move || full_phones.get()>{t!(i18n, export_full_phones_note)}</p>
                    <div class="export-actions">
                        <button type="button" class="btn" on:click=move |_| close()>{t!(i18n, export_cancel)}</button>
                        <button type="button" class="btn primary" data-testid="export-go" on:click=go>{t!(i18n, export_go)}</button>
                    </div>
                </div>
            </Show>
        </div>
    }
}
