-- Monthly aggregates for the churn, cohort and overview pages, as a long table (measure, month,
-- month_offset, visits, measure_value), with exactly the engine's definitions
-- (crates/engine/src/churn.rs, overview.rs). One portable text for DuckDB and Spark SQL; reads
-- the views of sql/analysis_day.sql and sql/orders.sql (run those first; sql/README.md), which
-- carry the parameters `params(analysis_date DATE, sleeping_days INT, kind_is_status BOOLEAN)`.
-- D is the end of day analysis_date.
WITH p AS (
  SELECT * FROM analysis_day
),
-- The orders up to D as the import reads them (sql/orders.sql).
tx AS (
  SELECT * FROM orders_to_d
),
digits AS (
  SELECT n FROM (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (8), (9)) AS t(n)
),
-- 0 .. 9999: month offsets of a series (up to 833 years).
nums AS (
  SELECT a.n + 10 * b.n + 100 * c.n + 1000 * e.n AS n
  FROM digits AS a CROSS JOIN digits AS b CROSS JOIN digits AS c CROSS JOIN digits AS e
),
-- Overview: net sales (members and walk-ins, no top-ups) and members with a purchase, per month
-- from the first row's month (top-ups and walk-ins included) to D's month.
overview_months AS (
  SELECT first_mk + n AS mk
  FROM nums CROSS JOIN (SELECT MIN(mk) AS first_mk FROM tx) AS b CROSS JOIN p
  WHERE first_mk IS NOT NULL AND n <= d_mk - first_mk
),
by_month AS (
  SELECT mk,
         SUM(CASE WHEN kind <> 'T' THEN amt ELSE 0 END) AS revenue,
         COUNT(DISTINCT CASE WHEN member_id IS NOT NULL AND kind = 'S' AND amt >= 0 THEN member_id END) AS active_members
  FROM tx GROUP BY mk
),
-- Members' purchase days (sales of zero or more) up to D.
pdays AS (
  SELECT DISTINCT member_id, day_no, mk FROM tx WHERE member_id IS NOT NULL AND kind = 'S' AND amt >= 0
),
-- Churn months: from the first purchase's month to D's month.
churn_months AS (
  SELECT first_mk + n AS mk
  FROM nums CROSS JOIN (SELECT MIN(mk) AS first_mk FROM pdays) AS b CROSS JOIN p
  WHERE first_mk IS NOT NULL AND n <= d_mk - first_mk
),
-- Active spells: a purchase more than sleeping_days after the previous one starts a new spell;
-- a spell's member turns sleeping on its last purchase day + sleeping_days (s).
spell_marks AS (
  SELECT member_id, day_no, mk,
         CASE WHEN day_no - LAG(day_no) OVER (PARTITION BY member_id ORDER BY day_no) <= sleeping_days THEN 0 ELSE 1 END AS starts
  FROM pdays CROSS JOIN p
),
spell_numbered AS (
  SELECT member_id, day_no, mk,
         SUM(starts) OVER (PARTITION BY member_id ORDER BY day_no ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS spell
  FROM spell_marks
),
spell_ends AS (
  SELECT member_id, spell, MIN(mk) AS mk_a, MAX(day_no) + MAX(sleeping_days) AS s
  FROM spell_numbered CROSS JOIN p
  GROUP BY member_id, spell
),
-- The month key of s: the civil calendar's day number to year and month (integer arithmetic).
spell_z AS (
  SELECT member_id, spell, mk_a, s, z - 146097 * FLOOR(z / 146097) AS doe, FLOOR(z / 146097) AS era
  FROM (SELECT spell_ends.*, s + 719468 AS z FROM spell_ends) AS z0
),
spell_y AS (
  SELECT member_id, spell, mk_a, s, era, doe,
         FLOOR((doe - FLOOR(doe / 1460) + FLOOR(doe / 36524) - FLOOR(doe / 146096)) / 365) AS yoe
  FROM spell_z
),
spell_m AS (
  SELECT member_id, spell, mk_a, s, era, yoe,
         FLOOR((5 * (doe - (365 * yoe + FLOOR(yoe / 4) - FLOOR(yoe / 100))) + 2) / 153) AS mp
  FROM spell_y
),
spells AS (
  SELECT member_id, spell, mk_a, s,
         CAST((yoe + era * 400 + CASE WHEN mp >= 10 THEN 1 ELSE 0 END) * 12
              + CASE WHEN mp < 10 THEN mp + 2 ELSE mp - 10 END AS BIGINT) AS mk_s,
         LEAD(mk_a) OVER (PARTITION BY member_id ORDER BY spell) AS next_mk
  FROM spell_m
),
-- Active at a month's start (the end of the day before its first day m): a < m <= s, so from
-- the month after a's to the month of s (or of D when s is later).
spell_active AS (
  SELECT mk_a, CASE WHEN s >= d_no THEN d_mk ELSE mk_s END AS mk_end FROM spells CROSS JOIN p
),
active_steps AS (
  SELECT mk, SUM(step) AS step
  FROM (
    SELECT mk_a + 1 AS mk, 1 AS step FROM spell_active WHERE mk_a < mk_end
    UNION ALL
    SELECT mk_end + 1 AS mk, -1 AS step FROM spell_active WHERE mk_a < mk_end
  ) AS steps
  GROUP BY mk
),
churn_series AS (
  SELECT cm.mk,
         SUM(COALESCE(st.step, 0)) OVER (ORDER BY cm.mk ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS active_at_start
  FROM churn_months AS cm LEFT JOIN active_steps AS st ON st.mk = cm.mk
),
-- Turned sleeping in s's month (s up to D), when active at its start and not back within it.
turned AS (
  SELECT mk_s AS mk, COUNT(*) AS turned_sleeping
  FROM spells CROSS JOIN p
  WHERE s <= d_no AND mk_a < mk_s AND (next_mk IS NULL OR next_mk <> mk_s)
  GROUP BY mk_s
),
-- Cohorts by first-purchase month: members, and members with a purchase k months later.
firsts AS (
  SELECT member_id, MIN(day_no) AS f, MIN(mk) AS cohort FROM pdays GROUP BY member_id
),
cohort_active AS (
  SELECT f.cohort, d.mk - f.cohort AS month_offset, COUNT(DISTINCT d.member_id) AS members
  FROM pdays AS d JOIN firsts AS f ON f.member_id = d.member_id
  GROUP BY f.cohort, d.mk - f.cohort
),
-- Second year: members first seen two full years before D (f + 729 <= D), by purchase days in
-- their first year (f .. f + 364), and whether they bought in the second (f + 365 .. f + 729).
first_years AS (
  SELECT f.member_id,
         SUM(CASE WHEN d.day_no < f.f + 365 THEN 1 ELSE 0 END) AS visits,
         MAX(CASE WHEN d.day_no >= f.f + 365 AND d.day_no < f.f + 730 THEN 1 ELSE 0 END) AS renewed
  FROM firsts AS f JOIN pdays AS d ON d.member_id = f.member_id CROSS JOIN p
  WHERE f.f + 729 <= p.d_no
  GROUP BY f.member_id
),
buckets AS (
  SELECT label, lo, hi FROM (VALUES ('1', 1, 1), ('2', 2, 2), ('3', 3, 3), ('4-5', 4, 5), ('6-9', 6, 9), ('10+', 10, 2147483647)) AS t(label, lo, hi)
),
second_year AS (
  SELECT b.label, COUNT(fy.member_id) AS members, COALESCE(SUM(fy.renewed), 0) AS renewed
  FROM buckets AS b LEFT JOIN first_years AS fy ON fy.visits >= b.lo AND fy.visits <= b.hi
  GROUP BY b.label
),
-- The 12 months' store figures (D − 364 ..= D, members and walk-ins).
last_12m AS (
  SELECT SUM(CASE WHEN kind <> 'T' THEN amt ELSE 0 END) AS revenue,
         SUM(CASE WHEN kind = 'S' AND amt > 0 THEN 1 ELSE 0 END) AS orders,
         SUM(CASE WHEN kind = 'S' AND amt > 0 THEN amt ELSE 0 END) AS gross,
         SUM(CASE WHEN kind <> 'T' AND member_id IS NULL THEN amt ELSE 0 END) AS walk_in
  FROM tx CROSS JOIN p WHERE day_no >= d_no - 364
),
measures AS (
  SELECT 'sleeping_days' AS measure, CAST(NULL AS BIGINT) AS mk, CAST(NULL AS BIGINT) AS month_offset, CAST(NULL AS STRING) AS visits,
         CAST(sleeping_days AS DECIMAL(38, 2)) AS measure_value FROM p
  UNION ALL
  SELECT 'active_at_start', mk, NULL, NULL, CAST(active_at_start AS DECIMAL(38, 2)) FROM churn_series
  UNION ALL
  SELECT 'turned_sleeping', cm.mk, NULL, NULL, CAST(COALESCE(t.turned_sleeping, 0) AS DECIMAL(38, 2))
  FROM churn_months AS cm LEFT JOIN turned AS t ON t.mk = cm.mk
  UNION ALL
  SELECT 'revenue', om.mk, NULL, NULL, CAST(COALESCE(bm.revenue, 0) AS DECIMAL(38, 2))
  FROM overview_months AS om LEFT JOIN by_month AS bm ON bm.mk = om.mk
  UNION ALL
  SELECT 'active_members', om.mk, NULL, NULL, CAST(COALESCE(bm.active_members, 0) AS DECIMAL(38, 2))
  FROM overview_months AS om LEFT JOIN by_month AS bm ON bm.mk = om.mk
  UNION ALL
  SELECT 'cohort_members', cohort, NULL, NULL, CAST(COUNT(*) AS DECIMAL(38, 2)) FROM firsts GROUP BY cohort
  UNION ALL
  SELECT 'cohort_active', cohort, month_offset, NULL, CAST(members AS DECIMAL(38, 2)) FROM cohort_active
  UNION ALL
  SELECT 'first_year_members', NULL, NULL, label, CAST(members AS DECIMAL(38, 2)) FROM second_year
  UNION ALL
  SELECT 'second_year_renewed', NULL, NULL, label, CAST(renewed AS DECIMAL(38, 2)) FROM second_year
  UNION ALL
  SELECT 'revenue_12m', NULL, NULL, NULL, CAST(COALESCE(revenue, 0) AS DECIMAL(38, 2)) FROM last_12m
  UNION ALL
  SELECT 'orders_12m', NULL, NULL, NULL, CAST(COALESCE(orders, 0) AS DECIMAL(38, 2)) FROM last_12m
  UNION ALL
  SELECT 'gross_12m', NULL, NULL, NULL, CAST(COALESCE(gross, 0) AS DECIMAL(38, 2)) FROM last_12m
  UNION ALL
  SELECT 'walk_in_revenue_12m', NULL, NULL, NULL, CAST(COALESCE(walk_in, 0) AS DECIMAL(38, 2)) FROM last_12m
)
SELECT measure,
       CASE WHEN mk IS NOT NULL
            THEN LPAD(CAST(CAST(FLOOR(mk / 12) AS BIGINT) AS STRING), 4, '0') || '-' || LPAD(CAST(CAST(MOD(mk, 12) + 1 AS BIGINT) AS STRING), 2, '0')
       END AS month,
       month_offset, visits, measure_value
FROM measures
ORDER BY measure, month, month_offset, visits
