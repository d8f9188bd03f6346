//! A data set as the API's records: the file import's field keys, money as decimal yuan
//! (`"128.50"`) or integer cents (`amount_cents`), dates as ISO `YYYY-MM-DD`. Each record is
//! serialised once at start, so a page is the texts of its records joined.

use member_engine::dates::{format_day, Day};
use member_engine::export::yuan;
use member_engine::import::fields::Field;
use member_engine::model::{Dataset, Gender, TxKind, NONE16, WALK_IN};
use serde_json::{Map, Value};

use crate::options::Money;

/// One record under construction, keys in the order they are put.
struct Record {
    map: Map<String, Value>,
    money: Money,
}

impl Record {
    fn new(money: Money) -> Self {
        Record { map: Map::new(), money }
    }

    fn text(&mut self, field: Field, value: &str) {
        let v = if value.is_empty() { Value::Null } else { Value::String(value.to_string()) };
        self.map.insert(field.key().to_string(), v);
    }

    fn dictionary(&mut self, field: Field, names: &member_engine::model::Dictionary, index: u16) {
        let name = if index == NONE16 { "" } else { names.name(index).unwrap_or("") };
        self.text(field, name);
    }

    fn day(&mut self, field: Field, day: Option<Day>) {
        self.map.insert(field.key().to_string(), day.map_or(Value::Null, |d| Value::String(format_day(d))));
    }

    /// Money under the field's key in yuan, or under `<key>_cents` in cents.
    fn money(&mut self, field: Field, cents: i64) {
        match self.money {
            Money::Yuan => self.map.insert(field.key().to_string(), Value::String(yuan(cents))),
            Money::Cents => self.map.insert(format!("{}_cents", field.key()), Value::from(cents)),
        };
    }

    fn json(self) -> String {
        // A map of strings, numbers and nulls always serialises.
        serde_json::to_string(&Value::Object(self.map)).unwrap_or_else(|_| "{}".into())
    }
}

/// The money fields: written in yuan, or in cents under `<key>_cents`.
pub const MONEY_FIELDS: [Field; 4] = [Field::Amount, Field::Paid, Field::Discount, Field::Balance];

fn gender_word(g: Gender) -> &'static str {
    match g {
        Gender::Female => "female",
        Gender::Male => "male",
        Gender::Unknown => "",
    }
}

/// The kind as the import reads it back (`top_up` is a top-up by its word "top").
pub fn kind_word(k: TxKind) -> &'static str {
    match k {
        TxKind::Sale => "sale",
        TxKind::Refund => "refund",
        TxKind::TopUp => "top_up",
    }
}

/// Every member with every member field (null where the data set has no value).
pub fn member_records(ds: &Dataset, money: Money) -> Vec<String> {
    let m = &ds.members;
    (0..m.len())
        .map(|i| {
            let mut r = Record::new(money);
            r.text(Field::MemberId, m.id(i));
            r.text(Field::Name, m.name(i));
            r.text(Field::Phone, m.phone(i));
            r.text(Field::Gender, gender_word(m.gender(i)));
            r.day(Field::Birthday, m.birthday(i));
            r.day(Field::JoinDate, m.join_day(i));
            r.dictionary(Field::Tier, &ds.tiers, m.tier(i));
            r.map.insert(Field::Points.key().into(), Value::from(m.points(i)));
            r.money(Field::Balance, m.balance_cents(i));
            r.day(Field::Expiry, m.expiry(i));
            r.dictionary(Field::Store, &ds.stores, m.store(i));
            let tags: Vec<Value> = m.tags(i).iter().filter_map(|&t| ds.tags.name(t)).map(|t| Value::String(t.into())).collect();
            r.map.insert(Field::Tags.key().into(), if tags.is_empty() { Value::Null } else { Value::Array(tags) });
            r.day(Field::PointsExpiry, m.points_expiry(i));
            r.json()
        })
        .collect()
}

/// Every transaction: `paid` is the money paid (negative for a refund), `amount` the price
/// before the discount, `member_id` null for a walk-in guest. The data set keeps no order
/// numbers, so `order_no` is left out.
pub fn transaction_records(ds: &Dataset, money: Money) -> Vec<String> {
    let tx = &ds.transactions;
    (0..tx.len())
        .map(|t| {
            let mut r = Record::new(money);
            let member = tx.member.get(t).copied().unwrap_or(WALK_IN);
            let id = if member == WALK_IN { "" } else { ds.members.id(member as usize) };
            r.text(Field::MemberId, id);
            r.day(Field::Date, tx.day.get(t).copied());
            let paid = tx.amount_cents.get(t).copied().unwrap_or(0);
            let discount = tx.discount_cents(t);
            r.money(Field::Amount, paid.saturating_add(discount));
            r.money(Field::Paid, paid);
            r.money(Field::Discount, discount);
            r.dictionary(Field::Category, &ds.categories, tx.category(t));
            r.dictionary(Field::Store, &ds.stores, tx.store(t));
            r.text(Field::Kind, kind_word(tx.kind.get(t).copied().unwrap_or(TxKind::Sale)));
            r.json()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use member_engine::dates::day_from_ymd;
    use member_engine::model::{MemberRecord, TxRecord};

    #[test]
    fn records_carry_the_import_keys_money_and_dates() {
        let mut ds = Dataset::new("t");
        let day = day_from_ymd(2024, 3, 5).unwrap();
        ds.add_member(MemberRecord {
            id: "M1".into(),
            name: "王静".into(),
            gender: Gender::Female,
            join_day: Some(day),
            balance_cents: 12_850,
            tags: vec!["vip".into(), "new".into()],
            ..Default::default()
        });
        ds.add_transaction(TxRecord { member_id: Some("M1"), day, amount_cents: -1_005, discount_cents: 0, category: Some("面膜"), store: None, kind: TxKind::Refund });
        ds.add_transaction(TxRecord { member_id: None, day, amount_cents: 9_000, discount_cents: 1_000, category: None, store: Some("静安店"), kind: TxKind::Sale });
        let m: Value = serde_json::from_str(&member_records(&ds, Money::Yuan)[0]).unwrap();
        assert_eq!(m["member_id"], "M1");
        assert_eq!(m["gender"], "female");
        assert_eq!(m["join_date"], "2024-03-05");
        assert_eq!(m["balance"], "128.50");
        assert_eq!(m["tags"], serde_json::json!(["vip", "new"]));
        assert_eq!(m["phone"], Value::Null);
        let t = transaction_records(&ds, Money::Yuan);
        let refund: Value = serde_json::from_str(&t[0]).unwrap();
        assert_eq!((refund["paid"].as_str(), refund["kind"].as_str(), refund["category"].as_str()), (Some("-10.05"), Some("refund"), Some("面膜")));
        let walk_in: Value = serde_json::from_str(&t[1]).unwrap();
        assert_eq!(walk_in["member_id"], Value::Null);
        assert_eq!((walk_in["amount"].as_str(), walk_in["paid"].as_str(), walk_in["discount"].as_str()), (Some("100.00"), Some("90.00"), Some("10.00")));
        let cents: Value = serde_json::from_str(&transaction_records(&ds, Money::Cents)[1]).unwrap();
        assert_eq!((cents["paid_cents"].as_i64(), cents["amount_cents"].as_i64()), (Some(9_000), Some(10_000)));
        assert!(cents.get("paid").is_none());
    }
}
