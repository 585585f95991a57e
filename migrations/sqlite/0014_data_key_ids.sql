-- 0014 data key ids: the data key may be rotated (`caifuhao keys rotate`), so a sealed profile
-- names the key of the ring that sealed its columns. Every row before this migration was sealed
-- under the only key there was, which the ring calls key 0. One id covers the row's three
-- sealed columns: they are always sealed together, under one key.
ALTER TABLE investor_profiles ADD COLUMN key_id INTEGER NOT NULL DEFAULT 0
    CHECK (key_id BETWEEN 0 AND 999999);

-- `keys status` counts rows per key and `keys retire` checks a key seals none.
CREATE INDEX investor_profiles_key ON investor_profiles (key_id);
