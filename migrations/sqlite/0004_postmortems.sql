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

-- Review: a checklist per postmortem, and comment threads on sections.
CREATE TABLE postmortem_checklist (
    postmortem_id INTEGER NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    item          TEXT    NOT NULL,
    checked_by    TEXT,
    checked_at    TEXT    NOT NULL,
    PRIMARY KEY (postmortem_id, item)
);

CREATE TABLE review_threads (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    postmortem_id INTEGER NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    section_key   TEXT    NOT NULL,
    resolved      INTEGER NOT NULL DEFAULT 0,
    resolved_by   TEXT,
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);
CREATE INDEX review_threads_by_postmortem ON review_threads (postmortem_id, section_key);

CREATE TABLE review_comments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    thread_id  INTEGER NOT NULL REFERENCES review_threads (id) ON DELETE CASCADE,
    body_md    TEXT    NOT NULL,
    body_html  TEXT    NOT NULL,
    author     TEXT,
    author_id  INTEGER REFERENCES users (id),
    created_at TEXT    NOT NULL
);
CREATE INDEX review_comments_by_thread ON review_comments (thread_id, id);
