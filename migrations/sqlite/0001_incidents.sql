-- The incident registry. Timestamps are stored as RFC 3339 text in UTC,
-- truncated to whole seconds, so text order is time order.
CREATE TABLE incidents (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    title           TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 1000),
    summary_md      TEXT    NOT NULL DEFAULT '',
    summary_html    TEXT    NOT NULL DEFAULT '',
    severity        TEXT    NOT NULL CHECK (severity IN ('SEV1', 'SEV2', 'SEV3', 'SEV4')),
    status          TEXT    NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved', 'duplicate', 'declined')),
    commander       TEXT,
    comms_lead      TEXT,
    customer_impact TEXT,
    repeat_of       INTEGER REFERENCES incidents (id),
    duplicate_of    INTEGER REFERENCES incidents (id),
    decline_reason  TEXT,
    started_at      TEXT, started_source      TEXT, started_by      TEXT,
    detected_at     TEXT, detected_source     TEXT, detected_by     TEXT,
    declared_at     TEXT, declared_source     TEXT, declared_by     TEXT,
    acknowledged_at TEXT, acknowledged_source TEXT, acknowledged_by TEXT,
    mitigated_at    TEXT, mitigated_source    TEXT, mitigated_by    TEXT,
    resolved_at     TEXT, resolved_source     TEXT, resolved_by     TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    CHECK (status <> 'duplicate' OR duplicate_of IS NOT NULL),
    CHECK (status <> 'declined' OR decline_reason IS NOT NULL)
);

CREATE INDEX incidents_newest ON incidents (coalesce(started_at, declared_at) DESC, id DESC);
CREATE INDEX incidents_status ON incidents (status);
CREATE INDEX incidents_severity ON incidents (severity);

CREATE TABLE incident_services (
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    service     TEXT    NOT NULL,
    PRIMARY KEY (incident_id, service)
);
CREATE INDEX incident_services_by_name ON incident_services (service, incident_id);

CREATE TABLE incident_tags (
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    tag         TEXT    NOT NULL,
    PRIMARY KEY (incident_id, tag)
);
CREATE INDEX incident_tags_by_name ON incident_tags (tag, incident_id);

CREATE TABLE timeline_entries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    occurred_at TEXT    NOT NULL,
    kind        TEXT    NOT NULL CHECK (kind IN ('note', 'status_change', 'action_taken', 'alert')),
    body_md     TEXT    NOT NULL,
    body_html   TEXT    NOT NULL,
    author      TEXT,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
CREATE INDEX timeline_by_incident ON timeline_entries (incident_id, occurred_at, id);

-- Every write appends here in the same transaction; the search indexer
-- follows it (invariant 2 in ARCHITECTURE.md).
CREATE TABLE outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    entity      TEXT    NOT NULL,
    entity_id   INTEGER NOT NULL,
    created_at  TEXT    NOT NULL
);
