-- 0008 events: the investor app's interaction events, the daily roll-ups built from them
-- and from orders, holdings, follows and questions, the fair rule's metric inputs, and the
-- investors' choice about personalised marketing (PIPL Art. 24).

-- Interaction events as the app sends them, append-only. No investor id: `investor_key` is
-- a pseudonym, the first 8 bytes of a keyed BLAKE2b of the investor's id under the server's
-- data key (base/crypto.h), so this table alone cannot be tied to an account.
-- The id is time-ordered: (receive time in UTC ms << 16) + a sequence, made by the writer and
-- strictly increasing, so one day's events are one range of ids (no index on time needed)
-- and every insert lands at the right edge of the table's B-tree. The only index is the id.
CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    kind            INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 8), -- core/event.h
    investor_key    INTEGER NOT NULL,
    institution_id  INTEGER NOT NULL,  -- the zone's; of the product or content, as resolved
    product_id      INTEGER,
    content_id      INTEGER,
    slot            INTEGER,           -- recommendation_impression: 1 home, 2 feed
    client_ms       INTEGER NOT NULL   -- the app's clock: kept, never trusted for the day
) STRICT;

-- Follows and unfollows as they happen (`follows` keeps only the current ones), so that a
-- day's follower change, and the follower count at the end of a past day, are exact.
CREATE TABLE follow_changes (
    id              INTEGER PRIMARY KEY,
    institution_id  INTEGER NOT NULL REFERENCES institutions (id),
    delta           INTEGER NOT NULL CHECK (delta IN (-1, 1)),
    at_ms           INTEGER NOT NULL
) STRICT;
CREATE INDEX follow_changes_at ON follow_changes (at_ms);

-- The rule metrics read answers by the time they were given.
CREATE INDEX questions_answered ON questions (answered_ms) WHERE answered_ms IS NOT NULL;

-- Daily roll-ups (`caifuhao batch rollup --date D`, jobs/rollup.c). A day is a business day
-- in UTC+8; an event belongs to the day the server received it. Money in fen, shares in
-- hundredths; counts of people are distinct pseudonymous keys. docs/metrics.md defines
-- every column.
CREATE TABLE rollup_inst_daily (
    institution_id        INTEGER NOT NULL REFERENCES institutions (id),
    day                   TEXT    NOT NULL,
    zone_views            INTEGER NOT NULL,
    product_views         INTEGER NOT NULL,
    content_views         INTEGER NOT NULL,
    shares                INTEGER NOT NULL,
    impressions           INTEGER NOT NULL,
    visitors              INTEGER NOT NULL,
    new_visitors          INTEGER NOT NULL,
    funnel_zone_view      INTEGER NOT NULL,
    funnel_product_view   INTEGER NOT NULL,
    funnel_order_started  INTEGER NOT NULL,
    funnel_order_placed   INTEGER NOT NULL,
    follows_gained        INTEGER NOT NULL,
    follows_lost          INTEGER NOT NULL,
    followers             INTEGER NOT NULL,
    orders                INTEGER NOT NULL,
    subscriptions         INTEGER NOT NULL,
    subscribe_amount_fen  INTEGER NOT NULL,
    redemptions           INTEGER NOT NULL,
    redeem_shares_h       INTEGER NOT NULL,
    buyers                INTEGER NOT NULL,
    inflow_fen            INTEGER NOT NULL,
    outflow_fen           INTEGER NOT NULL,
    holders               INTEGER NOT NULL,
    aum_fen               INTEGER NOT NULL,
    holders_30d_base      INTEGER NOT NULL,
    holders_30d_kept      INTEGER NOT NULL,
    holders_90d_base      INTEGER NOT NULL,
    holders_90d_kept      INTEGER NOT NULL,
    questions             INTEGER NOT NULL,
    answers               INTEGER NOT NULL,
    response_s_median     INTEGER,           -- NULL: no answer that day
    complaints            INTEGER NOT NULL,
    PRIMARY KEY (institution_id, day)
) STRICT, WITHOUT ROWID;
CREATE INDEX rollup_inst_daily_day ON rollup_inst_daily (day);

CREATE TABLE rollup_product_daily (
    product_id            INTEGER NOT NULL REFERENCES products (id),
    day                   TEXT    NOT NULL,
    institution_id        INTEGER NOT NULL REFERENCES institutions (id),
    views                 INTEGER NOT NULL,
    visitors              INTEGER NOT NULL,
    orders_started        INTEGER NOT NULL,  -- order_started events
    orders                INTEGER NOT NULL,  -- orders placed (the orders table)
    subscriptions         INTEGER NOT NULL,
    subscribe_amount_fen  INTEGER NOT NULL,
    redemptions           INTEGER NOT NULL,
    redeem_shares_h       INTEGER NOT NULL,
    buyers                INTEGER NOT NULL,
    inflow_fen            INTEGER NOT NULL,
    outflow_fen           INTEGER NOT NULL,
    holders               INTEGER NOT NULL,
    shares_h              INTEGER NOT NULL,
    nav_e4                INTEGER,           -- the latest confirmed NAV on or before the day
    aum_fen               INTEGER NOT NULL,
    holders_30d_base      INTEGER NOT NULL,
    holders_30d_kept      INTEGER NOT NULL,
    holders_90d_base      INTEGER NOT NULL,
    holders_90d_kept      INTEGER NOT NULL,
    PRIMARY KEY (product_id, day)
) STRICT, WITHOUT ROWID;
CREATE INDEX rollup_product_daily_inst ON rollup_product_daily (institution_id, day);
CREATE INDEX rollup_product_daily_day ON rollup_product_daily (day);

CREATE TABLE rollup_content_daily (
    content_id            INTEGER NOT NULL REFERENCES contents (id),
    day                   TEXT    NOT NULL,
    institution_id        INTEGER NOT NULL REFERENCES institutions (id),
    views                 INTEGER NOT NULL,
    visitors              INTEGER NOT NULL,
    shares                INTEGER NOT NULL,
    PRIMARY KEY (content_id, day)
) STRICT, WITHOUT ROWID;
CREATE INDEX rollup_content_daily_inst ON rollup_content_daily (institution_id, day);
CREATE INDEX rollup_content_daily_day ON rollup_content_daily (day);

-- One row per investor (pseudonym), institution and day with any event or order: what the
-- segment breakdowns count. Segment values are those of the day: risk class from the
-- latest assessment (0: none), age band and province from the identity profile (0: none).
-- Never shown row by row; dashboards publish counts of at least segment_min_investors.
CREATE TABLE investor_days (
    institution_id  INTEGER NOT NULL REFERENCES institutions (id),
    day             TEXT    NOT NULL,
    investor_key    INTEGER NOT NULL,
    flags           INTEGER NOT NULL,  -- core/segment.h SEG_F_*: what the investor did
    is_new          INTEGER NOT NULL CHECK (is_new IN (0, 1)),
    risk_class      INTEGER NOT NULL CHECK (risk_class BETWEEN 0 AND 5),
    age_band        INTEGER NOT NULL CHECK (age_band BETWEEN 0 AND 6),
    region          INTEGER NOT NULL CHECK (region BETWEEN 0 AND 99),
    orders          INTEGER NOT NULL,
    amount_fen      INTEGER NOT NULL,
    PRIMARY KEY (institution_id, day, investor_key)
) STRICT, WITHOUT ROWID;

-- The first day an investor (pseudonym) was seen by an institution: new or returning.
CREATE TABLE investor_first_seen (
    institution_id  INTEGER NOT NULL,
    investor_key    INTEGER NOT NULL,
    first_day       TEXT    NOT NULL,
    PRIMARY KEY (institution_id, investor_key)
) STRICT, WITHOUT ROWID;

-- The fair rule's inputs: one row per day, institution and metric of the fixed catalogue
-- (docs/metrics.md). `value` is NULL when the window holds nothing to measure (no answer,
-- no holder, no impression); otherwise value = numerator × 10^6 / denominator truncated
-- toward zero for 'ppm', and the lower median in whole seconds for 'question_response_time'
-- (numerator NULL, denominator the number of answers).
CREATE TABLE inst_metrics_daily (
    day             TEXT    NOT NULL,
    institution_id  INTEGER NOT NULL REFERENCES institutions (id),
    metric          TEXT    NOT NULL CHECK (metric IN ('question_response_time', 'answer_rate',
                                'holder_retention_90d', 'complaint_rate', 'compliance_record',
                                'content_engagement', 'follower_growth')),
    value           INTEGER,
    unit            TEXT    NOT NULL CHECK (unit IN ('s', 'ppm')),
    numerator       INTEGER,
    denominator     INTEGER NOT NULL CHECK (denominator >= 0),
    window_days     INTEGER NOT NULL CHECK (window_days > 0),
    PRIMARY KEY (day, institution_id, metric)
) STRICT, WITHOUT ROWID;

-- Personalised marketing (PIPL Art. 24): an investor who opts out gets no campaign chosen
-- for them by their data. It limits nothing else. Every change is kept.
CREATE TABLE marketing_prefs (
    investor_id     INTEGER PRIMARY KEY REFERENCES users (id),
    opted_out       INTEGER NOT NULL CHECK (opted_out IN (0, 1)),
    updated_ms      INTEGER NOT NULL
) STRICT;

CREATE TABLE marketing_pref_changes (
    id              INTEGER PRIMARY KEY,
    investor_id     INTEGER NOT NULL REFERENCES users (id),
    opted_out       INTEGER NOT NULL CHECK (opted_out IN (0, 1)),
    at_ms           INTEGER NOT NULL
) STRICT;
CREATE INDEX marketing_pref_changes_investor ON marketing_pref_changes (investor_id, at_ms);
