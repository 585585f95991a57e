-- 0006 social: investors' comments on content, reports of anything an investor can see, the
-- fund managers of a zone, and full-text search over zones, products and content.

-- An answer taken down after a report: the question stays, the answer no longer shows, and the
-- institution may answer again.
ALTER TABLE questions ADD COLUMN answer_taken_down_ms INTEGER;

-- Comments on published content, checked like questions before anyone sees them.
CREATE TABLE comments (
    id              INTEGER PRIMARY KEY,
    content_id      INTEGER NOT NULL REFERENCES contents (id),
    institution_id  INTEGER NOT NULL REFERENCES institutions (id),
    investor_id     INTEGER NOT NULL REFERENCES users (id),
    body            TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('published', 'held', 'rejected',
                                                       'deleted', 'taken_down')),
    check_result    TEXT    NOT NULL,              -- JSON: matches of the compliance check
    created_ms      INTEGER NOT NULL,
    published_ms    INTEGER,
    decided_ms      INTEGER,
    deleted_ms      INTEGER
) STRICT;
-- The public list of a content (newest first), the author's own list and rate limits, the
-- review queue.
CREATE INDEX comments_content ON comments (content_id, status, published_ms, id);
CREATE INDEX comments_investor ON comments (investor_id, created_ms);
CREATE INDEX comments_status ON comments (status, created_ms);

-- Investors' reports of what they saw. One open report per investor and target; an operator
-- resolves every open report of a target together.
CREATE TABLE reports (
    id              INTEGER PRIMARY KEY,
    reporter_id     INTEGER NOT NULL REFERENCES users (id),
    target_kind     TEXT    NOT NULL CHECK (target_kind IN ('content', 'question', 'answer',
                                                            'comment', 'zone')),
    target_id       INTEGER NOT NULL,              -- content, question (also for its answer),
                                                   -- comment or institution id
    institution_id  INTEGER NOT NULL REFERENCES institutions (id),
    category        TEXT    NOT NULL CHECK (category IN ('misleading_claims',
                                                         'guaranteed_returns',
                                                         'illegal_fundraising', 'harassment',
                                                         'privacy', 'other')),
    text            TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('open', 'dismissed', 'taken_down')),
    created_ms      INTEGER NOT NULL,
    resolved_by     INTEGER,
    resolved_ms     INTEGER,
    resolution_reason TEXT
) STRICT;
CREATE UNIQUE INDEX reports_one_open ON reports (reporter_id, target_kind, target_id)
    WHERE status = 'open';
CREATE INDEX reports_status ON reports (status, created_ms);
CREATE INDEX reports_target ON reports (target_kind, target_id, status);
CREATE INDEX reports_reporter ON reports (reporter_id, created_ms);

-- Fund managers shown in a zone. Every save is a version: a clean one goes live at once, one
-- with a review match waits for a reviewer while the live version stays up.
CREATE TABLE fund_managers (
    id              INTEGER PRIMARY KEY,
    institution_id  INTEGER NOT NULL REFERENCES institutions (id),
    status          TEXT    NOT NULL CHECK (status IN ('active', 'removed')),
    latest_version  INTEGER NOT NULL,
    created_by      INTEGER NOT NULL,
    created_ms      INTEGER NOT NULL,
    updated_ms      INTEGER NOT NULL
) STRICT;
CREATE INDEX fund_managers_inst ON fund_managers (institution_id, status, created_ms);

CREATE TABLE fund_manager_versions (
    manager_id      INTEGER NOT NULL REFERENCES fund_managers (id),
    version         INTEGER NOT NULL,
    name            TEXT    NOT NULL,
    photo_upload_id TEXT    REFERENCES uploads (id),
    title           TEXT    NOT NULL,
    years_experience INTEGER NOT NULL CHECK (years_experience >= 0),
    bio             TEXT    NOT NULL,
    status          TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'rejected',
                                                       'superseded')),
    check_result    TEXT    NOT NULL,
    submitted_by    INTEGER NOT NULL,
    submitted_ms    INTEGER NOT NULL,
    decided_by      INTEGER,
    decided_ms      INTEGER,
    reason          TEXT,
    PRIMARY KEY (manager_id, version)
) STRICT;
CREATE INDEX fund_manager_versions_status ON fund_manager_versions (status, submitted_ms);

-- The products a version of a manager's profile names, in the order given.
CREATE TABLE fund_manager_products (
    manager_id      INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    position        INTEGER NOT NULL,
    product_id      INTEGER NOT NULL REFERENCES products (id),
    PRIMARY KEY (manager_id, version, position),
    FOREIGN KEY (manager_id, version) REFERENCES fund_manager_versions (manager_id, version)
) STRICT;

-- Search: trigram full-text indexes (substrings of 3 or more characters, Chinese included,
-- Latin case-insensitive). The rowid is the institution, product or content id. They hold the
-- texts only; who may see a row is decided when searching. The write paths keep them in step
-- (src/api/search.c): triggers cannot, since connections run with trusted_schema=OFF, which
-- keeps virtual tables out of triggers. On PostgreSQL there are no such tables: pg_trgm GIN
-- indexes (gin_trgm_ops) on the source columns serve ILIKE directly.
CREATE VIRTUAL TABLE search_zones USING fts5 (display_name, slogan, introduction,
                                              tokenize = 'trigram');
CREATE VIRTUAL TABLE search_products USING fts5 (code, name, tokenize = 'trigram');
CREATE VIRTUAL TABLE search_contents USING fts5 (title, body, tokenize = 'trigram');

INSERT INTO search_zones (rowid, display_name, slogan, introduction)
    SELECT institution_id, display_name, slogan, introduction FROM zone_versions
    WHERE status = 'approved';
INSERT INTO search_products (rowid, code, name) SELECT id, code, name FROM products;
INSERT INTO search_contents (rowid, title, body)
    SELECT c.id, v.title, v.body FROM contents c
    JOIN content_versions v ON v.content_id = c.id AND v.version = c.published_version;

-- The short-query scans read the newest published content first.
CREATE INDEX contents_published_ms ON contents (published_ms, id);
