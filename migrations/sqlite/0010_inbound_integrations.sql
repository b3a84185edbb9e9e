-- Inbound webhooks: the integrations an admin configures (Alertmanager,
-- PagerDuty), the events received (for de-duplication), and which incident
-- an outside key (Alertmanager's groupKey, PagerDuty's incident id) opened.
CREATE TABLE integrations (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT    NOT NULL CHECK (kind IN ('alertmanager', 'pagerduty')),
    name             TEXT    NOT NULL UNIQUE,
    -- Alertmanager: the SHA-256 of the bearer token (the token is shown once).
    token_hash       TEXT    UNIQUE,
    -- PagerDuty: the signing secret as pasted. HMAC needs it in clear: the
    -- one secret stored as given (admin-only, never shown again).
    signing_secret   TEXT,
    -- The last 4 characters of the token or secret, to tell them apart.
    secret_hint      TEXT    NOT NULL,
    default_severity TEXT    NOT NULL CHECK (default_severity IN ('SEV1', 'SEV2', 'SEV3', 'SEV4')),
    default_service  TEXT,
    enabled          INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT    NOT NULL,
    created_by       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    CHECK ((kind = 'alertmanager' AND token_hash IS NOT NULL)
        OR (kind = 'pagerduty' AND signing_secret IS NOT NULL))
);

-- One row per event received; a second delivery of the same key is a duplicate.
CREATE TABLE inbound_events (
    integration_id INTEGER NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    event_key      TEXT    NOT NULL,
    received_at    TEXT    NOT NULL,
    incident_id    INTEGER REFERENCES incidents (id),
    outcome        TEXT    NOT NULL,
    PRIMARY KEY (integration_id, event_key)
);
CREATE INDEX inbound_events_by_time ON inbound_events (integration_id, received_at);

-- The incidents an outside key opened, newest id last.
CREATE TABLE inbound_links (
    integration_id INTEGER NOT NULL REFERENCES integrations (id) ON DELETE CASCADE,
    external_key   TEXT    NOT NULL,
    incident_id    INTEGER NOT NULL REFERENCES incidents (id),
    created_at     TEXT    NOT NULL,
    PRIMARY KEY (integration_id, external_key, incident_id)
);
