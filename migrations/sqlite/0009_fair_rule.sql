-- 0009 the fair traffic rule (DESIGN §7): rule versions, the daily metric inputs, each day's
-- signed record and its per-institution results, delivered impressions, and the mark of the
-- platform's own institutions (which the score never reads).

-- A version is a draft until it is published; from then on it never changes (the trigger
-- below), and a later version supersedes it from its own effective date. The rule in force on
-- day D is the published version with the latest effective_date <= D.
CREATE TABLE fair_rule_versions (
    version         INTEGER PRIMARY KEY,
    status          TEXT    NOT NULL CHECK (status IN ('draft', 'published')),
    text            TEXT    NOT NULL,           -- canonical JSON of the rule
    hash            TEXT,                       -- SHA-256 of text, hex; set on publication
    created_by      INTEGER,
    created_ms      INTEGER NOT NULL,
    updated_ms      INTEGER NOT NULL,
    published_by    INTEGER,
    published_ms    INTEGER,
    published_date  TEXT,                       -- business date of publication, UTC+8
    notice_days     INTEGER,
    effective_date  TEXT,                       -- published_date + notice_days
    CHECK ((status = 'published') = (hash IS NOT NULL AND published_ms IS NOT NULL AND
                                     published_date IS NOT NULL AND notice_days IS NOT NULL AND
                                     effective_date IS NOT NULL))
) STRICT;
CREATE INDEX fair_rule_versions_effective ON fair_rule_versions (effective_date, version)
    WHERE status = 'published';

CREATE TRIGGER fair_rule_versions_frozen BEFORE UPDATE ON fair_rule_versions
    WHEN OLD.status <> 'draft'
BEGIN
    SELECT RAISE(ABORT, 'a published fair rule version cannot be changed, only superseded');
END;
CREATE TRIGGER fair_rule_versions_kept BEFORE DELETE ON fair_rule_versions
    WHEN OLD.status <> 'draft'
BEGIN
    SELECT RAISE(ABORT, 'a published fair rule version cannot be deleted');
END;

-- One published day: the canonical record, its hash, the previous day's hash it chains to
-- and the Ed25519 signature of the hash. Append-only.
CREATE TABLE fair_days (
    day             TEXT    PRIMARY KEY,
    rule_version    INTEGER NOT NULL REFERENCES fair_rule_versions (version),
    record          TEXT    NOT NULL,
    hash            TEXT    NOT NULL,
    prev_hash       TEXT    NOT NULL,
    signature       TEXT    NOT NULL,
    institutions    INTEGER NOT NULL,
    total           INTEGER NOT NULL,
    created_ms      INTEGER NOT NULL
) STRICT;
CREATE TRIGGER fair_days_no_update BEFORE UPDATE ON fair_days
BEGIN
    SELECT RAISE(ABORT, 'fair_days is append-only');
END;
CREATE TRIGGER fair_days_no_delete BEFORE DELETE ON fair_days
BEGIN
    SELECT RAISE(ABORT, 'fair_days is append-only');
END;

-- The same day per institution, for its breakdown and for serving the allocation; written
-- with the record, from the same figures.
CREATE TABLE fair_day_results (
    institution_id  INTEGER NOT NULL,
    day             TEXT    NOT NULL,
    is_new          INTEGER NOT NULL CHECK (is_new IN (0, 1)),
    inputs          TEXT    NOT NULL,           -- JSON object metric -> value
    norm            TEXT    NOT NULL,           -- JSON object metric -> ppm
    score_ppm       INTEGER NOT NULL,
    floor           INTEGER NOT NULL,
    cap             INTEGER NOT NULL,
    impressions     INTEGER NOT NULL,
    costliest       TEXT,                       -- metric that cost the score most, if any
    PRIMARY KEY (institution_id, day)
) STRICT, WITHOUT ROWID;
CREATE INDEX fair_day_results_day ON fair_day_results (day, institution_id);

-- Recommendation impressions delivered, per day served and institution (flushed from memory
-- every few seconds).
CREATE TABLE fair_deliveries (
    day             TEXT    NOT NULL,
    institution_id  INTEGER NOT NULL,
    delivered       INTEGER NOT NULL,
    PRIMARY KEY (day, institution_id)
) STRICT, WITHOUT ROWID;

-- Shown publicly; never an input of the score or the allocation.
ALTER TABLE institutions ADD COLUMN platform_own INTEGER NOT NULL DEFAULT 0
    CHECK (platform_own IN (0, 1));
