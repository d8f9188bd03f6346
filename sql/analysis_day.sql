-- Step 1 of the warehouse SQL (sql/README.md): the parameters as day numbers. Creates the
-- temporary view `analysis_day(analysis_date, sleeping_days, kind_is_status, d_no, d_mk)` from the
-- caller's one-row `params(analysis_date DATE, sleeping_days INT, kind_is_status BOOLEAN)`: D's
-- day number since 1970-01-01 and its month key (year × 12 + month − 1). D is the end of day
-- analysis_date. One portable statement for DuckDB and Spark SQL.
CREATE OR REPLACE TEMPORARY VIEW analysis_day AS
SELECT analysis_date, sleeping_days, kind_is_status, d_no,
       CAST(EXTRACT(YEAR FROM analysis_date) * 12 + EXTRACT(MONTH FROM analysis_date) - 1 AS BIGINT) AS d_mk
FROM (
  SELECT analysis_date, CAST(sleeping_days AS BIGINT) AS sleeping_days, kind_is_status,
         -- Days since 1970-01-01 by the civil calendar (integer arithmetic: no dialect's
         -- date functions), the same formula as sql/orders.sql's for the rows.
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
