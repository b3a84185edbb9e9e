-- Contributing factors: several per incident, each from a taxonomy admins
-- edit, each with a short explanation. Never one root cause, never a person.
CREATE TABLE factor_taxonomy (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 60),
    description TEXT    NOT NULL DEFAULT '',
    retired     INTEGER NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);

INSERT INTO factor_taxonomy (name, description, created_at, updated_at) VALUES
    ('config change', 'A configuration change, flag or setting', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('deploy', 'A code deploy or release', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('capacity', 'Load beyond what was provisioned', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('dependency', 'A service or vendor we depend on', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('hardware', 'Failing disks, hosts or power', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('network', 'Links, routing, load balancers', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('dns', 'Name resolution', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('certificate', 'Expired or wrong certificates', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('time/leap second', 'Clocks, time zones, leap seconds', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('data migration', 'Schema or data migrations', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('security', 'Attacks, abuse, security controls', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('human process', 'A runbook, handover or review step that did not catch it', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
    ('monitoring gap', 'We did not see it, or saw it late', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');

CREATE TABLE incident_factors (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    factor_id   INTEGER NOT NULL REFERENCES factor_taxonomy (id),
    explanation TEXT    NOT NULL DEFAULT '',
    added_by    TEXT,
    created_at  TEXT    NOT NULL,
    UNIQUE (incident_id, factor_id)
);
CREATE INDEX incident_factors_by_factor ON incident_factors (factor_id, incident_id);
