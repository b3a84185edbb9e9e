-- Insights read integers from covering indexes instead of parsing every
-- timestamp on every request. Each duration of metrics.md is a VIRTUAL
-- generated column: computed from the row itself, so it can never disagree
-- with it, and stored only inside the indexes below, which SQLite keeps in
-- step within the writing transaction.
-- A duration is NULL when either timestamp is missing or the incident is
-- excluded (duplicate, declined); it is never measured against now().
ALTER TABLE incidents ADD COLUMN began_at TEXT
    GENERATED ALWAYS AS (coalesce(started_at, declared_at)) VIRTUAL;
ALTER TABLE incidents ADD COLUMN began_month TEXT
    GENERATED ALWAYS AS (substr(coalesce(started_at, declared_at), 1, 7)) VIRTUAL;
ALTER TABLE incidents ADD COLUMN ttd_s INTEGER GENERATED ALWAYS AS (
    CASE WHEN status NOT IN ('duplicate', 'declined')
    THEN unixepoch(detected_at) - unixepoch(started_at) END) VIRTUAL;
ALTER TABLE incidents ADD COLUMN tta_s INTEGER GENERATED ALWAYS AS (
    CASE WHEN status NOT IN ('duplicate', 'declined')
    THEN unixepoch(acknowledged_at) - unixepoch(detected_at) END) VIRTUAL;
ALTER TABLE incidents ADD COLUMN ttm_s INTEGER GENERATED ALWAYS AS (
    CASE WHEN status NOT IN ('duplicate', 'declined')
    THEN unixepoch(mitigated_at) - unixepoch(started_at) END) VIRTUAL;
ALTER TABLE incidents ADD COLUMN ttr_s INTEGER GENERATED ALWAYS AS (
    CASE WHEN status NOT IN ('duplicate', 'declined')
    THEN unixepoch(resolved_at) - unixepoch(started_at) END) VIRTUAL;
-- Customer impact: started → mitigated when both are known, else 0.
ALTER TABLE incidents ADD COLUMN impact_s INTEGER GENERATED ALWAYS AS (
    coalesce(unixepoch(mitigated_at) - unixepoch(started_at), 0)) VIRTUAL;

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
