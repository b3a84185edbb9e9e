-- Admins' own postmortem templates (the built-in ones live in code), and
-- which template a new postmortem gets for each severity.
CREATE TABLE postmortem_templates (
    name       TEXT    PRIMARY KEY,
    label      TEXT    NOT NULL,
    -- JSON: [{key, heading, guidance}]. TEXT, not JSONB: the store writes
    -- and reads it as a String.
    sections   TEXT    NOT NULL,
    version    BIGINT  NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE template_defaults (
    severity TEXT PRIMARY KEY CHECK (severity IN ('SEV1', 'SEV2', 'SEV3', 'SEV4')),
    template TEXT NOT NULL
);
