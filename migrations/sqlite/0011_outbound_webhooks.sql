-- Outbound webhooks: the endpoints admins register, the deliveries owed to
-- them, where the dispatcher stands in the audit log, and which overdue
-- action items were already announced.
CREATE TABLE webhook_endpoints (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    url           TEXT    NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    description   TEXT    NOT NULL DEFAULT '',
    -- The HMAC-SHA256 key. Kept as written: signing needs it.
    secret        TEXT    NOT NULL,
    -- The event names it receives, separated by spaces.
    events        TEXT    NOT NULL,
    enabled       INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    version       INTEGER NOT NULL DEFAULT 1,
    created_by_id INTEGER REFERENCES users (id),
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);

-- One row per event and endpoint: the unique key makes enqueueing idempotent.
CREATE TABLE webhook_deliveries (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint_id      INTEGER NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    -- `audit:<audit id>`, `overdue:<item id>:<due day>` or `test:<uuid-ish>`.
    event_key        TEXT    NOT NULL,
    event            TEXT    NOT NULL,
    payload          TEXT    NOT NULL,
    status           TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT    NOT NULL,
    -- A sender holds the delivery until then; another may take it after.
    lease_until      TEXT,
    last_status_code INTEGER,
    last_error       TEXT,
    created_at       TEXT    NOT NULL,
    delivered_at     TEXT,
    UNIQUE (endpoint_id, event_key)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (endpoint_id, id);

-- The last audit row the dispatcher turned into deliveries. It starts at
-- the end of the log: history is not replayed to new endpoints.
CREATE TABLE webhook_cursor (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    audit_id INTEGER NOT NULL
);
INSERT INTO webhook_cursor (id, audit_id) SELECT 1, coalesce(max(id), 0) FROM audit_log;

-- An overdue item is announced once per due day (a new due day, once more).
CREATE TABLE webhook_overdue_announced (
    action_id    INTEGER NOT NULL REFERENCES action_items (id) ON DELETE CASCADE,
    due_on       TEXT    NOT NULL,
    announced_at TEXT    NOT NULL,
    PRIMARY KEY (action_id, due_on)
);
