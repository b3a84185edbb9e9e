-- Accounts, sessions, API tokens, settings and the audit log.
CREATE TABLE users (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    email           TEXT    NOT NULL UNIQUE COLLATE NOCASE,
    name            TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('viewer', 'responder', 'admin')),
    -- argon2id PHC string; NULL until an invited user sets a password.
    password_hash   TEXT,
    disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    -- SHA-256 of a one-time invite secret, and when it stops working.
    invite_hash     TEXT UNIQUE,
    invite_expires_at TEXT,
    last_login_at   TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
);

-- Only the SHA-256 of a session id is stored: a copy of the database does
-- not let anyone sign in.
CREATE TABLE sessions (
    id_hash      TEXT    PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TEXT    NOT NULL,
    last_seen_at TEXT    NOT NULL,
    expires_at   TEXT    NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,
    -- The first characters of the token, so people can tell tokens apart.
    prefix       TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_by_user ON api_tokens (user_id);

CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    updated_at TEXT NOT NULL
);

-- Append-only: who changed what, when and how. Written in the same
-- transaction as the change it describes.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT    NOT NULL,
    actor_id    INTEGER REFERENCES users (id),
    -- The actor's email at the time (or "system"), kept even if the user changes.
    actor       TEXT    NOT NULL,
    channel     TEXT    NOT NULL CHECK (channel IN ('browser', 'api', 'webhook', 'cli')),
    entity      TEXT    NOT NULL,
    entity_id   INTEGER NOT NULL,
    action      TEXT    NOT NULL,
    -- JSON: [{"field": …, "before": …, "after": …}]
    changes     TEXT    NOT NULL
);
CREATE INDEX audit_by_entity ON audit_log (entity, entity_id, id);
CREATE INDEX audit_by_actor ON audit_log (actor_id, id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- People on an incident become users when they have an account; the text
-- columns keep the name shown (and free text for people without one).
ALTER TABLE incidents ADD COLUMN commander_id INTEGER REFERENCES users (id);
ALTER TABLE incidents ADD COLUMN comms_lead_id INTEGER REFERENCES users (id);
ALTER TABLE timeline_entries ADD COLUMN author_id INTEGER REFERENCES users (id);
