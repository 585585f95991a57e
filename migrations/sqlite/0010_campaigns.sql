-- 0010 campaigns: an institution's marketing campaigns of the allowed types (a subscription-fee
-- discount on its own products, a promotion of its own content among its followers, a message
-- to a segment of its followers or holders), the orders attributed to them with the discount
-- given at confirmation, and investors' opt-out of personalised marketing (PIPL Art. 24).

-- A campaign waits for an operator's approval before it runs; running, ended and exhausted
-- are read from the period and the budget, never stored. Money in fen, rates in ppm.
CREATE TABLE campaigns (
    id                  INTEGER PRIMARY KEY,
    institution_id      INTEGER NOT NULL REFERENCES institutions (id),
    type                TEXT    NOT NULL CHECK (type IN ('fee_discount', 'content_promotion',
                                                         'segment_message')),
    name                TEXT    NOT NULL,
    text                TEXT    NOT NULL,
    start_date          TEXT    NOT NULL,           -- first day, UTC+8
    end_date            TEXT    NOT NULL,           -- last day, inclusive
    start_ms            INTEGER NOT NULL,           -- 00:00 UTC+8 of start_date
    end_ms              INTEGER NOT NULL,           -- 00:00 UTC+8 of the day after end_date
    -- fee_discount: the most the campaign may take off fees, all orders together, and what it
    -- has taken so far (confirmation adds to it in the same write as the orders).
    budget_fen          INTEGER NOT NULL CHECK (budget_fen >= 0),
    spent_fen           INTEGER NOT NULL DEFAULT 0 CHECK (spent_fen >= 0),
    -- fee_discount: the share of the rate fee (after the platform's own discount) taken off.
    discount_ppm        INTEGER NOT NULL DEFAULT 0 CHECK (discount_ppm BETWEEN 0 AND 1000000),
    content_id          INTEGER REFERENCES contents (id),   -- content_promotion
    -- Who it is for: everyone ('all'; a promotion: all followers), investors with no order
    -- of the institution yet, risk classes (bit k-1 set: Ck), holders of one product; a
    -- segment message: followers, or holders (of one product, or of any).
    segment             TEXT    NOT NULL CHECK (segment IN ('all', 'new_investors', 'risk',
                                                            'holders', 'followers')),
    risk_mask           INTEGER NOT NULL DEFAULT 0 CHECK (risk_mask BETWEEN 0 AND 31),
    segment_product_id  INTEGER REFERENCES products (id),
    status              TEXT    NOT NULL CHECK (status IN ('draft', 'pending', 'approved',
                                                           'rejected')),
    check_result        TEXT    NOT NULL,           -- JSON: the compliance check of name, text
    created_by          INTEGER NOT NULL REFERENCES users (id),
    created_ms          INTEGER NOT NULL,
    submitted_by        INTEGER,
    submitted_ms        INTEGER,
    decided_by          INTEGER,
    decided_ms          INTEGER,
    reason              TEXT,
    CHECK (spent_fen <= budget_fen),
    CHECK (start_ms < end_ms),
    CHECK ((type = 'fee_discount') = (discount_ppm > 0)),
    CHECK ((type = 'content_promotion') = (content_id IS NOT NULL)),
    CHECK ((segment = 'risk') = (risk_mask <> 0)),
    CHECK (segment IN ('holders') OR segment_product_id IS NULL)
) STRICT;
CREATE INDEX campaigns_inst ON campaigns (institution_id, created_ms, id);
CREATE INDEX campaigns_pending ON campaigns (status, submitted_ms);
-- The feed's pinned promotions of a followed zone.
CREATE INDEX campaigns_running ON campaigns (institution_id, type, status, end_ms);

-- The products a fee discount applies to (or a promotion names, for attribution only).
CREATE TABLE campaign_products (
    campaign_id         INTEGER NOT NULL REFERENCES campaigns (id),
    product_id          INTEGER NOT NULL REFERENCES products (id),
    PRIMARY KEY (campaign_id, product_id)
) STRICT, WITHOUT ROWID;

-- An order placed through a campaign, and the fee the campaign took off it at confirmation
-- (NULL until then, 0 when the budget was spent).
ALTER TABLE orders ADD COLUMN campaign_id INTEGER REFERENCES campaigns (id);
ALTER TABLE orders ADD COLUMN discount_fen INTEGER CHECK (discount_fen >= 0);
CREATE INDEX orders_campaign ON orders (campaign_id, status) WHERE campaign_id IS NOT NULL;

-- A segment message is a message of the messages module, sent by its campaign's approval.
ALTER TABLE messages ADD COLUMN campaign_id INTEGER REFERENCES campaigns (id);
