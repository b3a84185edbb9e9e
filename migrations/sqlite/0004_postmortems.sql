-- Postmortems: one per incident, made of sections saved separately. Each
-- section carries a version (a stale save is refused) and every saved state
-- is kept as a revision, so nothing written is ever lost.
CREATE TABLE postmortems (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_id   INTEGER NOT NULL UNIQUE REFERENCES incidents (id) ON DELETE CASCADE,
    template      TEXT    NOT NULL,
    status        TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'in_review', 'published')),
    version       INTEGER NOT NULL DEFAULT 1,
    created_by_id INTEGER REFERENCES users (id),
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);

CREATE TABLE postmortem_sections (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    postmortem_id INTEGER NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    key           TEXT    NOT NULL,
    heading       TEXT    NOT NULL,
    guidance      TEXT    NOT NULL DEFAULT '',
    body_md       TEXT    NOT NULL DEFAULT '',
    body_html     TEXT    NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    updated_by    TEXT,
    updated_by_id INTEGER REFERENCES users (id),
    updated_at    TEXT    NOT NULL,
    UNIQUE (postmortem_id, key)
);

-- Every saved state of a section, version 1 (empty) included.
CREATE TABLE section_revisions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    section_id INTEGER NOT NULL REFERENCES postmortem_sections (id) ON DELETE CASCADE,
    version    INTEGER NOT NULL,
    body_md    TEXT    NOT NULL,
    author     TEXT,
    author_id  INTEGER REFERENCES users (id),
    created_at TEXT    NOT NULL,
    UNIQUE (section_id, version)
);
