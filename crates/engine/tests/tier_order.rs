//! Tier order: by the tiers' rank names (普通 < 银 < 金 < 白金 < 钻石, VIP1 < VIP2 …), the
//! user's order over that, and the spend bars when a name has no rank. The tiers table, the
//! per-member fit (read by the member details) and the work lists follow the same order.
//! Expected figures are worked out here from the rows the test writes.

use member_engine::analysis::analyse;
use member_engine::dates::day_from_ymd;
use member_engine::model::{Dataset, MemberRecord, TxKind, TxRecord};
use member_engine::pyramid::{tier_order, TIER_DOWNGRADE, TIER_FITS, TIER_UPGRADE};
use member_engine::settings::Settings;
use member_engine::worklists::{WorkListIndex, WorkListKey as K, WorkReason};

/// Members (id, tier, yuan spent on one day). Bars are the tiers' median 12-month spends:
/// 普通会员 5000, 银卡 100, 金卡 300, 白金卡 400, 钻石卡 200 (of 150, 200, 200, 9000).
/// By spend the tiers would run 银 < 钻石 < 金 < 白金 < 普通, putting 钻石卡's 9000 among
/// the upgrade candidates.
const MEMBERS: [(&str, &str, i64); 16] = [
    ("P1", "普通会员", 5000),
    ("P2", "普通会员", 5000),
    ("P3", "普通会员", 5000),
    ("S1", "银卡", 100),
    ("S2", "银卡", 100),
    ("S3", "银卡", 350),
    ("G1", "金卡", 300),
    ("G2", "金卡", 300),
    ("G3", "金卡", 300),
    ("W1", "白金卡", 400),
    ("W2", "白金卡", 400),
    ("W3", "白金卡", 400),
    ("D1", "钻石卡", 150),
    ("D2", "钻石卡", 200),
    ("D3", "钻石卡", 200),
    ("D4", "钻石卡", 9000),
];

fn dataset() -> Dataset {
    let mut ds = Dataset::new("tiers");
    let day = day_from_ymd(2024, 6, 1).unwrap();
    for (id, tier, _) in MEMBERS {
        ds.add_member(MemberRecord { id: id.into(), tier: Some(tier.into()), ..Default::default() });
    }
    for (id, _, yuan) in MEMBERS {
        ds.add_transaction(TxRecord {
            member_id: Some(id),
            day,
            amount_cents: yuan * 100,
            discount_cents: 0,
            category: None,
            store: None,
            kind: TxKind::Sale,
        });
    }
    ds
}

/// The median of a tier's spends, in cents (mean of the middle two for an even count).
fn median_bar(tier: &str) -> i64 {
    let mut v: Vec<i64> = MEMBERS.iter().filter(|m| m.1 == tier).map(|m| m.2 * 100).collect();
    v.sort_unstable();
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2
    }
}

/// The fit by the documented rule, in the given order: an upgrade when the spend reaches the
/// next tier's bar and that bar is above the member's own; a downgrade when under the own bar
/// and under the tier below's.
fn expected_fit(order: &[&str], tier: &str, spend: i64) -> u8 {
    let k = order.iter().position(|t| *t == tier).unwrap();
    let own = median_bar(tier);
    if let Some(next) = order.get(k + 1).map(|t| median_bar(t)) {
        if spend >= next && next > own {
            return TIER_UPGRADE;
        }
    }
    if k > 0 && spend < own && spend < median_bar(order[k - 1]).max(1) {
        return TIER_DOWNGRADE;
    }
    TIER_FITS
}

fn check_order(settings: &Settings, order: &[&str]) -> (member_engine::analysis::Computed, Dataset) {
    let ds = dataset();
    let c = analyse(&ds, None, false, settings);
    let tiers = &c.analysis.tiers;
    assert_eq!(tiers.iter().map(|t| t.tier.as_str()).collect::<Vec<_>>(), order);
    for t in tiers {
        assert_eq!(t.bar_cents, median_bar(&t.tier), "{}", t.tier);
    }
    for (m, (_, tier, yuan)) in MEMBERS.iter().enumerate() {
        assert_eq!(c.classified.tier_fit[m], expected_fit(order, tier, yuan * 100), "member {m}");
    }
    for t in tiers {
        let of_tier = || MEMBERS.iter().filter(|m| m.1 == t.tier).map(|m| expected_fit(order, m.1, m.2 * 100));
        assert_eq!(t.upgrade_candidates as usize, of_tier().filter(|&f| f == TIER_UPGRADE).count(), "{}", t.tier);
        assert_eq!(t.downgrade_candidates as usize, of_tier().filter(|&f| f == TIER_DOWNGRADE).count(), "{}", t.tier);
    }
    (c, ds)
}

#[test]
fn tiers_rank_by_name_not_by_spend() {
    let order = ["普通会员", "银卡", "金卡", "白金卡", "钻石卡"];
    let settings = Settings::default();
    let (c, ds) = check_order(&settings, &order);
    let diamond = c.analysis.tiers.iter().find(|t| t.tier == "钻石卡").unwrap();
    assert_eq!(diamond.upgrade_candidates, 0);
    // By hand: S3 (银卡, 350 ≥ 金卡's 300, < 白金卡's 400) is the one upgrade; D1 (钻石卡, 150 under
    // its 200 and 白金卡's 400) the one downgrade, fitting 银卡 (the highest tier below whose bar
    // 150 reaches: 白金 400, 金 300 no, 银 100 yes).
    let index = WorkListIndex::build(&ds, &c.summaries, &c.classified, &settings);
    let id = |m: u32| ds.members.id(m as usize).to_string();
    let ups: Vec<String> = index.members(K::TierUpgrade).iter().map(|&m| id(m)).collect();
    let downs: Vec<String> = index.members(K::TierDowngrade).iter().map(|&m| id(m)).collect();
    assert_eq!((ups, downs), (vec!["S3".to_string()], vec!["D1".to_string()]));
    let reasons = |list: K, who: &str| index.reasons(&ds, &c.summaries, &c.classified, list, ds.find_member(who).unwrap());
    assert_eq!(
        reasons(K::TierUpgrade, "S3"),
        vec![WorkReason::TierUpgrade { tier: "银卡".into(), fits: "金卡".into(), spend_12m_cents: 35_000 }]
    );
    assert_eq!(
        reasons(K::TierDowngrade, "D1"),
        vec![WorkReason::TierDowngrade { tier: "钻石卡".into(), fits: "银卡".into(), spend_12m_cents: 15_000 }]
    );
}

/// The user's order wins: all tiers named, or some (the others keep their slots).
#[test]
fn user_order_overrides() {
    let all = ["钻石卡", "普通会员", "银卡", "金卡", "白金卡"];
    let settings = Settings { tier_order: all.iter().map(|s| s.to_string()).collect(), ..Default::default() };
    check_order(&settings, &all);
    // 金卡 below 银卡; the unnamed tiers stay where the names put them.
    let settings = Settings { tier_order: vec!["金卡".into(), "银卡".into()], ..Default::default() };
    check_order(&settings, &["普通会员", "金卡", "银卡", "白金卡", "钻石卡"]);
    // A name the data does not have changes nothing.
    let settings = Settings { tier_order: vec!["铜卡".into()], ..Default::default() };
    check_order(&settings, &["普通会员", "银卡", "金卡", "白金卡", "钻石卡"]);
}

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// VIP1 … VIP12 by number (not as text, where VIP10 < VIP2), whatever their bars.
#[test]
fn numbered_tiers_by_number() {
    // Listed shuffled, with bars falling as the number rises.
    let levels: Vec<u32> = vec![7, 2, 12, 1, 10, 5, 3, 11, 9, 4, 6, 8];
    let tiers: Vec<String> = levels.iter().map(|n| format!("VIP{n}")).collect();
    let bars: Vec<i64> = levels.iter().map(|&n| 1000 - n as i64).collect();
    let order = tier_order(&tiers, &bars, &[]);
    let got: Vec<&str> = order.iter().map(|&t| tiers[t].as_str()).collect();
    let want: Vec<String> = (1..=12).map(|n| format!("VIP{n}")).collect();
    assert_eq!(got, want);
    // Mixed with a basic tier and full-width digits.
    let tiers = names(&["ＶＩＰ２", "普通会员", "vip 1", "3级会员"]);
    let order = tier_order(&tiers, &[0, 50, 0, 0], &[]);
    assert_eq!(order, vec![1, 2, 0, 3]);
}

/// One name without a rank: the bars decide, as before (ties by tier index).
#[test]
fn unrecognised_name_falls_back_to_bars() {
    let tiers = names(&["银卡", "员工卡", "金卡", "钻石卡"]);
    let bars = [300, 100, 200, 200];
    assert_eq!(tier_order(&tiers, &bars, &[]), vec![1, 2, 3, 0]);
    // Named by the user, the unrecognised tier still leaves the rest to the bars.
    assert_eq!(tier_order(&tiers, &bars, &names(&["钻石卡", "员工卡"])), vec![3, 2, 1, 0]);
    // All recognised: by name, whatever the bars.
    let tiers = names(&["银卡", "金卡", "钻石卡"]);
    assert_eq!(tier_order(&tiers, &[300, 100, 200], &[]), vec![0, 1, 2]);
    assert!(tier_order(&[], &[], &[]).is_empty());
}
