-- Insights read integers from covering indexes instead of parsing every
-- timestamp on every request. Each duration of metrics.md is a generated
-- column: computed from the row itself, so it can never disagree with it.
-- A duration is NULL when either timestamp is missing or the incident is
-- excluded (duplicate, declined); it is never measured against now().
--
-- PostgreSQL differences from the SQLite migration:
--   * STORED, not VIRTUAL: PostgreSQL 15 has stored generated columns only
--     (and indexes need them stored anyway). They are recomputed on every
--     INSERT and UPDATE of the row, and AFTER triggers see the new values.
--   * Generation expressions must be IMMUTABLE, and every function reading a
--     timestamptz by calendar (extract, to_char, date_trunc) is only STABLE
--     because it depends on the session TimeZone. So each timestamp is first
--     turned into UTC wall-clock time with `AT TIME ZONE 'UTC'` (immutable),
--     and then read with extract() on that timestamp (immutable).
--   * unixepoch(t) is floor(extract(epoch FROM t AT TIME ZONE 'UTC'))::bigint:
--     whole seconds, the fraction dropped as unixepoch() drops it.
--   * substr(t, 1, 7) of an RFC 3339 UTC text is the UTC 'YYYY-MM'; here it
--     is built from extract(year) and extract(month), zero-padded.
--   * began_at is TIMESTAMPTZ like the columns it coalesces (SQLite: TEXT).
ALTER TABLE incidents ADD COLUMN began_at TIMESTAMPTZ
    GENERATED ALWAYS AS (coalesce(started_at, declared_at)) STORED;
ALTER TABLE incidents ADD COLUMN began_month TEXT GENERATED ALWAYS AS (
    lpad(extract(year FROM coalesce(started_at, declared_at) AT TIME ZONE 'UTC')::integer::text, 4, '0')
    || '-' ||
    lpad(extract(month FROM coalesce(started_at, declared_at) AT TIME ZONE 'UTC')::integer::text, 2, '0')
) STORED;
ALTER TABLE incidents ADD COLUMN ttd_s BIGINT GENERATED ALWAYS AS (
    CASE WHEN status NOT IN ('duplicate', 'declined')
    THEN floor(extract(epoch FROM detected_at AT TIME ZONE 'UTC'))::bigint
       - floor(extract(epoch FROM started_at AT TIME ZONE 'UTC'))::bigint END) STORED;
ALTER TABLE incidents ADD COLUMN tta_s BIGINT GENERATED ALWAYS AS (
    CASE WHEN status NOT IN ('duplicate', 'declined')
    THEN floor(extract(epoch FROM acknowledged_at AT TIME ZONE 'UTC'))::bigint
       - floor(extract(epoch FROM detected_at AT TIME ZONE 'UTC'))::bigint END) STORED;
ALTER TABLE incidents ADD COLUMN ttm_s BIGINT GENERATED ALWAYS AS (
    CASE WHEN status NOT IN ('duplicate', 'declined')
    THEN floor(extract(epoch FROM mitigated_at AT TIME ZONE 'UTC'))::bigint
       - floor(extract(epoch FROM started_at AT TIME ZONE 'UTC'))::bigint END) STORED;
ALTER TABLE incidents ADD COLUMN ttr_s BIGINT GENERATED ALWAYS AS (
    CASE WHEN status NOT IN ('duplicate', 'declined')
    THEN floor(extract(epoch FROM resolved_at AT TIME ZONE 'UTC'))::bigint
       - floor(extract(epoch FROM started_at AT TIME ZONE 'UTC'))::bigint END) STORED;
-- Customer impact: started → mitigated when both are known, else 0.
ALTER TABLE incidents ADD COLUMN impact_s BIGINT GENERATED ALWAYS AS (
    coalesce(floor(extract(epoch FROM mitigated_at AT TIME ZONE 'UTC'))::bigint
           - floor(extract(epoch FROM started_at AT TIME ZONE 'UTC'))::bigint, 0)) STORED;

-- One index per duration, ordered by it: n and the sum in one range scan,
-- and a percentile as `ORDER BY … LIMIT 1 OFFSET rank - 1`, with the
-- filters (severity, time range, incident id) checked inside the index.
CREATE INDEX incidents_ttd ON incidents (ttd_s, severity, began_at, status) WHERE ttd_s IS NOT NULL;
CREATE INDEX incidents_tta ON incidents (tta_s, severity, began_at, status) WHERE tta_s IS NOT NULL;
CREATE INDEX incidents_ttm ON incidents (ttm_s, severity, began_at, status) WHERE ttm_s IS NOT NULL;
CREATE INDEX incidents_ttr ON incidents (ttr_s, severity, began_at, status) WHERE ttr_s IS NOT NULL;

-- The monthly median TTR: each month's middle value by position.
CREATE INDEX incidents_ttr_month ON incidents (began_month, ttr_s, severity, began_at)
    WHERE ttr_s IS NOT NULL;

-- The rest of the page (totals, months, open and excluded lists, repeats)
-- reads this one; it replaces the timestamp index of migration 0007.
DROP INDEX incidents_metrics;
CREATE INDEX incidents_insights ON incidents (
    began_month, severity, status, began_at, ttr_s, impact_s, repeat_of
);
-- The factor and service rankings join by incident id; this index answers
-- those lookups without reading (and re-computing) the whole row.
CREATE INDEX incidents_facts ON incidents (id, status, impact_s, severity, began_at);
