//! Generated data sets split into stores: every store's scoped analysis adds up to the whole
//! (members, active members, revenue, orders), the store rows equal the scoped figures, and
//! nothing panics or comes out NaN.

use proptest::prelude::*;

use member_engine::analysis::{analyse_without_predictions, Analysis};
use member_engine::model::{Dataset, MemberRecord, TxKind, TxRecord};
use member_engine::settings::Settings;

const STORES: [&str; 3] = ["一店", "二店", "三店"];

/// A member: card store (index into [`STORES`]), join day.
type GenMember = (Option<u8>, Option<u16>);
/// A row: member (None: walk-in), day, cents, kind (0 sale, 1 refund, 2 top-up), store.
type GenRow = (Option<u8>, u16, i64, u8, Option<u8>);

fn dataset(members: &[GenMember], rows: &[GenRow]) -> Dataset {
    let mut ds = Dataset::new("generated");
    for (i, &(card, join)) in members.iter().enumerate() {
        ds.add_member(MemberRecord {
            id: format!("m{i}"),
            store: card.map(|s| STORES[s as usize % 3].to_string()),
            join_day: join.map(|d| 20_000 + d as i32),
            ..Default::default()
        });
    }
    for &(member, day, cents, kind, store) in rows {
        let id = member.filter(|_| !members.is_empty()).map(|m| format!("m{}", m as usize % members.len()));
        let kind = [TxKind::Sale, TxKind::Refund, TxKind::TopUp][kind as usize % 3];
        ds.add_transaction(TxRecord {
            member_id: id.as_deref(),
            day: 20_000 + day as i32,
            amount_cents: cents,
            discount_cents: 0,
            category: None,
            store: store.map(|s| STORES[s as usize % 3]),
            kind,
        });
    }
    ds
}

fn analysis(ds: &Dataset, stores: &[String]) -> Analysis {
    let settings = Settings { stores: stores.to_vec(), ..Default::default() };
    analyse_without_predictions(ds, None, false, &settings).analysis
}

fn figures(a: &Analysis) -> (u64, u64, i128, u64) {
    let k = &a.overview.kpis;
    (k.members as u64, k.active_members_12m as u64, k.revenue_12m_cents as i128, k.orders_12m as u64)
}

/// Whether the analysis survives JSON (a NaN or an infinity becomes `null` and fails to read).
fn reads_back(a: &Analysis) -> bool {
    serde_json::to_string(a).is_ok_and(|j| serde_json::from_str::<Analysis>(&j).is_ok())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn stores_add_up_to_the_whole(
        members in prop::collection::vec((prop::option::of(0u8..3), prop::option::of(0u16..900)), 0..25),
        rows in prop::collection::vec(
            (prop::option::weighted(0.8, any::<u8>()), 0u16..900, -50_000i64..200_000, 0u8..3, prop::option::weighted(0.8, 0u8..3)),
            0..80,
        ),
    ) {
        let ds = dataset(&members, &rows);
        let whole = analysis(&ds, &[]);
        let mut sum = (0u64, 0u64, 0i128, 0u64);
        for row in &whole.store_rows {
            prop_assert!(row.repeat_rate.is_finite() && (0.0..=1.0).contains(&row.repeat_rate));
            prop_assert!(row.churn_rate.is_finite() && (0.0..=1.0).contains(&row.churn_rate));
            let a = analysis(&ds, std::slice::from_ref(&row.store));
            prop_assert_eq!(&a.scope, &vec![row.store.clone()]);
            prop_assert_eq!(&a.analysis_date, &whole.analysis_date);
            prop_assert_eq!(&a.store_rows, &whole.store_rows);
            let f = figures(&a);
            prop_assert_eq!((f.0, f.1, f.2), (row.members as u64, row.active_members_12m as u64, row.revenue_12m_cents as i128));
            prop_assert_eq!(row.avg_ticket_12m_cents, a.overview.kpis.avg_ticket_12m_cents);
            prop_assert!(reads_back(&a), "a NaN or an infinity would not read back from JSON");
            sum = (sum.0 + f.0, sum.1 + f.1, sum.2 + f.2, sum.3 + f.3);
        }
        prop_assert_eq!(sum, figures(&whole));
        prop_assert!(reads_back(&whole));
    }
}
