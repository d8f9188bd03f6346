-- Member summary: one row per member with a sale, refund or other row up to the analysis date D,
-- with exactly the engine's definitions (crates/engine/src/summary.rs). One portable text for
-- DuckDB and Spark SQL; reads the table `transactions` and the one-row `params` (sql/README.md).
-- Output columns, in this order: member_id, analysis_date, first_purchase, last_purchase,
-- purchase_days, orders, orders_12m, orders_6m, gross_spend, net_spend, promo_spend, spend_12m,
-- first_day_spend, longest_gap_days, then the derived avg_ticket, max_ticket, recency_days,
-- tenure_days, mean_gap_days, promo_share, x, t_x, T, mean_repeat_spend.
-- Parameters: the caller's one-row table or view `params(analysis_date DATE, sleeping_days INT,
-- kind_is_status BOOLEAN)` (see sql/README.md). D is the end of day analysis_date.
WITH p AS (
  SELECT analysis_date, sleeping_days, kind_is_status, d_no,
         CAST(EXTRACT(YEAR FROM analysis_date) * 12 + EXTRACT(MONTH FROM analysis_date) - 1 AS BIGINT) AS d_mk,
         n_paid > 0 AS uses_paid
  FROM (
    SELECT analysis_date, CAST(sleeping_days AS BIGINT) AS sleeping_days, kind_is_status,
           -- Days since 1970-01-01 by the civil calendar (integer arithmetic: no dialect's
           -- date functions), the same formula as for the rows below.
           CAST(146097 * FLOOR(yy / 400) + (yy - 400 * FLOOR(yy / 400)) * 365
                + FLOOR((yy - 400 * FLOOR(yy / 400)) / 4) - FLOOR((yy - 400 * FLOOR(yy / 400)) / 100)
                + FLOOR((153 * (CASE WHEN mm > 2 THEN mm - 3 ELSE mm + 9 END) + 2) / 5) + dd - 1 - 719468 AS BIGINT) AS d_no
    FROM (
      SELECT analysis_date, sleeping_days, kind_is_status,
             EXTRACT(YEAR FROM analysis_date) - CASE WHEN EXTRACT(MONTH FROM analysis_date) <= 2 THEN 1 ELSE 0 END AS yy,
             EXTRACT(MONTH FROM analysis_date) AS mm, EXTRACT(DAY FROM analysis_date) AS dd
      FROM params
    ) AS p0
  ) AS p1
  -- The revenue is the money paid when the table has it (any paid value), else the amount:
  -- the import decides per file, by the column.
  CROSS JOIN (SELECT COUNT(paid) AS n_paid FROM transactions) AS has_paid
),
-- The rows as the import reads them: ids, order numbers and statuses trimmed, empty is none.
cells AS (
  SELECT NULLIF(TRIM(CAST(member_id AS STRING)), '') AS member_id,
         CAST(CAST(tx_time AS TIMESTAMP) AS DATE) AS tx_date,
         CAST(paid AS DECIMAL(18, 2)) AS paid,
         CAST(amount AS DECIMAL(18, 2)) AS amount,
         CAST(discount AS DECIMAL(18, 2)) AS discount,
         NULLIF(TRIM(CAST(order_no AS STRING)), '') AS order_no,
         NULLIF(TRIM(CAST(kind AS STRING)), '') AS kind_text
  FROM transactions
),
-- A line with an empty status takes its order's (the status of its order number's other lines).
statused AS (
  SELECT member_id, tx_date, paid, amount, discount, order_no,
         COALESCE(kind_text, CASE WHEN order_no IS NOT NULL THEN MAX(kind_text) OVER (PARTITION BY order_no) END) AS kind_text
  FROM cells
),
-- What a type or status means: the import's default_kind_meaning (crates/engine/src/import/plan.rs).
meant AS (
  SELECT s.*,
         CASE
           WHEN kind_text IS NULL THEN 'none'
           WHEN kind_key IN ('交易成功', '交易完成', '已完成', '完成', '已付款', '已支付', '支付成功', '已发货', '待发货', '待收货', '已收货', '已签收',
                             '退款中', '退款关闭', '退款失败', '部分退款', '交易成功(部分退款)', '已發貨', '待發貨', '已簽收',
                             'completed', 'complete', 'paid', 'shipped', 'fulfilled', 'delivered', 'authorized', 'partiallypaid', 'partiallyrefunded', 'success')
             THEN 'sale'
           WHEN kind_key IN ('交易关闭', '已关闭', '关闭', '订单关闭', '交易取消', '已取消', '取消', '待付款', '未付款', '等待买家付款', '待支付', '未支付',
                             '已失效', '失效', '交易關閉', '已關閉', '已取消訂單',
                             'cancelled', 'canceled', 'closed', 'unpaid', 'pendingpayment', 'pending', 'voided')
             THEN 'not_sale'
           WHEN kind_key IN ('已退款', '退款成功', '全额退款', '全額退款', 'refunded') THEN 'refund'
           WHEN kind_low LIKE '%退%' OR kind_low LIKE '%refund%' OR kind_low LIKE '%return%' OR kind_low LIKE '%void%' OR kind_low LIKE '%撤销%' THEN 'refund'
           WHEN kind_low LIKE '%充值%' OR kind_low LIKE '%储值%' OR kind_low LIKE '%儲值%' OR kind_low LIKE '%top%' OR kind_low LIKE '%recharge%' OR kind_low LIKE '%deposit%' THEN 'top_up'
           ELSE 'sale'
         END AS meaning
  FROM (
    SELECT statused.*, LOWER(kind_text) AS kind_low,
           REPLACE(REPLACE(REPLACE(LOWER(kind_text), ' ', ''), '_', ''), '-', '') AS kind_key
    FROM statused
  ) AS s
),
-- Rows used: not a closed or unpaid order, with a date and money. S sale, R refund, T top-up.
typed AS (
  SELECT member_id, tx_date, order_no, meaning, money, amount, discount, uses_paid, kind_is_status,
         CASE WHEN meaning = 'refund' THEN 'R' WHEN meaning = 'top_up' THEN 'T' WHEN money < 0 THEN 'R' ELSE 'S' END AS kind
  FROM (
    SELECT m.*, CASE WHEN p.uses_paid THEN m.paid ELSE m.amount END AS money, p.uses_paid, p.kind_is_status
    FROM meant AS m CROSS JOIN p
  ) AS x
  WHERE meaning <> 'not_sale' AND tx_date IS NOT NULL AND money IS NOT NULL
),
valued AS (
  SELECT member_id, tx_date, order_no, kind,
         CASE WHEN kind = 'R' THEN -ABS(money) ELSE money END AS amt,
         -- A discount column's value; else, with paid and amount both there, amount − paid.
         CASE WHEN discount IS NOT NULL THEN ABS(discount)
              WHEN uses_paid AND kind = 'S' AND amount IS NOT NULL THEN LEAST(GREATEST(amount - money, 0), ABS(money))
              ELSE 0 END AS disc,
         -- An order status "refunded" on a positive amount: a sale, then its refund.
         (kind_is_status AND meaning = 'refund' AND money > 0) AS refunded_order
  FROM typed
),
-- A refunded order's row is read twice (copy 2: its refund). One pass over the rows: engines
-- that inline a CTE at each use (Spark) would read them again for every UNION branch.
lines AS (
  SELECT member_id, tx_date, order_no,
         CASE WHEN copy = 2 THEN 'R' WHEN refunded_order THEN 'S' ELSE kind END AS kind,
         CASE WHEN refunded_order AND copy = 1 THEN -amt ELSE amt END AS amt,
         CASE WHEN copy = 2 THEN 0 ELSE disc END AS disc
  FROM valued CROSS JOIN (VALUES (1), (2)) AS copies(copy)
  WHERE copy = 1 OR refunded_order
),
-- Order lines with the same order number, member and day are one order (one per kind); a row
-- without an order number is one of its own (numbered among its member's rows of the day).
numbered AS (
  SELECT lines.*,
         CASE WHEN order_no IS NULL
              THEN ROW_NUMBER() OVER (PARTITION BY member_id, tx_date, order_no ORDER BY kind, amt, disc)
              ELSE 0 END AS line_no
  FROM lines
),
orders AS (
  SELECT member_id, tx_date, kind, SUM(amt) AS amt, SUM(disc) AS disc
  FROM numbered
  GROUP BY order_no, line_no, member_id, tx_date, kind
),
-- Up to D, with each order's day number and month key (year × 12 + month − 1).
tx AS (
  SELECT member_id, tx_date, kind, amt, disc, day_no, mk
  FROM (
    SELECT member_id, tx_date, kind, amt, disc,
           CAST(146097 * FLOOR(yy / 400) + (yy - 400 * FLOOR(yy / 400)) * 365
                + FLOOR((yy - 400 * FLOOR(yy / 400)) / 4) - FLOOR((yy - 400 * FLOOR(yy / 400)) / 100)
                + FLOOR((153 * (CASE WHEN mm > 2 THEN mm - 3 ELSE mm + 9 END) + 2) / 5) + dd - 1 - 719468 AS BIGINT) AS day_no,
           CAST(EXTRACT(YEAR FROM tx_date) * 12 + mm - 1 AS BIGINT) AS mk
    FROM (
      SELECT orders.*,
             EXTRACT(YEAR FROM tx_date) - CASE WHEN EXTRACT(MONTH FROM tx_date) <= 2 THEN 1 ELSE 0 END AS yy,
             EXTRACT(MONTH FROM tx_date) AS mm, EXTRACT(DAY FROM tx_date) AS dd
      FROM orders
    ) AS o0
  ) AS o1
  WHERE day_no <= (SELECT d_no FROM p)
),
member_tx AS (
  SELECT * FROM tx WHERE member_id IS NOT NULL
),
-- Purchase days: days with a sale of zero or more (a free visit is a visit, not an order).
purchase_days AS (
  SELECT member_id, tx_date, day_no, SUM(amt) AS day_gross
  FROM member_tx WHERE kind = 'S' AND amt >= 0
  GROUP BY member_id, tx_date, day_no
),
gaps AS (
  SELECT member_id, tx_date, day_no, day_gross,
         day_no - LAG(day_no) OVER (PARTITION BY member_id ORDER BY day_no) AS gap,
         MIN(day_no) OVER (PARTITION BY member_id) AS first_no
  FROM purchase_days
),
by_days AS (
  SELECT member_id, COUNT(*) AS purchase_days, MIN(tx_date) AS first_purchase, MAX(tx_date) AS last_purchase,
         MIN(day_no) AS first_no, MAX(day_no) AS last_no, MAX(gap) AS longest_gap,
         SUM(CASE WHEN day_no = first_no THEN day_gross ELSE 0 END) AS first_day_gross
  FROM gaps GROUP BY member_id
),
-- Orders are sales above zero; net spend is sales and refunds, never top-ups. 12 months are
-- D − 364 ..= D, 6 months D − 181 ..= D.
by_money AS (
  SELECT member_id,
         SUM(CASE WHEN kind = 'S' AND amt > 0 THEN 1 ELSE 0 END) AS orders,
         SUM(CASE WHEN kind = 'S' AND amt > 0 AND day_no >= d_no - 364 THEN 1 ELSE 0 END) AS orders_12m,
         SUM(CASE WHEN kind = 'S' AND amt > 0 AND day_no >= d_no - 181 THEN 1 ELSE 0 END) AS orders_6m,
         SUM(CASE WHEN kind = 'S' AND amt > 0 THEN amt ELSE 0 END) AS gross,
         SUM(CASE WHEN kind <> 'T' THEN amt ELSE 0 END) AS net,
         SUM(CASE WHEN kind = 'S' AND amt > 0 AND disc > 0 THEN amt ELSE 0 END) AS promo,
         SUM(CASE WHEN kind <> 'T' AND day_no >= d_no - 364 THEN amt ELSE 0 END) AS spend_12m,
         MAX(CASE WHEN kind = 'S' AND amt > 0 THEN amt END) AS max_ticket
  FROM member_tx CROSS JOIN p
  GROUP BY member_id
),
-- Whole cents as BIGINT for the derived figures (ratios of integers, as the engine divides).
cents AS (
  SELECT m.member_id, d.first_purchase, d.last_purchase, d.first_no, d.last_no, d.longest_gap,
         COALESCE(d.purchase_days, 0) AS purchase_days,
         m.orders, m.orders_12m, m.orders_6m,
         CAST(m.gross * 100 AS BIGINT) AS gross_c,
         CAST(m.net * 100 AS BIGINT) AS net_c,
         CAST(m.promo * 100 AS BIGINT) AS promo_c,
         CAST(m.spend_12m * 100 AS BIGINT) AS spend_12m_c,
         CAST(COALESCE(d.first_day_gross, 0) * 100 AS BIGINT) AS first_day_c,
         CAST(COALESCE(m.max_ticket, 0) * 100 AS BIGINT) AS max_ticket_c
  FROM by_money AS m LEFT JOIN by_days AS d ON d.member_id = m.member_id
)
SELECT
  c.member_id,
  CAST(p.analysis_date AS STRING) AS analysis_date,
  CAST(c.first_purchase AS STRING) AS first_purchase,
  CAST(c.last_purchase AS STRING) AS last_purchase,
  CAST(c.purchase_days AS BIGINT) AS purchase_days,
  CAST(c.orders AS BIGINT) AS orders,
  CAST(c.orders_12m AS BIGINT) AS orders_12m,
  CAST(c.orders_6m AS BIGINT) AS orders_6m,
  CAST(CAST(c.gross_c AS DECIMAL(38, 2)) * 0.01 AS DECIMAL(38, 2)) AS gross_spend,
  CAST(CAST(c.net_c AS DECIMAL(38, 2)) * 0.01 AS DECIMAL(38, 2)) AS net_spend,
  CAST(CAST(c.promo_c AS DECIMAL(38, 2)) * 0.01 AS DECIMAL(38, 2)) AS promo_spend,
  CAST(CAST(c.spend_12m_c AS DECIMAL(38, 2)) * 0.01 AS DECIMAL(38, 2)) AS spend_12m,
  CAST(CAST(c.first_day_c AS DECIMAL(38, 2)) * 0.01 AS DECIMAL(38, 2)) AS first_day_spend,
  CAST(c.longest_gap AS BIGINT) AS longest_gap_days,
  -- Gross spend per order in whole cents (truncated), 0 without orders.
  CAST(CAST(CASE WHEN c.orders > 0 AND c.gross_c > 0 THEN CAST((c.gross_c - MOD(c.gross_c, c.orders)) / c.orders AS BIGINT) ELSE 0 END AS DECIMAL(38, 2)) * 0.01 AS DECIMAL(38, 2)) AS avg_ticket,
  CAST(CAST(c.max_ticket_c AS DECIMAL(38, 2)) * 0.01 AS DECIMAL(38, 2)) AS max_ticket,
  CAST(p.d_no - c.last_no AS BIGINT) AS recency_days,
  CAST(p.d_no - c.first_no AS BIGINT) AS tenure_days,
  CASE WHEN c.purchase_days > 1 THEN CAST(c.last_no - c.first_no AS DOUBLE) / CAST(c.purchase_days - 1 AS DOUBLE) END AS mean_gap_days,
  CASE WHEN c.orders > 0 AND c.gross_c > 0
       THEN LEAST(GREATEST(CAST(c.promo_c AS DOUBLE) / CAST(c.gross_c AS DOUBLE), 0.0), 1.0) ELSE 0.0 END AS promo_share,
  CAST(GREATEST(c.purchase_days - 1, 0) AS BIGINT) AS x,
  CAST(COALESCE(c.last_no - c.first_no, 0) AS BIGINT) AS t_x,
  CAST(COALESCE(p.d_no - c.first_no, 0) AS BIGINT) AS T,
  CASE WHEN c.purchase_days > 1
       THEN CAST(c.gross_c - c.first_day_c AS DOUBLE) / CAST(c.purchase_days - 1 AS DOUBLE) / 100.0 ELSE 0.0 END AS mean_repeat_spend
FROM cents AS c CROSS JOIN p
ORDER BY c.member_id
