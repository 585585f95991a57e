-- 0012 held NAVs: staff list the NAVs waiting for a second confirmation (a move beyond the
-- bound) across their products. They are few at any time; the partial index holds only them.
CREATE INDEX navs_held ON navs (product_id, nav_date) WHERE confirmed = 0;
