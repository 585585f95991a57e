-- 0004 zones and content: an institution's branded zone, its content, the compliance
-- lexicons, moderation decisions, uploads, follows.

-- Images uploaded by institutions (logos, article images), served at /uploads/<id>.
CREATE TABLE uploads (
    id              TEXT    PRIMARY KEY,           -- hex SHA-256 of the bytes
    institution_id  INTEGER NOT NULL REFERENCES institutions (id),
    content_type    TEXT    NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp')),
    width           INTEGER NOT NULL CHECK (width > 0),
    height          INTEGER NOT NULL CHECK (height > 0),
    bytes           BLOB    NOT NULL,
    created_by      INTEGER NOT NULL,
    created_ms      INTEGER NOT NULL
) STRICT;
CREATE INDEX uploads_institution ON uploads (institution_id, created_ms);

-- A zone's brand, versioned: the live version stays up until a new one is approved.
CREATE TABLE zone_versions (
    id              INTEGER PRIMARY KEY,
    institution_id  INTEGER NOT NULL REFERENCES institutions (id),
    display_name    TEXT    NOT NULL,
    logo_upload_id  TEXT    REFERENCES uploads (id),
    theme_color     TEXT    NOT NULL,
    slogan          TEXT    NOT NULL,
    introduction    TEXT    NOT NULL,
    modules         TEXT    NOT NULL,              -- JSON array, in display order
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'rejected',
                                                       'superseded')),
    check_result    TEXT    NOT NULL,              -- JSON: matches of the compliance check
    submitted_by    INTEGER NOT NULL,
    submitted_ms    INTEGER NOT NULL,
    decided_by      INTEGER,
    decided_ms      INTEGER,
    reason          TEXT
) STRICT;
CREATE INDEX zone_versions_inst ON zone_versions (institution_id, status, submitted_ms);

-- The compliance lexicons: one row per version; the newest is in force.
CREATE TABLE lexicon_versions (
    version         INTEGER PRIMARY KEY,
    terms           TEXT    NOT NULL,              -- JSON [{term, severity, category}]
    created_by      INTEGER,
    created_ms      INTEGER NOT NULL
) STRICT;

-- Articles, announcements and short posts. Every edit is a new version; the item shows
-- its latest published version.
CREATE TABLE contents (
    id              INTEGER PRIMARY KEY,
    institution_id  INTEGER NOT NULL REFERENCES institutions (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('article', 'announcement', 'post')),
    status          TEXT    NOT NULL CHECK (status IN ('draft', 'held', 'blocked', 'published',
                                                       'rejected', 'taken_down')),
    published_version INTEGER,
    latest_version  INTEGER NOT NULL,
    created_by      INTEGER NOT NULL,
    created_ms      INTEGER NOT NULL,
    updated_ms      INTEGER NOT NULL,
    published_ms    INTEGER
) STRICT;
CREATE INDEX contents_inst ON contents (institution_id, status, updated_ms);
CREATE INDEX contents_published ON contents (status, published_ms);

CREATE TABLE content_versions (
    content_id      INTEGER NOT NULL REFERENCES contents (id),
    version         INTEGER NOT NULL,
    title           TEXT    NOT NULL,
    body            TEXT    NOT NULL,              -- Markdown subset
    status          TEXT    NOT NULL CHECK (status IN ('draft', 'held', 'blocked', 'published',
                                                       'rejected', 'superseded', 'taken_down')),
    check_result    TEXT    NOT NULL,              -- JSON: lexicon version, matches with spans
    lexicon_version INTEGER,
    created_by      INTEGER NOT NULL,
    created_ms      INTEGER NOT NULL,
    PRIMARY KEY (content_id, version)
) STRICT;

-- Every decision about anything moderated, automatic or human.
CREATE TABLE moderation_decisions (
    id              INTEGER PRIMARY KEY,
    subject         TEXT    NOT NULL,              -- 'content:<id>:<version>', 'zone:<version id>'
    institution_id  INTEGER,
    decision        TEXT    NOT NULL CHECK (decision IN ('auto_pass', 'auto_hold', 'auto_block',
                                                         'approve', 'reject', 'take_down')),
    reason          TEXT    NOT NULL,
    decided_by      INTEGER,                       -- NULL: the automatic check
    decided_ms      INTEGER NOT NULL
) STRICT;
CREATE INDEX moderation_decisions_subject ON moderation_decisions (subject, decided_ms);
CREATE INDEX moderation_decisions_inst ON moderation_decisions (institution_id, decided_ms);

CREATE TABLE follows (
    investor_id     INTEGER NOT NULL REFERENCES users (id),
    institution_id  INTEGER NOT NULL REFERENCES institutions (id),
    created_ms      INTEGER NOT NULL,
    PRIMARY KEY (investor_id, institution_id)
) STRICT;
CREATE INDEX follows_institution ON follows (institution_id, created_ms);

-- Investors' questions to a zone and the institution's answers. A question is checked like
-- content before anyone sees it; the answer's delay is kept (the fair rule uses it).
CREATE TABLE questions (
    id              INTEGER PRIMARY KEY,
    institution_id  INTEGER NOT NULL REFERENCES institutions (id),
    investor_id     INTEGER NOT NULL REFERENCES users (id),
    body            TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('held', 'published', 'rejected')),
    check_result    TEXT    NOT NULL,
    created_ms      INTEGER NOT NULL,
    published_ms    INTEGER,
    answer          TEXT,
    answered_by     INTEGER,
    answered_ms     INTEGER,
    response_ms     INTEGER                        -- answered_ms - published_ms
) STRICT;
CREATE INDEX questions_zone ON questions (institution_id, status, created_ms);
CREATE INDEX questions_investor ON questions (investor_id, created_ms);

-- An investor's separate consent (PIPL Art. 23) for one institution to see their name,
-- mobile number and holdings of that institution's products. Kept with the exact text
-- agreed to; revoking ends it at once. Following a zone shares nothing.
CREATE TABLE consents (
    id              INTEGER PRIMARY KEY,
    investor_id     INTEGER NOT NULL REFERENCES users (id),
    institution_id  INTEGER NOT NULL REFERENCES institutions (id),
    text_version    TEXT    NOT NULL,
    text            TEXT    NOT NULL,
    granted_ms      INTEGER NOT NULL,
    revoked_ms      INTEGER
) STRICT;
CREATE INDEX consents_investor ON consents (investor_id, institution_id, granted_ms);
CREATE INDEX consents_institution ON consents (institution_id, revoked_ms);
