-- 0003 trading: products, NAV, investor accounts, risk assessment, orders and the
-- double-entry ledger. Money in fen, shares in hundredths, NAV in 0.0001 CNY, rates in
-- parts per million (DESIGN.md §4); dates of business are 'YYYY-MM-DD' in UTC+8.

CREATE TABLE products (
    id                  INTEGER PRIMARY KEY,
    institution_id      INTEGER NOT NULL REFERENCES institutions (id),
    code                TEXT    NOT NULL UNIQUE CHECK (length(code) = 6),
    name                TEXT    NOT NULL,
    type                TEXT    NOT NULL CHECK (type IN ('money_market', 'bond', 'index',
                                                         'equity', 'mixed', 'qdii')),
    equity_leaning      INTEGER NOT NULL DEFAULT 0 CHECK (equity_leaning IN (0, 1)),
    risk_level          INTEGER NOT NULL CHECK (risk_level BETWEEN 1 AND 5),
    status              TEXT    NOT NULL CHECK (status IN ('open', 'subscriptions_paused',
                                                           'redemptions_paused', 'closed')),
    min_purchase_fen    INTEGER NOT NULL CHECK (min_purchase_fen > 0),
    daily_limit_fen     INTEGER NOT NULL CHECK (daily_limit_fen >= min_purchase_fen),
    sub_fees            TEXT    NOT NULL, -- JSON tiers, validated by core/fee.c when saved
    red_fees            TEXT    NOT NULL,
    discount_ppm        INTEGER NOT NULL CHECK (discount_ppm BETWEEN 0 AND 1000000),
    share_rounding      TEXT    NOT NULL CHECK (share_rounding IN ('half_up', 'truncate')),
    redeem_delay_days   INTEGER NOT NULL CHECK (redeem_delay_days BETWEEN 1 AND 10),
    prospectus_url      TEXT    NOT NULL,
    key_facts_url       TEXT    NOT NULL,
    benchmark           TEXT    NOT NULL DEFAULT '',
    inception_date      TEXT    NOT NULL,
    demo                INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0, 1)),
    created_ms          INTEGER NOT NULL,
    updated_ms          INTEGER NOT NULL
) STRICT;
CREATE INDEX products_institution ON products (institution_id, code);

-- One row per product and trade date. A NAV that moved more than the configured bound
-- from the previous one is stored unconfirmed until a second person confirms it.
CREATE TABLE navs (
    product_id          INTEGER NOT NULL REFERENCES products (id),
    nav_date            TEXT    NOT NULL,
    nav_e4              INTEGER NOT NULL CHECK (nav_e4 > 0),
    acc_nav_e4          INTEGER NOT NULL CHECK (acc_nav_e4 > 0),
    income_per_10k_e4   INTEGER,           -- money-market funds: 万份收益 in 0.0001 CNY
    yield_7d_e5         INTEGER,           -- money-market: 7-day annualised, units of 0.001%
    confirmed           INTEGER NOT NULL CHECK (confirmed IN (0, 1)),
    published_by        INTEGER,
    confirmed_by        INTEGER,
    published_ms        INTEGER NOT NULL,
    PRIMARY KEY (product_id, nav_date)
) STRICT;

CREATE TABLE investor_profiles (
    user_id             INTEGER PRIMARY KEY REFERENCES users (id),
    real_name_enc       BLOB    NOT NULL,  -- secretbox(nonce ‖ ciphertext) under the data key
    id_number_enc       BLOB    NOT NULL,
    real_name_masked    TEXT    NOT NULL,
    id_number_masked    TEXT    NOT NULL,
    birth_date          TEXT    NOT NULL,
    bank_card_enc       BLOB,
    bank_card_masked    TEXT,
    created_ms          INTEGER NOT NULL,
    updated_ms          INTEGER NOT NULL
) STRICT;

CREATE TABLE questionnaires (
    version             INTEGER PRIMARY KEY,
    definition          TEXT    NOT NULL,  -- JSON
    created_by          INTEGER,
    created_ms          INTEGER NOT NULL
) STRICT;

CREATE TABLE risk_assessments (
    id                  INTEGER PRIMARY KEY,
    investor_id         INTEGER NOT NULL REFERENCES users (id),
    questionnaire_version INTEGER NOT NULL REFERENCES questionnaires (version),
    answers             TEXT    NOT NULL,  -- JSON array of option indexes
    score               INTEGER NOT NULL,
    category            INTEGER NOT NULL CHECK (category BETWEEN 1 AND 5),
    lowest              INTEGER NOT NULL CHECK (lowest IN (0, 1)),
    taken_ms            INTEGER NOT NULL,
    valid_until_ms      INTEGER NOT NULL
) STRICT;
CREATE INDEX risk_assessments_investor ON risk_assessments (investor_id, taken_ms);

CREATE TABLE professional_applications (
    id                  INTEGER PRIMARY KEY,
    investor_id         INTEGER NOT NULL REFERENCES users (id),
    statement           TEXT    NOT NULL,
    status              TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by          INTEGER,
    decided_ms          INTEGER,
    reason              TEXT,
    created_ms          INTEGER NOT NULL
) STRICT;
CREATE INDEX professional_applications_status ON professional_applications (status, created_ms);

-- Evidence that an investor saw and confirmed a specific risk warning before buying a
-- product above their category.
CREATE TABLE suitability_confirmations (
    id                  INTEGER PRIMARY KEY,
    investor_id         INTEGER NOT NULL REFERENCES users (id),
    product_id          INTEGER NOT NULL REFERENCES products (id),
    category            INTEGER NOT NULL,
    risk_level          INTEGER NOT NULL,
    warning_version     TEXT    NOT NULL,
    warning_text        TEXT    NOT NULL,
    confirmed_ms        INTEGER NOT NULL
) STRICT;

CREATE TABLE orders (
    id                  INTEGER PRIMARY KEY,
    investor_id         INTEGER NOT NULL REFERENCES users (id),
    client_order_id     TEXT    NOT NULL,
    product_id          INTEGER NOT NULL REFERENCES products (id),
    institution_id      INTEGER NOT NULL REFERENCES institutions (id),
    side                TEXT    NOT NULL CHECK (side IN ('subscribe', 'redeem')),
    amount_fen          INTEGER NOT NULL CHECK (amount_fen >= 0),  -- subscribe
    shares_h            INTEGER NOT NULL CHECK (shares_h >= 0),    -- redeem
    status              TEXT    NOT NULL CHECK (status IN ('accepted', 'cancelled',
                                                           'confirmed', 'failed')),
    fail_reason         TEXT,
    trade_date          TEXT    NOT NULL,
    placed_ms           INTEGER NOT NULL,
    cancelled_ms        INTEGER,
    confirmed_ms        INTEGER,
    suitability_confirmation_id INTEGER REFERENCES suitability_confirmations (id),
    nav_e4              INTEGER,           -- set at confirmation
    fee_fen             INTEGER,
    net_fen             INTEGER,           -- subscribe: invested; redeem: cash to investor
    gross_fen           INTEGER,           -- redeem: shares × NAV
    confirmed_shares_h  INTEGER,
    cash_date           TEXT,              -- redeem: T+n when the cash reaches the investor
    cash_paid_ms        INTEGER,
    UNIQUE (investor_id, client_order_id)
) STRICT;
CREATE INDEX orders_trade ON orders (status, trade_date, id);
CREATE INDEX orders_investor ON orders (investor_id, placed_ms);
CREATE INDEX orders_product ON orders (product_id, trade_date);
-- The daily purchase limit sums one investor's orders of one product and trade date.
CREATE INDEX orders_daily ON orders (investor_id, product_id, trade_date);
CREATE INDEX orders_cash ON orders (cash_date) WHERE cash_paid_ms IS NULL AND side = 'redeem';

-- The ledger. An account holds one asset ('CNY' or a product's shares, 'P:<product id>')
-- for one owner; every entry moves an amount from one account to another of the same
-- asset, so each asset sums to zero by construction. Only the outside world (the bank,
-- a fund's issuance) may go negative: the CHECK makes an overspend impossible, whatever
-- the interleaving of requests.
CREATE TABLE ledger_accounts (
    id                  INTEGER PRIMARY KEY,
    asset               TEXT    NOT NULL,
    kind                TEXT    NOT NULL,
    owner_id            INTEGER NOT NULL,
    balance             INTEGER NOT NULL DEFAULT 0,
    allow_negative      INTEGER NOT NULL CHECK (allow_negative IN (0, 1)),
    UNIQUE (asset, kind, owner_id),
    CHECK (allow_negative = 1 OR balance >= 0)
) STRICT;

CREATE TABLE ledger_entries (
    id                  INTEGER PRIMARY KEY,
    txn                 INTEGER NOT NULL,  -- entries written together share a txn
    asset               TEXT    NOT NULL,
    from_account        INTEGER NOT NULL REFERENCES ledger_accounts (id),
    to_account          INTEGER NOT NULL REFERENCES ledger_accounts (id),
    amount              INTEGER NOT NULL CHECK (amount > 0),
    event               TEXT    NOT NULL,  -- 'topup', 'subscribe.hold', 'subscribe.confirm', ...
    order_id            INTEGER,
    at_ms               INTEGER NOT NULL
) STRICT;
CREATE INDEX ledger_entries_txn ON ledger_entries (txn);
CREATE INDEX ledger_entries_order ON ledger_entries (order_id);
CREATE INDEX ledger_entries_from ON ledger_entries (from_account, at_ms);
CREATE INDEX ledger_entries_to ON ledger_entries (to_account, at_ms);

-- FIFO lots of confirmed shares: what a redemption consumes oldest first, with the
-- holding-period fee of each lot. Their sum per investor and product equals the
-- investor's available plus held shares in the ledger (ledger check verifies it).
CREATE TABLE share_lots (
    id                  INTEGER PRIMARY KEY,
    investor_id         INTEGER NOT NULL REFERENCES users (id),
    product_id          INTEGER NOT NULL REFERENCES products (id),
    confirmed_date      TEXT    NOT NULL,
    shares_h            INTEGER NOT NULL CHECK (shares_h >= 0),
    cost_fen            INTEGER NOT NULL CHECK (cost_fen >= 0),  -- amount paid, fee included
    order_id            INTEGER
) STRICT;
CREATE INDEX share_lots_holder ON share_lots (investor_id, product_id, confirmed_date, id);

-- Batch progress: one row per job and business date. A job commits its work in chunks
-- and its cursor in the same transaction, so a killed job restarts where it stopped.
CREATE TABLE batch_runs (
    job                 TEXT    NOT NULL,
    run_date            TEXT    NOT NULL,
    status              TEXT    NOT NULL CHECK (status IN ('running', 'done')),
    cursor              INTEGER NOT NULL DEFAULT 0,
    processed           INTEGER NOT NULL DEFAULT 0,
    started_ms          INTEGER NOT NULL,
    finished_ms         INTEGER,
    PRIMARY KEY (job, run_date)
) STRICT;

-- Money-market income credited as shares, one row per holder, product and day: the key
-- makes the daily batch idempotent (a rerun finds the row and credits nothing twice).
CREATE TABLE mmf_income_credits (
    investor_id         INTEGER NOT NULL REFERENCES users (id),
    product_id          INTEGER NOT NULL REFERENCES products (id),
    income_date         TEXT    NOT NULL,
    base_shares_h       INTEGER NOT NULL,
    income_per_10k_e4   INTEGER NOT NULL,
    shares_h            INTEGER NOT NULL,
    credited_ms         INTEGER NOT NULL,
    PRIMARY KEY (investor_id, product_id, income_date)
) STRICT;
