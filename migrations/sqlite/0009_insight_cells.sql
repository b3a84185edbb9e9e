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
CREATE TABLE factor_cells (
    month     TEXT    NOT NULL,
    severity  TEXT    NOT NULL,
    factor_id INTEGER NOT NULL,
    n         INTEGER NOT NULL,
    impact_s  INTEGER NOT NULL,
    PRIMARY KEY (month, severity, factor_id)
) WITHOUT ROWID;

CREATE TABLE service_cells (
    month    TEXT    NOT NULL,
    severity TEXT    NOT NULL,
    service  TEXT    NOT NULL,
    n        INTEGER NOT NULL,
    impact_s INTEGER NOT NULL,
    PRIMARY KEY (month, severity, service)
) WITHOUT ROWID;

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
-- excluded), the resolved ones and the counted incidents' impact: the
-- selection totals and the incidents-per-month chart.
CREATE TABLE month_cells (
    month     TEXT    NOT NULL,
    severity  TEXT    NOT NULL,
    incidents INTEGER NOT NULL,
    counted   INTEGER NOT NULL,
    resolved  INTEGER NOT NULL,
    impact_s  INTEGER NOT NULL,
    PRIMARY KEY (month, severity)
) WITHOUT ROWID;

INSERT INTO month_cells (month, severity, incidents, counted, resolved, impact_s)
SELECT coalesce(began_month, ''), severity, count(*),
       sum(status NOT IN ('duplicate', 'declined')), sum(status = 'resolved'),
       coalesce(sum(CASE WHEN status NOT IN ('duplicate', 'declined') THEN impact_s END), 0)
FROM incidents GROUP BY 1, 2;

CREATE TRIGGER month_cells_add AFTER INSERT ON incidents BEGIN
    INSERT INTO month_cells (month, severity, incidents, counted, resolved, impact_s)
    VALUES (coalesce(NEW.began_month, ''), NEW.severity, 1,
            NEW.status NOT IN ('duplicate', 'declined'), NEW.status = 'resolved',
            CASE WHEN NEW.status NOT IN ('duplicate', 'declined') THEN NEW.impact_s ELSE 0 END)
    ON CONFLICT DO UPDATE SET incidents = incidents + excluded.incidents,
        counted = counted + excluded.counted, resolved = resolved + excluded.resolved,
        impact_s = impact_s + excluded.impact_s;
END;

CREATE TRIGGER month_cells_move
AFTER UPDATE OF started_at, declared_at, mitigated_at, severity, status ON incidents BEGIN
    UPDATE month_cells SET incidents = incidents - 1,
        counted = counted - (OLD.status NOT IN ('duplicate', 'declined')),
        resolved = resolved - (OLD.status = 'resolved'),
        impact_s = impact_s - CASE WHEN OLD.status NOT IN ('duplicate', 'declined') THEN OLD.impact_s ELSE 0 END
    WHERE month = coalesce(OLD.began_month, '') AND severity = OLD.severity;
    INSERT INTO month_cells (month, severity, incidents, counted, resolved, impact_s)
    VALUES (coalesce(NEW.began_month, ''), NEW.severity, 1,
            NEW.status NOT IN ('duplicate', 'declined'), NEW.status = 'resolved',
            CASE WHEN NEW.status NOT IN ('duplicate', 'declined') THEN NEW.impact_s ELSE 0 END)
    ON CONFLICT DO UPDATE SET incidents = incidents + excluded.incidents,
        counted = counted + excluded.counted, resolved = resolved + excluded.resolved,
        impact_s = impact_s + excluded.impact_s;
END;

CREATE TRIGGER month_cells_remove AFTER DELETE ON incidents BEGIN
    UPDATE month_cells SET incidents = incidents - 1,
        counted = counted - (OLD.status NOT IN ('duplicate', 'declined')),
        resolved = resolved - (OLD.status = 'resolved'),
        impact_s = impact_s - CASE WHEN OLD.status NOT IN ('duplicate', 'declined') THEN OLD.impact_s ELSE 0 END
    WHERE month = coalesce(OLD.began_month, '') AND severity = OLD.severity;
END;

-- A factor or service added to, or removed from, an incident.
CREATE TRIGGER factor_cells_add AFTER INSERT ON incident_factors BEGIN
    INSERT INTO factor_cells (month, severity, factor_id, n, impact_s)
    SELECT coalesce(i.began_month, ''), i.severity, NEW.factor_id, 1, i.impact_s
    FROM incidents i WHERE i.id = NEW.incident_id AND i.status NOT IN ('duplicate', 'declined')
    ON CONFLICT DO UPDATE SET n = n + excluded.n, impact_s = impact_s + excluded.impact_s;
END;

CREATE TRIGGER factor_cells_remove AFTER DELETE ON incident_factors BEGIN
    UPDATE factor_cells SET n = factor_cells.n - 1, impact_s = factor_cells.impact_s - i.gone_s
    FROM (SELECT coalesce(began_month, '') AS month, severity, impact_s AS gone_s FROM incidents
          WHERE id = OLD.incident_id AND status NOT IN ('duplicate', 'declined')) AS i
    WHERE factor_cells.month = i.month AND factor_cells.severity = i.severity
      AND factor_cells.factor_id = OLD.factor_id;
END;

CREATE TRIGGER factor_cells_change AFTER UPDATE OF incident_id, factor_id ON incident_factors BEGIN
    UPDATE factor_cells SET n = factor_cells.n - 1, impact_s = factor_cells.impact_s - i.gone_s
    FROM (SELECT coalesce(began_month, '') AS month, severity, impact_s AS gone_s FROM incidents
          WHERE id = OLD.incident_id AND status NOT IN ('duplicate', 'declined')) AS i
    WHERE factor_cells.month = i.month AND factor_cells.severity = i.severity
      AND factor_cells.factor_id = OLD.factor_id;
    INSERT INTO factor_cells (month, severity, factor_id, n, impact_s)
    SELECT coalesce(i.began_month, ''), i.severity, NEW.factor_id, 1, i.impact_s
    FROM incidents i WHERE i.id = NEW.incident_id AND i.status NOT IN ('duplicate', 'declined')
    ON CONFLICT DO UPDATE SET n = n + excluded.n, impact_s = impact_s + excluded.impact_s;
END;

CREATE TRIGGER service_cells_add AFTER INSERT ON incident_services BEGIN
    INSERT INTO service_cells (month, severity, service, n, impact_s)
    SELECT coalesce(i.began_month, ''), i.severity, NEW.service, 1, i.impact_s
    FROM incidents i WHERE i.id = NEW.incident_id AND i.status NOT IN ('duplicate', 'declined')
    ON CONFLICT DO UPDATE SET n = n + excluded.n, impact_s = impact_s + excluded.impact_s;
END;

CREATE TRIGGER service_cells_remove AFTER DELETE ON incident_services BEGIN
    UPDATE service_cells SET n = service_cells.n - 1, impact_s = service_cells.impact_s - i.gone_s
    FROM (SELECT coalesce(began_month, '') AS month, severity, impact_s AS gone_s FROM incidents
          WHERE id = OLD.incident_id AND status NOT IN ('duplicate', 'declined')) AS i
    WHERE service_cells.month = i.month AND service_cells.severity = i.severity
      AND service_cells.service = OLD.service;
END;

CREATE TRIGGER service_cells_change AFTER UPDATE OF incident_id, service ON incident_services BEGIN
    UPDATE service_cells SET n = service_cells.n - 1, impact_s = service_cells.impact_s - i.gone_s
    FROM (SELECT coalesce(began_month, '') AS month, severity, impact_s AS gone_s FROM incidents
          WHERE id = OLD.incident_id AND status NOT IN ('duplicate', 'declined')) AS i
    WHERE service_cells.month = i.month AND service_cells.severity = i.severity
      AND service_cells.service = OLD.service;
    INSERT INTO service_cells (month, severity, service, n, impact_s)
    SELECT coalesce(i.began_month, ''), i.severity, NEW.service, 1, i.impact_s
    FROM incidents i WHERE i.id = NEW.incident_id AND i.status NOT IN ('duplicate', 'declined')
    ON CONFLICT DO UPDATE SET n = n + excluded.n, impact_s = impact_s + excluded.impact_s;
END;

-- An incident whose time, severity, status or impact changes moves its
-- contributions from the old cells to the new ones.
CREATE TRIGGER incident_cells_move
AFTER UPDATE OF started_at, declared_at, mitigated_at, severity, status ON incidents BEGIN
    UPDATE factor_cells SET n = n - 1, impact_s = impact_s - OLD.impact_s
    WHERE OLD.status NOT IN ('duplicate', 'declined')
      AND month = coalesce(OLD.began_month, '') AND severity = OLD.severity
      AND factor_id IN (SELECT factor_id FROM incident_factors WHERE incident_id = OLD.id);
    INSERT INTO factor_cells (month, severity, factor_id, n, impact_s)
    SELECT coalesce(NEW.began_month, ''), NEW.severity, f.factor_id, 1, NEW.impact_s
    FROM incident_factors f WHERE f.incident_id = NEW.id AND NEW.status NOT IN ('duplicate', 'declined')
    ON CONFLICT DO UPDATE SET n = n + excluded.n, impact_s = impact_s + excluded.impact_s;
    UPDATE service_cells SET n = n - 1, impact_s = impact_s - OLD.impact_s
    WHERE OLD.status NOT IN ('duplicate', 'declined')
      AND month = coalesce(OLD.began_month, '') AND severity = OLD.severity
      AND service IN (SELECT service FROM incident_services WHERE incident_id = OLD.id);
    INSERT INTO service_cells (month, severity, service, n, impact_s)
    SELECT coalesce(NEW.began_month, ''), NEW.severity, s.service, 1, NEW.impact_s
    FROM incident_services s WHERE s.incident_id = NEW.id AND NEW.status NOT IN ('duplicate', 'declined')
    ON CONFLICT DO UPDATE SET n = n + excluded.n, impact_s = impact_s + excluded.impact_s;
END;

-- Before an incident goes, its contributions go; the cascade that then
-- removes its factors and services finds no incident and changes nothing.
CREATE TRIGGER incident_cells_remove BEFORE DELETE ON incidents BEGIN
    UPDATE factor_cells SET n = n - 1, impact_s = impact_s - OLD.impact_s
    WHERE OLD.status NOT IN ('duplicate', 'declined')
      AND month = coalesce(OLD.began_month, '') AND severity = OLD.severity
      AND factor_id IN (SELECT factor_id FROM incident_factors WHERE incident_id = OLD.id);
    UPDATE service_cells SET n = n - 1, impact_s = impact_s - OLD.impact_s
    WHERE OLD.status NOT IN ('duplicate', 'declined')
      AND month = coalesce(OLD.began_month, '') AND severity = OLD.severity
      AND service IN (SELECT service FROM incident_services WHERE incident_id = OLD.id);
END;

-- When an action item was first marked done, kept from its status history
-- (the earliest 'done' event) so the follow-through chart reads one row
-- per item instead of searching every item's history.
ALTER TABLE action_items ADD COLUMN first_done_at TEXT;
UPDATE action_items SET first_done_at = (
    SELECT min(e.at) FROM action_item_events e WHERE e.action_id = action_items.id AND e.status = 'done');
CREATE TRIGGER action_items_first_done AFTER INSERT ON action_item_events
WHEN NEW.status = 'done' BEGIN
    UPDATE action_items SET first_done_at = NEW.at
    WHERE id = NEW.action_id AND (first_done_at IS NULL OR first_done_at > NEW.at);
END;
CREATE INDEX action_items_follow_through ON action_items (incident_id, status, due_on, first_done_at);

-- Repeat incidents, read by the incident they repeat.
CREATE INDEX incidents_repeats ON incidents (repeat_of, began_month, severity, began_at)
    WHERE repeat_of IS NOT NULL;

-- The newest incidents of a selection (the open, excluded and latest
-- lists): walked newest first, the filters checked inside the index, and
-- a row read only for an incident that is listed.
CREATE INDEX incidents_recent ON incidents (began_at DESC, id DESC, severity, status);
