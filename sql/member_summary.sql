-- Member summary: one row per member with a sale, refund or other row up to the analysis date D,
-- with exactly the engine's definitions (crates/engine/src/summary.rs). One portable text for
-- DuckDB and Spark SQL; reads the views of sql/analysis_day.sql and sql/orders.sql (run those
-- first; sql/README.md).
-- Output columns, in this order: member_id, analysis_date, first_purchase, last_purchase,
-- purchase_days, orders, orders_12m, orders_6m, gross_spend, net_spend, promo_spend, spend_12m,
-- first_day_spend, longest_gap_days, then the derived avg_ticket, max_ticket, recency_days,
-- tenure_days, mean_gap_days, promo_share, x, t_x, T, mean_repeat_spend.
-- Parameters: those of `params(analysis_date DATE, sleeping_days INT, kind_is_status BOOLEAN)`,
-- through the views. D is the end of day analysis_date.
WITH p AS (
  SELECT * FROM analysis_day
),
-- The orders up to D as the import reads them (sql/orders.sql).
tx AS (
  SELECT * FROM orders_to_d
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
