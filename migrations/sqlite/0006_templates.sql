-- Admins' own postmortem templates (the built-in ones live in code), and
-- which template a new postmortem gets for each severity.
CREATE TABLE postmortem_templates (
    name       TEXT    PRIMARY KEY,
    label      TEXT    NOT NULL,
    sections   TEXT    NOT NULL,  -- JSON: [{key, heading, guidance}]
    version    INTEGER NOT NULL DEFAULT 1,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL
);

CREATE TABLE template_defaults (
    severity TEXT PRIMARY KEY CHECK (severity IN ('SEV1', 'SEV2', 'SEV3', 'SEV4')),
    template TEXT NOT NULL
);
