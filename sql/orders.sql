-- Step 2 of the warehouse SQL (sql/README.md): the orders up to D as the app's import reads the
-- table `transactions` (crates/engine/src/import: statuses and types, refunds, discounts, order
-- lines merged). Creates the temporary view `orders_to_d(member_id, tx_date, kind, amt, disc,
-- day_no, mk)`: kind S sale, R refund, T top-up; amt and disc in yuan (refunds negative); day_no
-- days since 1970-01-01; mk the month key; member_id NULL for a walk-in. Needs `analysis_day`
-- (sql/analysis_day.sql). One portable statement for DuckDB and Spark SQL; member_summary.sql
-- and monthly_aggregates.sql read it.
CREATE OR REPLACE TEMPORARY VIEW orders_to_d AS
WITH p AS (
  SELECT analysis_day.*, n_paid > 0 AS uses_paid
  FROM analysis_day
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
)
-- Up to D, with each order's day number and month key (year × 12 + month − 1).
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
