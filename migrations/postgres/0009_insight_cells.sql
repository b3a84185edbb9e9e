-- Summary cells for the recurring-cause rankings: per month, severity and
-- factor (or service), how many counted incidents carry it and their
-- customer impact. Triggers keep them in the writing transaction, so a
-- cell can never disagree with the rows it sums. A ranking over whole
-- months reads a few thousand cells instead of joining every incident;
-- the part of a time range that cuts a month is read from the rows.
--
-- An incident counts when it is not excluded (duplicate, declined), as in
-- the rankings' row queries. `month` is its `began_month`, or '' when it
-- has no time at all (only a range with no bounds includes those).
--
-- PostgreSQL differences from the SQLite migration:
--   * Each SQLite trigger is a plpgsql function of the same name and a
--     FOR EACH ROW trigger of the same name, event and column list (UPDATE OF
--     fires when a listed column is in the SET list, as in SQLite).
--   * SQLite's boolean expressions are integers; here they are cast with
--     ::integer, and sum(<boolean>) is count(*) FILTER (WHERE …).
--   * ON CONFLICT DO UPDATE names its conflict target (PostgreSQL requires
--     it), and the existing row's columns are qualified with the table name.
--   * WITHOUT ROWID has no PostgreSQL equivalent: plain heap tables with
--     the same primary keys.
CREATE TABLE factor_cells (
    month     TEXT    NOT NULL,
    severity  TEXT    NOT NULL,
    factor_id BIGINT  NOT NULL,
    n         BIGINT  NOT NULL,
    impact_s  BIGINT  NOT NULL,
    PRIMARY KEY (month, severity, factor_id)
);

CREATE TABLE service_cells (
    month    TEXT    NOT NULL,
    severity TEXT    NOT NULL,
    service  TEXT    NOT NULL,
    n        BIGINT  NOT NULL,
    impact_s BIGINT  NOT NULL,
    PRIMARY KEY (month, severity, service)
);

INSERT INTO factor_cells (month, severity, factor_id, n, impact_s)
SELECT coalesce(i.began_month, ''), i.severity, f.factor_id, count(*), sum(i.impact_s)
FROM incident_factors f JOIN incidents i ON i.id = f.incident_id
WHERE i.status NOT IN ('duplicate', 'declined')
GROUP BY 1, 2, 3;

INSERT INTO service_cells (month, severity, service, n, impact_s)
SELECT coalesce(i.began_month, ''), i.severity, s.service, count(*), sum(i.impact_s)
FROM incident_services s JOIN incidents i ON i.id = s.incident_id
WHERE i.status NOT IN ('duplicate', 'declined')
GROUP BY 1, 2, 3;

-- Per month and severity: every incident, the counted ones (not
-- excluded), the resolved ones, the counted incidents' impact, and for
-- each duration its n, its sum and how many of those are resolved: the
-- selection totals, the incidents-per-month chart and each metric's
-- count and mean. Percentiles still walk the metric's index.
CREATE TABLE month_cells (
    month        TEXT    NOT NULL,
    severity     TEXT    NOT NULL,
    incidents    BIGINT  NOT NULL,
    counted      BIGINT  NOT NULL,
    resolved     BIGINT  NOT NULL,
    impact_s     BIGINT  NOT NULL,
    ttd_n        BIGINT  NOT NULL,
    ttd_sum      BIGINT  NOT NULL,
    ttd_resolved BIGINT  NOT NULL,
    tta_n        BIGINT  NOT NULL,
    tta_sum      BIGINT  NOT NULL,
    tta_resolved BIGINT  NOT NULL,
    ttm_n        BIGINT  NOT NULL,
    ttm_sum      BIGINT  NOT NULL,
    ttm_resolved BIGINT  NOT NULL,
    ttr_n        BIGINT  NOT NULL,
    ttr_sum      BIGINT  NOT NULL,
    ttr_resolved BIGINT  NOT NULL,
    PRIMARY KEY (month, severity)
);

INSERT INTO month_cells (month, severity, incidents, counted, resolved, impact_s, ttd_n, ttd_sum, ttd_resolved, tta_n, tta_sum, tta_resolved, ttm_n, ttm_sum, ttm_resolved, ttr_n, ttr_sum, ttr_resolved)
SELECT coalesce(began_month, ''), severity,
       count(*),
       count(*) FILTER (WHERE status NOT IN ('duplicate', 'declined')),
       count(*) FILTER (WHERE status = 'resolved'),
       coalesce(sum(CASE WHEN status NOT IN ('duplicate', 'declined') THEN impact_s END), 0),
       count(ttd_s),
       coalesce(sum(ttd_s), 0),
       count(*) FILTER (WHERE ttd_s IS NOT NULL AND status = 'resolved'),
       count(tta_s),
       coalesce(sum(tta_s), 0),
       count(*) FILTER (WHERE tta_s IS NOT NULL AND status = 'resolved'),
       count(ttm_s),
       coalesce(sum(ttm_s), 0),
       count(*) FILTER (WHERE ttm_s IS NOT NULL AND status = 'resolved'),
       count(ttr_s),
       coalesce(sum(ttr_s), 0),
       count(*) FILTER (WHERE ttr_s IS NOT NULL AND status = 'resolved')
FROM incidents GROUP BY 1, 2;

CREATE FUNCTION month_cells_add() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO month_cells (month, severity, incidents, counted, resolved, impact_s, ttd_n, ttd_sum, ttd_resolved, tta_n, tta_sum, tta_resolved, ttm_n, ttm_sum, ttm_resolved, ttr_n, ttr_sum, ttr_resolved)
    VALUES (coalesce(NEW.began_month, ''), NEW.severity,
        1,
        (NEW.status NOT IN ('duplicate', 'declined'))::integer,
        (NEW.status = 'resolved')::integer,
        CASE WHEN NEW.status NOT IN ('duplicate', 'declined') THEN NEW.impact_s ELSE 0 END,
        (NEW.ttd_s IS NOT NULL)::integer,
        coalesce(NEW.ttd_s, 0),
        (NEW.ttd_s IS NOT NULL AND NEW.status = 'resolved')::integer,
        (NEW.tta_s IS NOT NULL)::integer,
        coalesce(NEW.tta_s, 0),
        (NEW.tta_s IS NOT NULL AND NEW.status = 'resolved')::integer,
        (NEW.ttm_s IS NOT NULL)::integer,
        coalesce(NEW.ttm_s, 0),
        (NEW.ttm_s IS NOT NULL AND NEW.status = 'resolved')::integer,
        (NEW.ttr_s IS NOT NULL)::integer,
        coalesce(NEW.ttr_s, 0),
        (NEW.ttr_s IS NOT NULL AND NEW.status = 'resolved')::integer)
    ON CONFLICT (month, severity) DO UPDATE SET
        incidents = month_cells.incidents + excluded.incidents,
        counted = month_cells.counted + excluded.counted,
        resolved = month_cells.resolved + excluded.resolved,
        impact_s = month_cells.impact_s + excluded.impact_s,
        ttd_n = month_cells.ttd_n + excluded.ttd_n,
        ttd_sum = month_cells.ttd_sum + excluded.ttd_sum,
        ttd_resolved = month_cells.ttd_resolved + excluded.ttd_resolved,
        tta_n = month_cells.tta_n + excluded.tta_n,
        tta_sum = month_cells.tta_sum + excluded.tta_sum,
        tta_resolved = month_cells.tta_resolved + excluded.tta_resolved,
        ttm_n = month_cells.ttm_n + excluded.ttm_n,
        ttm_sum = month_cells.ttm_sum + excluded.ttm_sum,
        ttm_resolved = month_cells.ttm_resolved + excluded.ttm_resolved,
        ttr_n = month_cells.ttr_n + excluded.ttr_n,
        ttr_sum = month_cells.ttr_sum + excluded.ttr_sum,
        ttr_resolved = month_cells.ttr_resolved + excluded.ttr_resolved;
    RETURN NULL;
END;
$$;
CREATE TRIGGER month_cells_add AFTER INSERT ON incidents
    FOR EACH ROW EXECUTE FUNCTION month_cells_add();

CREATE FUNCTION month_cells_move() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE month_cells SET
        incidents = incidents - (1),
        counted = counted - (OLD.status NOT IN ('duplicate', 'declined'))::integer,
        resolved = resolved - (OLD.status = 'resolved')::integer,
        impact_s = impact_s - (CASE WHEN OLD.status NOT IN ('duplicate', 'declined') THEN OLD.impact_s ELSE 0 END),
        ttd_n = ttd_n - (OLD.ttd_s IS NOT NULL)::integer,
        ttd_sum = ttd_sum - (coalesce(OLD.ttd_s, 0)),
        ttd_resolved = ttd_resolved - (OLD.ttd_s IS NOT NULL AND OLD.status = 'resolved')::integer,
        tta_n = tta_n - (OLD.tta_s IS NOT NULL)::integer,
        tta_sum = tta_sum - (coalesce(OLD.tta_s, 0)),
        tta_resolved = tta_resolved - (OLD.tta_s IS NOT NULL AND OLD.status = 'resolved')::integer,
        ttm_n = ttm_n - (OLD.ttm_s IS NOT NULL)::integer,
        ttm_sum = ttm_sum - (coalesce(OLD.ttm_s, 0)),
        ttm_resolved = ttm_resolved - (OLD.ttm_s IS NOT NULL AND OLD.status = 'resolved')::integer,
        ttr_n = ttr_n - (OLD.ttr_s IS NOT NULL)::integer,
        ttr_sum = ttr_sum - (coalesce(OLD.ttr_s, 0)),
        ttr_resolved = ttr_resolved - (OLD.ttr_s IS NOT NULL AND OLD.status = 'resolved')::integer
    WHERE month = coalesce(OLD.began_month, '') AND severity = OLD.severity;
    INSERT INTO month_cells (month, severity, incidents, counted, resolved, impact_s, ttd_n, ttd_sum, ttd_resolved, tta_n, tta_sum, tta_resolved, ttm_n, ttm_sum, ttm_resolved, ttr_n, ttr_sum, ttr_resolved)
    VALUES (coalesce(NEW.began_month, ''), NEW.severity,
        1,
        (NEW.status NOT IN ('duplicate', 'declined'))::integer,
        (NEW.status = 'resolved')::integer,
        CASE WHEN NEW.status NOT IN ('duplicate', 'declined') THEN NEW.impact_s ELSE 0 END,
        (NEW.ttd_s IS NOT NULL)::integer,
        coalesce(NEW.ttd_s, 0),
        (NEW.ttd_s IS NOT NULL AND NEW.status = 'resolved')::integer,
        (NEW.tta_s IS NOT NULL)::integer,
        coalesce(NEW.tta_s, 0),
        (NEW.tta_s IS NOT NULL AND NEW.status = 'resolved')::integer,
        (NEW.ttm_s IS NOT NULL)::integer,
        coalesce(NEW.ttm_s, 0),
        (NEW.ttm_s IS NOT NULL AND NEW.status = 'resolved')::integer,
        (NEW.ttr_s IS NOT NULL)::integer,
        coalesce(NEW.ttr_s, 0),
        (NEW.ttr_s IS NOT NULL AND NEW.status = 'resolved')::integer)
    ON CONFLICT (month, severity) DO UPDATE SET
        incidents = month_cells.incidents + excluded.incidents,
        counted = month_cells.counted + excluded.counted,
        resolved = month_cells.resolved + excluded.resolved,
        impact_s = month_cells.impact_s + excluded.impact_s,
        ttd_n = month_cells.ttd_n + excluded.ttd_n,
        ttd_sum = month_cells.ttd_sum + excluded.ttd_sum,
        ttd_resolved = month_cells.ttd_resolved + excluded.ttd_resolved,
        tta_n = month_cells.tta_n + excluded.tta_n,
        tta_sum = month_cells.tta_sum + excluded.tta_sum,
        tta_resolved = month_cells.tta_resolved + excluded.tta_resolved,
        ttm_n = month_cells.ttm_n + excluded.ttm_n,
        ttm_sum = month_cells.ttm_sum + excluded.ttm_sum,
        ttm_resolved = month_cells.ttm_resolved + excluded.ttm_resolved,
        ttr_n = month_cells.ttr_n + excluded.ttr_n,
        ttr_sum = month_cells.ttr_sum + excluded.ttr_sum,
        ttr_resolved = month_cells.ttr_resolved + excluded.ttr_resolved;
    RETURN NULL;
END;
$$;
CREATE TRIGGER month_cells_move
AFTER UPDATE OF started_at, declared_at, detected_at, acknowledged_at, mitigated_at, resolved_at,
    severity, status ON incidents
    FOR EACH ROW EXECUTE FUNCTION month_cells_move();

CREATE FUNCTION month_cells_remove() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE month_cells SET
        incidents = incidents - (1),
        counted = counted - (OLD.status NOT IN ('duplicate', 'declined'))::integer,
        resolved = resolved - (OLD.status = 'resolved')::integer,
        impact_s = impact_s - (CASE WHEN OLD.status NOT IN ('duplicate', 'declined') THEN OLD.impact_s ELSE 0 END),
        ttd_n = ttd_n - (OLD.ttd_s IS NOT NULL)::integer,
        ttd_sum = ttd_sum - (coalesce(OLD.ttd_s, 0)),
        ttd_resolved = ttd_resolved - (OLD.ttd_s IS NOT NULL AND OLD.status = 'resolved')::integer,
        tta_n = tta_n - (OLD.tta_s IS NOT NULL)::integer,
        tta_sum = tta_sum - (coalesce(OLD.tta_s, 0)),
        tta_resolved = tta_resolved - (OLD.tta_s IS NOT NULL AND OLD.status = 'resolved')::integer,
        ttm_n = ttm_n - (OLD.ttm_s IS NOT NULL)::integer,
        ttm_sum = ttm_sum - (coalesce(OLD.ttm_s, 0)),
        ttm_resolved = ttm_resolved - (OLD.ttm_s IS NOT NULL AND OLD.status = 'resolved')::integer,
        ttr_n = ttr_n - (OLD.ttr_s IS NOT NULL)::integer,
        ttr_sum = ttr_sum - (coalesce(OLD.ttr_s, 0)),
        ttr_resolved = ttr_resolved - (OLD.ttr_s IS NOT NULL AND OLD.status = 'resolved')::integer
    WHERE month = coalesce(OLD.began_month, '') AND severity = OLD.severity;
    RETURN NULL;
END;
$$;
CREATE TRIGGER month_cells_remove AFTER DELETE ON incidents
    FOR EACH ROW EXECUTE FUNCTION month_cells_remove();

-- A factor or service added to, or removed from, an incident.
CREATE FUNCTION factor_cells_add() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO factor_cells (month, severity, factor_id, n, impact_s)
    SELECT coalesce(i.began_month, ''), i.severity, NEW.factor_id, 1, i.impact_s
    FROM incidents i WHERE i.id = NEW.incident_id AND i.status NOT IN ('duplicate', 'declined')
    ON CONFLICT (month, severity, factor_id) DO UPDATE SET
        n = factor_cells.n + excluded.n, impact_s = factor_cells.impact_s + excluded.impact_s;
    RETURN NULL;
END;
$$;
CREATE TRIGGER factor_cells_add AFTER INSERT ON incident_factors
    FOR EACH ROW EXECUTE FUNCTION factor_cells_add();

CREATE FUNCTION factor_cells_remove() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE factor_cells SET n = factor_cells.n - 1, impact_s = factor_cells.impact_s - i.gone_s
    FROM (SELECT coalesce(began_month, '') AS month, severity, impact_s AS gone_s FROM incidents
          WHERE id = OLD.incident_id AND status NOT IN ('duplicate', 'declined')) AS i
    WHERE factor_cells.month = i.month AND factor_cells.severity = i.severity
      AND factor_cells.factor_id = OLD.factor_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER factor_cells_remove AFTER DELETE ON incident_factors
    FOR EACH ROW EXECUTE FUNCTION factor_cells_remove();

CREATE FUNCTION factor_cells_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE factor_cells SET n = factor_cells.n - 1, impact_s = factor_cells.impact_s - i.gone_s
    FROM (SELECT coalesce(began_month, '') AS month, severity, impact_s AS gone_s FROM incidents
          WHERE id = OLD.incident_id AND status NOT IN ('duplicate', 'declined')) AS i
    WHERE factor_cells.month = i.month AND factor_cells.severity = i.severity
      AND factor_cells.factor_id = OLD.factor_id;
    INSERT INTO factor_cells (month, severity, factor_id, n, impact_s)
    SELECT coalesce(i.began_month, ''), i.severity, NEW.factor_id, 1, i.impact_s
    FROM incidents i WHERE i.id = NEW.incident_id AND i.status NOT IN ('duplicate', 'declined')
    ON CONFLICT (month, severity, factor_id) DO UPDATE SET
        n = factor_cells.n + excluded.n, impact_s = factor_cells.impact_s + excluded.impact_s;
    RETURN NULL;
END;
$$;
CREATE TRIGGER factor_cells_change AFTER UPDATE OF incident_id, factor_id ON incident_factors
    FOR EACH ROW EXECUTE FUNCTION factor_cells_change();

CREATE FUNCTION service_cells_add() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO service_cells (month, severity, service, n, impact_s)
    SELECT coalesce(i.began_month, ''), i.severity, NEW.service, 1, i.impact_s
    FROM incidents i WHERE i.id = NEW.incident_id AND i.status NOT IN ('duplicate', 'declined')
    ON CONFLICT (month, severity, service) DO UPDATE SET
        n = service_cells.n + excluded.n, impact_s = service_cells.impact_s + excluded.impact_s;
    RETURN NULL;
END;
$$;
CREATE TRIGGER service_cells_add AFTER INSERT ON incident_services
    FOR EACH ROW EXECUTE FUNCTION service_cells_add();

CREATE FUNCTION service_cells_remove() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE service_cells SET n = service_cells.n - 1, impact_s = service_cells.impact_s - i.gone_s
    FROM (SELECT coalesce(began_month, '') AS month, severity, impact_s AS gone_s FROM incidents
          WHERE id = OLD.incident_id AND status NOT IN ('duplicate', 'declined')) AS i
    WHERE service_cells.month = i.month AND service_cells.severity = i.severity
      AND service_cells.service = OLD.service;
    RETURN NULL;
END;
$$;
CREATE TRIGGER service_cells_remove AFTER DELETE ON incident_services
    FOR EACH ROW EXECUTE FUNCTION service_cells_remove();

CREATE FUNCTION service_cells_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE service_cells SET n = service_cells.n - 1, impact_s = service_cells.impact_s - i.gone_s
    FROM (SELECT coalesce(began_month, '') AS month, severity, impact_s AS gone_s FROM incidents
          WHERE id = OLD.incident_id AND status NOT IN ('duplicate', 'declined')) AS i
    WHERE service_cells.month = i.month AND service_cells.severity = i.severity
      AND service_cells.service = OLD.service;
    INSERT INTO service_cells (month, severity, service, n, impact_s)
    SELECT coalesce(i.began_month, ''), i.severity, NEW.service, 1, i.impact_s
    FROM incidents i WHERE i.id = NEW.incident_id AND i.status NOT IN ('duplicate', 'declined')
    ON CONFLICT (month, severity, service) DO UPDATE SET
        n = service_cells.n + excluded.n, impact_s = service_cells.impact_s + excluded.impact_s;
    RETURN NULL;
END;
$$;
CREATE TRIGGER service_cells_change AFTER UPDATE OF incident_id, service ON incident_services
    FOR EACH ROW EXECUTE FUNCTION service_cells_change();

-- An incident whose time, severity, status or impact changes moves its
-- contributions from the old cells to the new ones.
CREATE FUNCTION incident_cells_move() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE factor_cells SET n = n - 1, impact_s = impact_s - OLD.impact_s
    WHERE OLD.status NOT IN ('duplicate', 'declined')
      AND month = coalesce(OLD.began_month, '') AND severity = OLD.severity
      AND factor_id IN (SELECT factor_id FROM incident_factors WHERE incident_id = OLD.id);
    INSERT INTO factor_cells (month, severity, factor_id, n, impact_s)
    SELECT coalesce(NEW.began_month, ''), NEW.severity, f.factor_id, 1, NEW.impact_s
    FROM incident_factors f WHERE f.incident_id = NEW.id AND NEW.status NOT IN ('duplicate', 'declined')
    ON CONFLICT (month, severity, factor_id) DO UPDATE SET
        n = factor_cells.n + excluded.n, impact_s = factor_cells.impact_s + excluded.impact_s;
    UPDATE service_cells SET n = n - 1, impact_s = impact_s - OLD.impact_s
    WHERE OLD.status NOT IN ('duplicate', 'declined')
      AND month = coalesce(OLD.began_month, '') AND severity = OLD.severity
      AND service IN (SELECT service FROM incident_services WHERE incident_id = OLD.id);
    INSERT INTO service_cells (month, severity, service, n, impact_s)
    SELECT coalesce(NEW.began_month, ''), NEW.severity, s.service, 1, NEW.impact_s
    FROM incident_services s WHERE s.incident_id = NEW.id AND NEW.status NOT IN ('duplicate', 'declined')
    ON CONFLICT (month, severity, service) DO UPDATE SET
        n = service_cells.n + excluded.n, impact_s = service_cells.impact_s + excluded.impact_s;
    RETURN NULL;
END;
$$;
CREATE TRIGGER incident_cells_move
AFTER UPDATE OF started_at, declared_at, mitigated_at, severity, status ON incidents
    FOR EACH ROW EXECUTE FUNCTION incident_cells_move();

-- Before an incident goes, its contributions go; the cascade that then
-- removes its factors and services finds no incident and changes nothing.
-- (A BEFORE DELETE function must return OLD, or the row is not deleted.)
CREATE FUNCTION incident_cells_remove() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE factor_cells SET n = n - 1, impact_s = impact_s - OLD.impact_s
    WHERE OLD.status NOT IN ('duplicate', 'declined')
      AND month = coalesce(OLD.began_month, '') AND severity = OLD.severity
      AND factor_id IN (SELECT factor_id FROM incident_factors WHERE incident_id = OLD.id);
    UPDATE service_cells SET n = n - 1, impact_s = impact_s - OLD.impact_s
    WHERE OLD.status NOT IN ('duplicate', 'declined')
      AND month = coalesce(OLD.began_month, '') AND severity = OLD.severity
      AND service IN (SELECT service FROM incident_services WHERE incident_id = OLD.id);
    RETURN OLD;
END;
$$;
CREATE TRIGGER incident_cells_remove BEFORE DELETE ON incidents
    FOR EACH ROW EXECUTE FUNCTION incident_cells_remove();

-- When an action item was first marked done, kept from its status history
-- (the earliest 'done' event) so the follow-through chart reads one row
-- per item instead of searching every item's history.
ALTER TABLE action_items ADD COLUMN first_done_at TIMESTAMPTZ;
UPDATE action_items SET first_done_at = (
    SELECT min(e.at) FROM action_item_events e WHERE e.action_id = action_items.id AND e.status = 'done');
CREATE FUNCTION action_items_first_done() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE action_items SET first_done_at = NEW.at
    WHERE id = NEW.action_id AND (first_done_at IS NULL OR first_done_at > NEW.at);
    RETURN NULL;
END;
$$;
CREATE TRIGGER action_items_first_done AFTER INSERT ON action_item_events
    FOR EACH ROW WHEN (NEW.status = 'done') EXECUTE FUNCTION action_items_first_done();

-- The incident's start and severity, kept on each of its items by
-- triggers, so the chart filters items without joining every incident.
-- SQLite sets them with an UPDATE in AFTER INSERT / AFTER UPDATE OF
-- incident_id triggers; here BEFORE triggers of the same names (sharing one
-- function) set them on the row being written: the same values, without a
-- second version of every new row. (Only RETURNING of these two columns
-- differs: here it shows them filled in.)
ALTER TABLE action_items ADD COLUMN incident_began_at TIMESTAMPTZ;
ALTER TABLE action_items ADD COLUMN incident_severity TEXT;
UPDATE action_items SET
    incident_began_at = (SELECT began_at FROM incidents WHERE id = action_items.incident_id),
    incident_severity = (SELECT severity FROM incidents WHERE id = action_items.incident_id);
CREATE FUNCTION action_items_incident_facts() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.incident_began_at := (SELECT began_at FROM incidents WHERE id = NEW.incident_id);
    NEW.incident_severity := (SELECT severity FROM incidents WHERE id = NEW.incident_id);
    RETURN NEW;
END;
$$;
CREATE TRIGGER action_items_incident_facts BEFORE INSERT ON action_items
    FOR EACH ROW EXECUTE FUNCTION action_items_incident_facts();
CREATE TRIGGER action_items_incident_moved BEFORE UPDATE OF incident_id ON action_items
    FOR EACH ROW EXECUTE FUNCTION action_items_incident_facts();
CREATE FUNCTION incident_facts_to_actions() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE action_items SET incident_began_at = NEW.began_at, incident_severity = NEW.severity
    WHERE incident_id = NEW.id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER incident_facts_to_actions
AFTER UPDATE OF started_at, declared_at, severity ON incidents
    FOR EACH ROW EXECUTE FUNCTION incident_facts_to_actions();
-- Items completed per month and items overdue per due month, each read
-- in the order of its month, so no grouping sort. STORED and built with
-- extract() for the reasons given in 0008: done_month is the UTC month of
-- first_done_at, due_month the month of the DATE due_on, both 'YYYY-MM'.
ALTER TABLE action_items ADD COLUMN done_month TEXT GENERATED ALWAYS AS (
    lpad(extract(year FROM first_done_at AT TIME ZONE 'UTC')::integer::text, 4, '0')
    || '-' ||
    lpad(extract(month FROM first_done_at AT TIME ZONE 'UTC')::integer::text, 2, '0')
) STORED;
ALTER TABLE action_items ADD COLUMN due_month TEXT GENERATED ALWAYS AS (
    lpad(extract(year FROM due_on)::integer::text, 4, '0')
    || '-' ||
    lpad(extract(month FROM due_on)::integer::text, 2, '0')
) STORED;
CREATE INDEX action_items_done_by_month
    ON action_items (status, done_month, incident_began_at, incident_severity, incident_id)
    WHERE first_done_at IS NOT NULL;
CREATE INDEX action_items_due_by_month
    ON action_items (due_month, due_on, status, first_done_at, incident_began_at, incident_severity, incident_id)
    WHERE due_on IS NOT NULL;

-- Repeat incidents, read by the incident they repeat.
CREATE INDEX incidents_repeats ON incidents (repeat_of, began_month, severity, began_at)
    WHERE repeat_of IS NOT NULL;

-- The newest incidents of a selection (the open, excluded and latest
-- lists): walked newest first, the filters checked inside the index, and
-- a row read only for an incident that is listed.
CREATE INDEX incidents_recent ON incidents (began_at DESC NULLS LAST, id DESC, severity, status);

-- The incidents a service, tag or factor names are looked up by id; this
-- index holds every figure they are counted by, durations included, so
-- those lookups never read (and re-compute) the row.
DROP INDEX incidents_facts;
CREATE INDEX incidents_facts ON incidents (
    id, status, impact_s, severity, began_at, ttd_s, tta_s, ttm_s, ttr_s
);

-- One severity's durations in order: its percentiles walk only its own
-- incidents instead of passing every other severity's.
CREATE INDEX incidents_ttd_by_severity ON incidents (severity, ttd_s, began_at, status) WHERE ttd_s IS NOT NULL;
CREATE INDEX incidents_tta_by_severity ON incidents (severity, tta_s, began_at, status) WHERE tta_s IS NOT NULL;
CREATE INDEX incidents_ttm_by_severity ON incidents (severity, ttm_s, began_at, status) WHERE ttm_s IS NOT NULL;
CREATE INDEX incidents_ttr_by_severity ON incidents (severity, ttr_s, began_at, status) WHERE ttr_s IS NOT NULL;
