-- Action items: the work that keeps an incident from happening again,
-- tracked to completion. Every status change is kept in
-- action_item_events; completion times are derived from that history.
CREATE TABLE action_items (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id    INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    -- The postmortem section it was written in (prevention, usually); NULL from the incident page.
    section_key    TEXT,
    title          TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
    description_md TEXT    NOT NULL DEFAULT '',
    owner_id       INTEGER REFERENCES users (id),
    -- A calendar date, YYYY-MM-DD.
    due_on         TEXT,
    priority       TEXT    NOT NULL CHECK (priority IN ('high', 'medium', 'low')),
    kind           TEXT    NOT NULL CHECK (kind IN ('prevent', 'mitigate', 'detect', 'process')),
    status         TEXT    NOT NULL CHECK (status IN ('open', 'in_progress', 'blocked', 'done', 'wont_do')),
    reason         TEXT,
    tracker_url    TEXT,
    version        INTEGER NOT NULL DEFAULT 1,
    created_by_id  INTEGER REFERENCES users (id),
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    CHECK (status <> 'wont_do' OR length(trim(coalesce(reason, ''))) > 0)
);
CREATE INDEX action_items_by_incident ON action_items (incident_id, id);
CREATE INDEX action_items_by_status ON action_items (status, due_on);
CREATE INDEX action_items_by_owner ON action_items (owner_id, status, due_on);

-- Every status an item has had, the first one included.
CREATE TABLE action_item_events (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    action_id INTEGER NOT NULL REFERENCES action_items (id) ON DELETE CASCADE,
    status    TEXT    NOT NULL,
    reason    TEXT,
    at        TEXT    NOT NULL,
    by_id     INTEGER REFERENCES users (id),
    by_name   TEXT
);
-- (action_id, status) first: "when did this item last become done" is a
-- lookup, never a scan of every done event.
CREATE INDEX action_item_events_by_action ON action_item_events (action_id, status, at);

-- Which team owns each service.
CREATE TABLE service_teams (
    service    TEXT    PRIMARY KEY,
    team       TEXT    NOT NULL CHECK (length(team) BETWEEN 1 AND 80),
    version    INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT    NOT NULL
);

-- Admins' rules for action items: due days per severity, and whether a
-- postmortem may be marked complete while prevention items are open.
CREATE TABLE action_policy (
    id                        INTEGER PRIMARY KEY CHECK (id = 1),
    sev1_days                 INTEGER NOT NULL,
    sev2_days                 INTEGER NOT NULL,
    sev3_days                 INTEGER NOT NULL,
    sev4_days                 INTEGER NOT NULL,
    complete_requires_actions INTEGER NOT NULL,
    version                   INTEGER NOT NULL DEFAULT 1,
    updated_at                TEXT    NOT NULL
);
INSERT INTO action_policy VALUES (1, 15, 30, 60, 90, 1, 1, '2026-01-01T00:00:00Z');

-- `complete` is a published postmortem whose prevention work is closed.
-- The status column keeps 'published' (its CHECK predates `complete`);
-- completed_at marks completion, and the store reads the pair as one status.
ALTER TABLE postmortems ADD COLUMN completed_at TEXT;

-- Insights read these columns for every incident in a range: a covering
-- index keeps that scan off the wide rows.
CREATE INDEX incidents_metrics ON incidents (
    started_at, declared_at, severity, status, detected_at, acknowledged_at, mitigated_at,
    resolved_at, repeat_of
);
