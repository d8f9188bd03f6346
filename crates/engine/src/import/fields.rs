//! What a column can mean, the header names that say so (simplified and traditional Chinese,
//! English), and the automatic mapping of a file's columns with a confidence for each.

use serde::{Deserialize, Serialize};

use super::values::{fold_width, normalize_id, parse_date, parse_money, DateOrder};

/// A field a column can fill.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    MemberId,
    Store,
    // Members
    Name,
    Phone,
    Gender,
    Birthday,
    JoinDate,
    Tier,
    Points,
    Balance,
    Expiry,
    // Transactions
    Date,
    /// Amount before discount (应收, 消费金额).
    Amount,
    /// Money actually paid (实收); the revenue when present.
    Paid,
    Discount,
    Category,
    OrderNo,
    Kind,
    // Members, listed last so that the fields above win a tie of partial header matches.
    /// Tags (标签), several in one cell.
    Tags,
    /// When the points expire (积分到期日); not the membership's expiry.
    PointsExpiry,
    // A member summary made in a warehouse (sql/member_summary.sql): one row per member, as of
    // its analysis date. Money in yuan, days as dates or day counts.
    AnalysisDate,
    FirstPurchase,
    LastPurchase,
    PurchaseDays,
    Orders,
    Orders12m,
    Orders6m,
    GrossSpend,
    NetSpend,
    PromoSpend,
    Spend12m,
    /// Purchases on the first purchase day (Gamma-Gamma averages the repeat days only).
    FirstDaySpend,
    LongestGapDays,
    // Monthly aggregates made in a warehouse (sql/monthly_aggregates.sql): a long table of
    // (measure, month, month offset, visits bucket, value).
    Measure,
    Month,
    MonthOffset,
    Visits,
    MeasureValue,
}

/// Which kind of file a mapping reads.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Members,
    #[default]
    Transactions,
    /// One row per member with the summary figures (and any member attributes), made elsewhere.
    Summary,
    /// The monthly aggregates that go with a summary (churn, cohorts, second-year renewal).
    Monthly,
}

impl Field {
    pub const ALL: [Field; 38] = [
        Field::MemberId,
        Field::Store,
        Field::Name,
        Field::Phone,
        Field::Gender,
        Field::Birthday,
        Field::JoinDate,
        Field::Tier,
        Field::Points,
        Field::Balance,
        Field::Expiry,
        Field::Date,
        Field::Amount,
        Field::Paid,
        Field::Discount,
        Field::Category,
        Field::OrderNo,
        Field::Kind,
        Field::Tags,
        Field::PointsExpiry,
        Field::AnalysisDate,
        Field::FirstPurchase,
        Field::LastPurchase,
        Field::PurchaseDays,
        Field::Orders,
        Field::Orders12m,
        Field::Orders6m,
        Field::GrossSpend,
        Field::NetSpend,
        Field::PromoSpend,
        Field::Spend12m,
        Field::FirstDaySpend,
        Field::LongestGapDays,
        Field::Measure,
        Field::Month,
        Field::MonthOffset,
        Field::Visits,
        Field::MeasureValue,
    ];

    /// A column of a warehouse's member summary or monthly aggregates (named exactly, never
    /// guessed from part of a header or from values).
    pub fn is_warehouse(self) -> bool {
        Field::SUMMARY.contains(&self) || Field::for_role(Role::Monthly).contains(&self)
    }

    /// The fields of a member summary file: the member id, the summary's figures in the order
    /// of sql/member_summary.sql's columns, then any member attributes it carries.
    const SUMMARY_ROLE: [Field; 26] = [
        Field::MemberId,
        Field::AnalysisDate,
        Field::FirstPurchase,
        Field::LastPurchase,
        Field::PurchaseDays,
        Field::Orders,
        Field::Orders12m,
        Field::Orders6m,
        Field::GrossSpend,
        Field::NetSpend,
        Field::PromoSpend,
        Field::Spend12m,
        Field::FirstDaySpend,
        Field::LongestGapDays,
        Field::Name,
        Field::Phone,
        Field::Gender,
        Field::Birthday,
        Field::JoinDate,
        Field::Tier,
        Field::Points,
        Field::Balance,
        Field::Store,
        Field::Expiry,
        Field::PointsExpiry,
        Field::Tags,
    ];

    /// The figures of a member summary, in the order of sql/member_summary.sql's columns (after
    /// the member id): all of them are required.
    pub const SUMMARY: [Field; 13] = fields_from(&Field::SUMMARY_ROLE, 1);

    /// The fields a file of `role` can fill, in the order the mapping screen lists them.
    pub fn for_role(role: Role) -> &'static [Field] {
        match role {
            Role::Members => &[
                Field::MemberId,
                Field::Name,
                Field::Phone,
                Field::Gender,
                Field::Birthday,
                Field::JoinDate,
                Field::Tier,
                Field::Points,
                Field::Balance,
                Field::Store,
                Field::Expiry,
                Field::PointsExpiry,
                Field::Tags,
            ],
            Role::Transactions => &[
                Field::MemberId,
                Field::Date,
                Field::Paid,
                Field::Amount,
                Field::Discount,
                Field::Category,
                Field::Store,
                Field::OrderNo,
                Field::Kind,
            ],
            Role::Summary => &Field::SUMMARY_ROLE,
            Role::Monthly => &[Field::Measure, Field::Month, Field::MonthOffset, Field::Visits, Field::MeasureValue],
        }
    }

    /// The field's name in messages (the UI translates by [`Field::key`]).
    pub fn label(self) -> &'static str {
        match self {
            Field::MemberId => "member id",
            Field::Store => "store",
            Field::Name => "name",
            Field::Phone => "phone",
            Field::Gender => "gender",
            Field::Birthday => "birthday",
            Field::JoinDate => "join date",
            Field::Tier => "tier",
            Field::Points => "points",
            Field::Balance => "stored-value balance",
            Field::Expiry => "membership expiry",
            Field::Date => "date",
            Field::Amount => "amount",
            Field::Paid => "paid",
            Field::Discount => "discount",
            Field::Category => "category",
            Field::OrderNo => "order number",
            Field::Kind => "type",
            Field::Tags => "tags",
            Field::PointsExpiry => "points expiry",
            Field::AnalysisDate => "analysis date",
            Field::FirstPurchase => "first purchase",
            Field::LastPurchase => "last purchase",
            Field::PurchaseDays => "purchase days",
            Field::Orders => "orders",
            Field::Orders12m => "orders in 12 months",
            Field::Orders6m => "orders in 6 months",
            Field::GrossSpend => "gross spend",
            Field::NetSpend => "net spend",
            Field::PromoSpend => "spend on promotion",
            Field::Spend12m => "spend in 12 months",
            Field::FirstDaySpend => "first-day spend",
            Field::LongestGapDays => "longest gap",
            Field::Measure => "measure",
            Field::Month => "month",
            Field::MonthOffset => "month offset",
            Field::Visits => "visits",
            Field::MeasureValue => "value",
        }
    }

    /// Stable snake_case name (serde's), for translations and saved mappings.
    pub fn key(self) -> &'static str {
        match self {
            Field::MemberId => "member_id",
            Field::Store => "store",
            Field::Name => "name",
            Field::Phone => "phone",
            Field::Gender => "gender",
            Field::Birthday => "birthday",
            Field::JoinDate => "join_date",
            Field::Tier => "tier",
            Field::Points => "points",
            Field::Balance => "balance",
            Field::Expiry => "expiry",
            Field::Date => "date",
            Field::Amount => "amount",
            Field::Paid => "paid",
            Field::Discount => "discount",
            Field::Category => "category",
            Field::OrderNo => "order_no",
            Field::Kind => "kind",
            Field::Tags => "tags",
            Field::PointsExpiry => "points_expiry",
            Field::AnalysisDate => "analysis_date",
            Field::FirstPurchase => "first_purchase",
            Field::LastPurchase => "last_purchase",
            Field::PurchaseDays => "purchase_days",
            Field::Orders => "orders",
            Field::Orders12m => "orders_12m",
            Field::Orders6m => "orders_6m",
            Field::GrossSpend => "gross_spend",
            Field::NetSpend => "net_spend",
            Field::PromoSpend => "promo_spend",
            Field::Spend12m => "spend_12m",
            Field::FirstDaySpend => "first_day_spend",
            Field::LongestGapDays => "longest_gap_days",
            Field::Measure => "measure",
            Field::Month => "month",
            Field::MonthOffset => "month_offset",
            Field::Visits => "visits",
            Field::MeasureValue => "measure_value",
        }
    }

    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key)
    }

    /// Header names meaning this field, already in [`header_key`] form.
    pub fn synonyms(self) -> &'static [&'static str] {
        match self {
            Field::MemberId => &[
                "会员卡号", "会员编号", "会员号", "会员id", "会员卡", "卡号", "会员", "顾客编号", "客户编号", "客户id",
                "會員卡號", "會員編號", "會員號", "會員id", "卡號", "會員", "顧客編號", "客戶編號",
                "memberid", "member", "membercode", "memberno", "customerid", "customer", "custid", "cardno", "card",
                "cardnumber", "clientid", "id",
            ],
            Field::Store => &["门店", "所属门店", "店铺", "门店名称", "店名", "門店", "所屬門店", "店鋪", "store", "shop", "branch", "storename", "outlet"],
            Field::Name => &["姓名", "会员姓名", "客户姓名", "顾客姓名", "名字", "會員姓名", "客戶姓名", "name", "membername", "customername", "fullname"],
            Field::Phone => &[
                "手机号", "手机", "手机号码", "电话", "联系电话", "买家手机号", "买家手机", "会员手机", "会员手机号", "收货人手机",
                "收货人手机号", "收货人电话", "联系手机", "手機號", "手機", "電話", "聯繫電話", "買家手機號", "會員手機", "收貨人手機",
                "phone", "mobile", "tel", "telephone", "phonenumber", "cellphone", "mobilephone", "buyerphone", "customerphone",
            ],
            Field::Gender => &["性别", "性別", "gender", "sex"],
            Field::Birthday => &["生日", "出生日期", "出生年月", "birthday", "birthdate", "dateofbirth", "dob"],
            Field::JoinDate => &[
                "开卡日期", "开卡时间", "入会时间", "入会日期", "注册时间", "注册日期", "办卡日期", "開卡日期", "入會時間", "註冊時間", "註冊日期",
                "joindate", "joined", "registerdate", "registrationdate", "signupdate", "createdat", "memberSince",
            ],
            Field::Tier => &["会员等级", "等级", "卡类型", "卡种", "會員等級", "等級", "tier", "level", "memberlevel", "grade", "cardtype"],
            Field::Points => &["积分", "可用积分", "积分余额", "當前積分", "積分", "可用積分", "points", "pointsbalance", "loyaltypoints"],
            Field::Balance => &["储值余额", "卡内余额", "余额", "储值", "儲值餘額", "卡內餘額", "餘額", "balance", "storedvalue", "walletbalance"],
            Field::Expiry => &[
                "到期日", "到期时间", "有效期", "有效期至", "到期日期", "到期時間", "会员到期", "会员到期日", "会员到期时间", "会员有效期",
                "会员卡到期", "卡到期日", "會員到期", "會員到期日", "會員有效期", "expiry", "expirydate", "expires", "validuntil",
                "expiration", "membershipexpiry", "memberexpiry",
            ],
            Field::Date => &[
                "消费时间", "交易时间", "消费日期", "交易日期", "下单时间", "付款时间", "支付时间", "订单创建时间", "成交时间", "日期",
                "时间", "销售日期", "销售时间", "消費時間", "交易時間", "消費日期", "交易日期", "下單時間", "付款時間", "支付時間", "日期", "時間",
                "date", "time", "datetime", "orderdate", "purchasedate", "transactiondate", "saledate", "timestamp", "paidat",
            ],
            Field::Amount => &["消费金额", "应收", "应收金额", "金额", "原价", "消費金額", "應收", "應收金額", "金額", "amount", "total", "sales", "price", "grossamount", "value"],
            Field::Paid => &[
                "实收金额", "实收", "实付", "实付金额", "实付款", "商品实付金额", "订单实付金额", "买家实付金额", "支付金额", "付款金额",
                "實收金額", "實收", "實付金額", "商品實付金額", "訂單實付金額", "paid", "paidamount", "netamount", "amountpaid",
            ],
            Field::Discount => &["优惠金额", "优惠", "折扣金额", "折扣", "减免", "優惠金額", "優惠", "折扣金額", "discount", "discountamount", "promo"],
            Field::Category => &["项目", "商品类别", "品类", "类别", "商品", "商品名称", "服务项目", "項目", "商品類別", "品類", "類別", "category", "item", "product", "productcategory", "service"],
            Field::OrderNo => &["单号", "单据号", "订单号", "流水号", "小票号", "單號", "單據號", "訂單號", "流水號", "orderno", "orderid", "order", "receiptno", "invoiceno", "transactionid", "ticket"],
            Field::Tags => &[
                "标签", "会员标签", "客户标签", "顾客标签", "標籤", "會員標籤", "客戶標籤", "顧客標籤", "tags", "tag", "labels", "label",
                "membertags", "customertags",
            ],
            Field::PointsExpiry => &[
                "积分到期日", "积分到期", "积分到期时间", "积分到期日期", "积分有效期", "积分有效期至", "积分过期时间", "积分过期日",
                "积分过期日期", "积分过期", "積分到期日", "積分到期", "積分有效期", "積分過期時間", "積分過期", "pointsexpiry",
                "pointsexpirydate", "pointsexpiration", "pointsexpire", "pointsexpires", "pointsexpireat", "pointsexpiresat",
                "pointsvaliduntil",
            ],
            Field::Kind => &[
                "类型", "消费类型", "交易类型", "业务类型", "類型", "消費類型", "交易類型", "type", "kind", "transactiontype",
                // Order statuses are read like types: each value is a sale, a refund or no sale.
                "订单状态", "交易状态", "状态", "訂單狀態", "交易狀態", "狀態", "orderstatus", "status", "financialstatus", "paymentstatus",
            ],
            // The warehouse's columns are named by sql/ (English) or by a translated export
            // (Chinese); only exact names, so that no transactions header reads as one.
            Field::AnalysisDate => &["analysisdate", "分析日期", "分析日"],
            Field::FirstPurchase => &["firstpurchase", "首次消费日期", "首次消费"],
            Field::LastPurchase => &["lastpurchase", "最近消费日期", "最后消费日期"],
            Field::PurchaseDays => &["purchasedays", "消费天数"],
            Field::Orders => &["orders", "订单数"],
            Field::Orders12m => &["orders12m", "近12个月订单数"],
            Field::Orders6m => &["orders6m", "近6个月订单数"],
            Field::GrossSpend => &["grossspend", "消费总额"],
            Field::NetSpend => &["netspend", "净消费额"],
            Field::PromoSpend => &["promospend", "优惠消费额"],
            Field::Spend12m => &["spend12m", "近12个月消费额"],
            Field::FirstDaySpend => &["firstdayspend", "首日消费额"],
            Field::LongestGapDays => &["longestgapdays", "最长间隔天数"],
            Field::Measure => &["measure", "指标"],
            Field::Month => &["month", "月份"],
            Field::MonthOffset => &["monthoffset", "月序"],
            Field::Visits => &["visits", "首年到店次数"],
            Field::MeasureValue => &["measurevalue", "指标值"],
        }
    }
}

/// `N` fields of `from` from index `skip` on (a part of a list written once).
const fn fields_from<const N: usize>(from: &[Field], skip: usize) -> [Field; N] {
    let mut out = [Field::MemberId; N];
    let mut i = 0;
    while i < N {
        out[i] = from[skip + i];
        i += 1;
    }
    out
}

/// A header cell as compared with synonyms: full-width folded, lower-case, without spaces,
/// underscores, hyphens and a trailing unit in brackets (`金额(元)` → `金额`).
pub fn header_key(h: &str) -> String {
    let folded = fold_width(h).to_lowercase();
    let mut s = folded.trim().trim_start_matches('\u{feff}').to_string();
    if let Some(i) = s.find(['(', '（', '[']) {
        if i > 0 {
            s.truncate(i);
        }
    }
    s.chars().filter(|c| !matches!(c, ' ' | '_' | '-' | '.' | '/' | ':' | '：')).collect()
}

/// Header words naming what no field means, though a synonym is part of them: a buyer's
/// nickname (买家昵称, `nickname`) is not their name.
const NOT_A_FIELD: [&str; 4] = ["昵称", "暱稱", "nickname", "nick"];

fn names_no_field(key: &str) -> bool {
    NOT_A_FIELD.iter().any(|w| key.contains(w))
}

/// Whether a header names an order status (订单状态, `Financial Status`) rather than a row type:
/// a status describes the whole order, so a refunded order is a sale that was refunded.
pub fn is_status_header(header: &str) -> bool {
    let key = header_key(header);
    ["状态", "狀態", "status"].iter().any(|w| key.contains(w))
}

/// Whether a header names a phone number (手机号, 买家手机号, `Mobile`).
pub fn is_phone_header(header: &str) -> bool {
    header_score(&header_key(header), Field::Phone) > 0.0
}

/// Whether a cell is the label of a totals row: 合计, 总计, 小计, 共计, `Total`, `Grand total`,
/// `Sum` (any case, trimmed, with or without a trailing colon).
pub fn is_totals_word(cell: &str) -> bool {
    const WORDS: [&str; 13] = ["合计", "总计", "小计", "共计", "合計", "總計", "小計", "共計", "total", "totals", "grandtotal", "subtotal", "sum"];
    let t = super::values::trim_cell(cell);
    if t.is_empty() || t.len() > 24 {
        return false;
    }
    // This runs on the id and the date of every row: reject by the first letter before folding
    // and allocating (every word starts with one of these, half- or full-width).
    let first = t.chars().next().unwrap_or(' ');
    if !matches!(first, '合' | '总' | '總' | '小' | '共' | 't' | 'T' | 'g' | 'G' | 's' | 'S' | 'ｔ' | 'Ｔ' | 'ｇ' | 'Ｇ' | 'ｓ' | 'Ｓ') {
        return false;
    }
    let folded = fold_width(t);
    let key: String = folded.trim_end_matches([':', '：']).chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    WORDS.contains(&key.as_str())
}

/// A phone number as a member key: full-width folded; spaces, dashes, dots and brackets
/// removed; the country code `+86` / `0086` / `86` before an 11-digit mobile number dropped.
/// A value that is not a phone number once cleaned (letters in it) is only trimmed
/// ([`normalize_id`]), so card numbers are never rewritten.
pub fn normalize_phone(raw: &str) -> String {
    let id = normalize_id(raw);
    let cleaned: String = id.chars().filter(|c| !matches!(c, ' ' | '-' | '.' | '(' | ')' | '\u{a0}' | '\t')).collect();
    let (plus, digits) = match cleaned.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    if digits.len() < 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return id.into_owned();
    }
    let national = if let Some(rest) = digits.strip_prefix("0086") {
        rest
    } else if let Some(rest) = digits.strip_prefix("86").filter(|r| plus || (r.len() == 11 && r.starts_with('1'))) {
        rest
    } else {
        digits
    };
    national.to_string()
}

/// Whether a value is a Chinese mobile number (11 digits from 1) once normalised.
pub fn is_mobile_number(raw: &str) -> bool {
    let n = normalize_phone(raw);
    n.len() == 11 && n.starts_with('1') && n.bytes().all(|b| b.is_ascii_digit())
}

/// One column's mapping and how sure the guess was (1 = the header says so exactly).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ColumnMapping {
    pub field: Option<Field>,
    pub confidence: f32,
}

/// How well a header names a field: 1.0 exact synonym, 0.75 when a longer synonym is part of it.
/// A header naming the points' expiry (积分到期日) names neither the points nor the membership's
/// expiry, though it holds a synonym of each.
fn header_score(key: &str, field: Field) -> f32 {
    if matches!(field, Field::Points | Field::Expiry) && synonym_score(key, Field::PointsExpiry) > 0.0 {
        return 0.0;
    }
    synonym_score(key, field)
}

/// [`header_score`] by the field's own synonyms alone.
fn synonym_score(key: &str, field: Field) -> f32 {
    if key.is_empty() {
        return 0.0;
    }
    let syn = field.synonyms();
    let lower: Vec<String> = syn.iter().map(|s| s.to_lowercase()).collect();
    if lower.iter().any(|s| s == key) {
        return 1.0;
    }
    if !field.is_warehouse() && lower.iter().any(|s| s.chars().count() >= 2 && key.contains(s.as_str())) {
        return 0.75;
    }
    0.0
}

/// What the values of a column look like, for files without a header (or unknown headers).
fn value_scores(values: &[&str], order: DateOrder) -> Vec<(Field, f32)> {
    let filled: Vec<&str> = values.iter().map(|v| v.trim()).filter(|v| !v.is_empty()).collect();
    if filled.is_empty() {
        return Vec::new();
    }
    let share = |pred: &dyn Fn(&str) -> bool| filled.iter().filter(|v| pred(v)).count() as f32 / filled.len() as f32;
    // Plain numbers other than yyyymmdd are amounts or ids, not dates.
    let dates = share(&|v| parse_date(v, order).is_some() && !(v.len() != 8 && v.bytes().all(|b| b.is_ascii_digit() || b == b'.')));
    let eight_digit = share(&|v| v.len() == 8 && v.bytes().all(|b| b.is_ascii_digit()) && parse_date(v, order).is_some());
    let money = share(&|v| parse_money(v).is_some());
    let decimals = share(&|v| v.contains('.') && parse_money(v).is_some());
    let id_like = share(&|v| {
        let id = normalize_id(v);
        !id.is_empty() && id.len() <= 32 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    });
    let leading_zero = share(&|v| v.starts_with('0') && v.len() > 1);
    let mut out = Vec::new();
    if eight_digit > 0.9 || dates > 0.9 {
        out.push((Field::Date, 0.6));
    // 0.9, not all: a header row read as data (the header switch turned off) is one value in
    // twenty that does not fit.
    } else if decimals > 0.5 && money >= 0.9 {
        out.push((Field::Amount, 0.5));
    } else if id_like >= 0.9 && (leading_zero > 0.5 || money < 0.5) {
        out.push((Field::MemberId, 0.4));
    }
    out
}

/// Proposes a field for each column from its header (if any) and its sample values: each field
/// goes to the column that names it best; ties go to the leftmost column.
pub fn auto_map(header: Option<&[String]>, sample: &[Vec<String>], n_columns: usize, order: DateOrder) -> Vec<ColumnMapping> {
    let mut candidates: Vec<(f32, usize, Field)> = Vec::new();
    for col in 0..n_columns {
        let key = header.and_then(|h| h.get(col)).map(|h| header_key(h)).unwrap_or_default();
        if names_no_field(&key) {
            continue;
        }
        let mut named = false;
        for field in Field::ALL {
            let s = header_score(&key, field);
            if s > 0.0 {
                candidates.push((s, col, field));
                named = true;
            }
        }
        if !named {
            let values: Vec<&str> = sample.iter().filter_map(|r| r.get(col).map(String::as_str)).collect();
            for (field, s) in value_scores(&values, order) {
                // Under a header that names nothing known, only dates and money are telling:
                // any short text looks like an id.
                if header.is_none() || field != Field::MemberId {
                    candidates.push((s, col, field));
                }
            }
        }
    }
    // Best first; for equal scores, the leftmost column and the field listed first.
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut mapping = vec![ColumnMapping::default(); n_columns];
    let mut taken: Vec<Field> = Vec::new();
    for (score, col, field) in candidates {
        if mapping[col].field.is_none() && !taken.contains(&field) {
            mapping[col] = ColumnMapping { field: Some(field), confidence: score };
            taken.push(field);
        }
    }
    // `Created at` is a join date in a members file, but the order's date next to an order
    // number.
    let has = |f: Field| mapping.iter().any(|m| m.field == Some(f));
    if !has(Field::Date) && has(Field::OrderNo) {
        if let Some(m) = mapping.iter_mut().find(|m| m.field == Some(Field::JoinDate)) {
            m.field = Some(Field::Date);
        }
    }
    mapping
}

/// Share of `rows` whose cell in `col` is filled (0 without rows).
pub fn filled_share(rows: &[Vec<String>], col: usize) -> f32 {
    if rows.is_empty() {
        return 0.0;
    }
    let filled = rows.iter().filter(|r| r.get(col).is_some_and(|v| !v.trim().is_empty())).count();
    filled as f32 / rows.len() as f32
}

/// Whether a column holds money: some cells filled, and nine in ten of them amounts.
pub fn is_money_column(rows: &[Vec<String>], col: usize) -> bool {
    let filled: Vec<&str> = rows.iter().filter_map(|r| r.get(col)).map(|v| v.trim()).filter(|v| !v.is_empty()).collect();
    !filled.is_empty() && filled.iter().filter(|v| parse_money(v).is_some()).count() * 10 >= filled.len() * 9
}

/// Multi-line orders a sample needs before a column is called an order total.
const MIN_MULTI_LINE_ORDERS: usize = 2;

/// Columns that repeat the order's total on its lines, each with the line column it totals:
/// `(total, line)` pairs. In nearly every order of two or more lines of the sample (four in
/// five: an export may carry an odd order), a total column is constant (cells left empty on
/// later lines allowed) and equal to the sum of the line column over the order, or beyond it
/// (shipping included in the total). An order is the lines with the same order number and the
/// same values in `same_cols` (the member and the day: receipt numbers may restart every day).
/// `whole` says the sample is the whole table; else the order of its last row may be cut and
/// is not judged. `lines_first` lists the candidate line columns in order of preference;
/// `candidates` every money column.
pub fn order_total_columns(rows: &[Vec<String>], order_col: usize, same_cols: &[usize], candidates: &[usize], lines_first: &[usize], whole: bool) -> Vec<(usize, usize)> {
    let order_of = |r: &Vec<String>| -> Option<String> {
        let number = r.get(order_col).map(|v| v.trim()).filter(|v| !v.is_empty())?;
        let mut key = number.to_string();
        for &c in same_cols {
            key.push('\u{1f}');
            let cell = r.get(c).map_or("", |v| v.trim());
            // A date's day (the time may differ between the lines of one order); a member as
            // joined (`+86 138-0013-8000` and `13800138000` are one buyer).
            let day = cell.split_whitespace().next().filter(|d| parse_date(d, DateOrder::DayFirst).is_some());
            match day {
                Some(d) => key.push_str(d),
                None => key.push_str(&normalize_phone(cell)),
            }
        }
        Some(key)
    };
    let cut = if whole { None } else { rows.iter().rev().find_map(order_of) };
    let mut orders: std::collections::HashMap<String, Vec<&Vec<String>>> = std::collections::HashMap::new();
    for r in rows {
        if let Some(o) = order_of(r).filter(|o| Some(o) != cut.as_ref()) {
            orders.entry(o).or_default().push(r);
        }
    }
    let multi: Vec<&[&Vec<String>]> = orders.values().filter(|l| l.len() >= 2).map(Vec::as_slice).collect();
    if multi.len() < MIN_MULTI_LINE_ORDERS {
        return Vec::new();
    }
    let totals = |t: usize, l: usize| -> bool {
        let found: Vec<i64> = multi.iter().filter_map(|lines| order_total_in(lines, t, l)).collect();
        found.len() * 5 >= multi.len() * 4 && found.iter().any(|&v| v != 0)
    };
    let mut pairs = Vec::new();
    for &t in candidates {
        let line = lines_first.iter().chain(candidates).copied().find(|&l| l != t && totals(t, l));
        if let Some(l) = line {
            pairs.push((t, l));
        }
    }
    // A column summed into another's total is a line column, whatever it matched itself.
    let line_cols: Vec<usize> = pairs.iter().map(|p| p.1).collect();
    pairs.retain(|p| !line_cols.contains(&p.0));
    pairs
}

/// The total of one order's lines in column `t`, when it is one: the same value on every line
/// that has one, and the sum of column `l` over the lines or beyond it with the same sign.
fn order_total_in(lines: &[&Vec<String>], t: usize, l: usize) -> Option<i64> {
    let money = |r: &Vec<String>, c: usize| -> Option<i64> { r.get(c).map(|v| v.trim()).filter(|v| !v.is_empty()).and_then(parse_money) };
    let mut filled = lines.iter().filter_map(|r| money(r, t));
    let total = filled.next()?;
    if filled.any(|v| v != total) {
        return None;
    }
    let mut sum: i64 = 0;
    for r in lines {
        sum = sum.checked_add(money(r, l)?)?;
    }
    let beyond = sum != 0 && total.signum() == sum.signum() && total.unsigned_abs() > sum.unsigned_abs();
    (total == sum || beyond).then_some(total)
}

/// The role a mapping implies: a member summary when it has the summary's purchase days and
/// analysis date, monthly aggregates when it has a measure and its value, transactions when it
/// has a date and some money column, else members.
pub fn infer_role(mapping: &[ColumnMapping]) -> Role {
    let has = |f: Field| mapping.iter().any(|m| m.field == Some(f));
    if has(Field::PurchaseDays) && has(Field::AnalysisDate) {
        Role::Summary
    } else if has(Field::Measure) && has(Field::MeasureValue) {
        Role::Monthly
    } else if has(Field::Date) && (has(Field::Amount) || has(Field::Paid)) {
        Role::Transactions
    } else {
        Role::Members
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn fields(m: &[ColumnMapping]) -> Vec<Option<Field>> {
        m.iter().map(|c| c.field).collect()
    }

    #[test]
    fn chinese_headers_simplified_and_traditional() {
        let h = strings(&["會員卡號", "消费时间", "实收金额(元)", "優惠金額", "项目", "所属门店", "单号", "类型", "备注"]);
        let m = auto_map(Some(&h), &[], h.len(), DateOrder::DayFirst);
        assert_eq!(
            fields(&m),
            vec![
                Some(Field::MemberId),
                Some(Field::Date),
                Some(Field::Paid),
                Some(Field::Discount),
                Some(Field::Category),
                Some(Field::Store),
                Some(Field::OrderNo),
                Some(Field::Kind),
                None
            ]
        );
        assert!(m.iter().take(8).all(|c| c.confidence == 1.0));
        assert_eq!(infer_role(&m), Role::Transactions);
    }

    #[test]
    fn member_file_headers() {
        let h = strings(&["卡号", "姓名", "手机号", "性别", "生日", "开卡日期", "会员等级", "可用积分", "储值余额", "门店", "到期日"]);
        let m = auto_map(Some(&h), &[], h.len(), DateOrder::DayFirst);
        assert!(m.iter().all(|c| c.field.is_some()), "{m:?}");
        assert_eq!(infer_role(&m), Role::Members);
    }

    #[test]
    fn english_headers_and_partial_matches() {
        let h = strings(&["Customer ID", "Order Date", "Total Amount", "Product Category"]);
        let m = auto_map(Some(&h), &[], h.len(), DateOrder::DayFirst);
        assert_eq!(fields(&m), vec![Some(Field::MemberId), Some(Field::Date), Some(Field::Amount), Some(Field::Category)]);
        assert_eq!(m[0].confidence, 1.0);
        assert_eq!(m[2].confidence, 0.75);
    }

    #[test]
    fn no_header_guesses_from_values_like_cdnow() {
        let sample: Vec<Vec<String>> = [
            ["00001", "19970101", "1", "11.77"],
            ["00002", "19970112", "1", "12.00"],
            ["00002", "19970112", "5", "77.00"],
            ["00003", "19970102", "2", "20.76"],
        ]
        .iter()
        .map(|r| strings(r))
        .collect();
        let m = auto_map(None, &sample, 4, DateOrder::DayFirst);
        assert_eq!(fields(&m), vec![Some(Field::MemberId), Some(Field::Date), None, Some(Field::Amount)]);
        assert!(m.iter().flat_map(|c| c.field.map(|_| c.confidence)).all(|c| c < 1.0));
    }

    #[test]
    fn an_unknown_header_is_not_taken_for_an_id() {
        let h = strings(&["name", "colour"]);
        let m = auto_map(Some(&h), &[strings(&["x", "y"])], 2, DateOrder::DayFirst);
        assert_eq!(fields(&m), vec![Some(Field::Name), None]);
    }

    #[test]
    fn phone_numbers_normalised_and_card_numbers_left_alone() {
        for raw in ["13800138000", "+86 138 0013 8000", "+86-138-0013-8000", "0086 13800138000", "8613800138000", "(+86)138.0013.8000", "１３８００１３８０００", "13800138000.0", "'13800138000"] {
            assert_eq!(normalize_phone(raw), "13800138000", "{raw}");
        }
        assert_eq!(normalize_phone("+86 21 6234 5678"), "2162345678");
        assert_eq!(normalize_phone("VIP-001"), "VIP-001");
        assert_eq!(normalize_phone("861234"), "861234", "a short number keeps its 86");
        assert!(is_mobile_number("+86 138-0013-8000"));
        assert!(!is_mobile_number("8800001"));
    }

    #[test]
    fn totals_words() {
        for w in ["合计", " 总计： ", "小计:", "Total", "GRAND TOTAL", "sum", "共计"] {
            assert!(is_totals_word(w), "{w}");
        }
        for w in ["", "合计金额", "totally", "1", "会员"] {
            assert!(!is_totals_word(w), "{w}");
        }
    }

    #[test]
    fn order_export_headers() {
        let h = strings(&["订单号", "下单时间", "买家昵称", "买家手机号", "会员卡号", "商品名称", "商品实付金额", "订单实付金额", "订单状态"]);
        let m = auto_map(Some(&h), &[], h.len(), DateOrder::DayFirst);
        assert_eq!(m[2].field, None, "a nickname is not a name");
        assert_eq!(
            fields(&m),
            vec![
                Some(Field::OrderNo),
                Some(Field::Date),
                None,
                Some(Field::Phone),
                Some(Field::MemberId),
                Some(Field::Category),
                Some(Field::Paid),
                Some(Field::Amount),
                Some(Field::Kind)
            ]
        );
        assert!(is_status_header("Financial Status") && is_status_header("订单状态") && !is_status_header("类型"));
        // `Created at` beside an order number is the order's date.
        let h = strings(&["Order ID", "Customer ID", "Created at", "Total"]);
        let m = auto_map(Some(&h), &[], h.len(), DateOrder::DayFirst);
        assert_eq!(fields(&m), vec![Some(Field::OrderNo), Some(Field::MemberId), Some(Field::Date), Some(Field::Amount)]);
    }

    #[test]
    fn a_repeated_order_total_is_found() {
        let rows: Vec<Vec<String>> = [
            ["A", "100", "150", "2"],
            ["A", "50", "150", "1"],
            ["B", "80", "80", "1"],
            ["C", "10", "30", "1"],
            ["C", "20", "", "3"],
        ]
        .iter()
        .map(|r| strings(r))
        .collect();
        assert_eq!(order_total_columns(&rows, 0, &[], &[1, 2, 3], &[1], true), vec![(2, 1)]);
        // Without two orders of two lines nothing can be said.
        assert!(order_total_columns(&rows[..3], 0, &[], &[1, 2, 3], &[1], true).is_empty());
        // Nor when the last order may be cut: only A is left to judge.
        assert!(order_total_columns(&rows, 0, &[], &[1, 2, 3], &[1], false).is_empty());
        assert_eq!(filled_share(&rows, 2), 0.8);
        assert!(is_money_column(&rows, 2) && !is_money_column(&rows, 0));
    }

    #[test]
    fn header_keys() {
        assert_eq!(header_key(" 实收金额（元） "), "实收金额");
        assert_eq!(header_key("Member_ID"), "memberid");
        assert_eq!(header_key("\u{feff}ＩＤ"), "id");
    }
}
