-- 0005 messages: an institution's messages to investors, stored once and resolved when an
-- investor reads; the inbox's read marks; muted zones; notifications that tell authors
-- what reviewers decided; and the indexes the feed and the audience counts read by.

-- A message to the institution's followers, or to the holders of its products (all of
-- them, or one). It is stored once, however large the audience: who sees it is decided
-- when an investor reads the inbox. A follower sees it when they followed at or before
-- `sent_ms`; a holder while they hold the product(s).
CREATE TABLE messages (
    id              INTEGER PRIMARY KEY,
    institution_id  INTEGER NOT NULL REFERENCES institutions (id),
    audience        TEXT    NOT NULL CHECK (audience IN ('followers', 'holders')),
    product_id      INTEGER REFERENCES products (id), -- holders of this one; NULL: of any
    title           TEXT    NOT NULL,
    body            TEXT    NOT NULL,                 -- plain text, shown as written
    status          TEXT    NOT NULL CHECK (status IN ('held', 'delivered', 'rejected')),
    check_result    TEXT    NOT NULL,                 -- JSON: the compliance check
    reach           INTEGER NOT NULL CHECK (reach >= 0), -- audience size when sent
    created_by      INTEGER NOT NULL REFERENCES users (id),
    created_ms      INTEGER NOT NULL,
    -- Delivery time: at once, or when a reviewer approves. Strictly increasing in the order
    -- of delivery (the writer makes it so), so it doubles as the inbox's read watermark.
    sent_ms         INTEGER,
    decided_by      INTEGER,
    decided_ms      INTEGER,
    reason          TEXT,
    CHECK (audience = 'holders' OR product_id IS NULL),
    CHECK ((status = 'delivered') = (sent_ms IS NOT NULL))
) STRICT;
-- The inbox reads a zone's delivered messages by time; the daily limit counts them.
CREATE INDEX messages_zone ON messages (institution_id, status, sent_ms, id);
CREATE INDEX messages_created ON messages (institution_id, created_ms, id);
CREATE INDEX messages_held ON messages (status, created_ms);
CREATE UNIQUE INDEX messages_sent ON messages (sent_ms);

-- Messages an investor has read one by one.
CREATE TABLE message_reads (
    investor_id     INTEGER NOT NULL REFERENCES users (id),
    message_id      INTEGER NOT NULL REFERENCES messages (id),
    read_ms         INTEGER NOT NULL,
    PRIMARY KEY (investor_id, message_id)
) STRICT;

-- "Mark all read": every message delivered up to `read_upto_ms` is read.
CREATE TABLE inbox_marks (
    investor_id     INTEGER PRIMARY KEY REFERENCES users (id),
    read_upto_ms    INTEGER NOT NULL,
    marked_ms       INTEGER NOT NULL
) STRICT;

-- Zones whose messages an investor does not want to see; following is unaffected.
CREATE TABLE zone_mutes (
    investor_id     INTEGER NOT NULL REFERENCES users (id),
    institution_id  INTEGER NOT NULL REFERENCES institutions (id),
    created_ms      INTEGER NOT NULL,
    PRIMARY KEY (investor_id, institution_id)
) STRICT;
CREATE INDEX zone_mutes_institution ON zone_mutes (institution_id, investor_id);

-- What a reviewer decided about something a user wrote, for its author, and how a report
-- was resolved, for the investor who filed it. Written in the same write as the decision.
-- (The comments, fund managers and reports these kinds speak of are created in 0006, the
-- campaigns in 0010.)
CREATE TABLE notifications (
    id              INTEGER PRIMARY KEY,
    recipient_id    INTEGER NOT NULL REFERENCES users (id),
    kind            TEXT    NOT NULL CHECK (kind IN ('content_approved', 'content_rejected',
                                                     'content_taken_down', 'zone_approved',
                                                     'zone_rejected', 'zone_taken_down',
                                                     'message_approved', 'message_rejected',
                                                     'question_approved', 'question_rejected',
                                                     'question_taken_down',
                                                     'answer_taken_down', 'comment_approved',
                                                     'comment_rejected', 'comment_taken_down',
                                                     'manager_approved', 'manager_rejected',
                                                     'report_dismissed', 'report_upheld',
                                                     'campaign_approved', 'campaign_rejected')),
    -- As in moderation_decisions (an answer: 'question:<id>:answer'); for a reporter, their
    -- own report: 'report:<id>'.
    subject         TEXT    NOT NULL,
    text            TEXT    NOT NULL,
    created_ms      INTEGER NOT NULL,
    read_ms         INTEGER
) STRICT;
CREATE INDEX notifications_recipient ON notifications (recipient_id, created_ms, id);
CREATE INDEX notifications_unread ON notifications (recipient_id) WHERE read_ms IS NULL;

-- The feed: a followed zone's published items by first publication.
CREATE INDEX contents_feed ON contents (institution_id, published_ms, id)
    WHERE published_version IS NOT NULL;

-- Holders of an institution's products, counted when a message is sent.
CREATE INDEX share_lots_product ON share_lots (product_id, investor_id) WHERE shares_h > 0;
