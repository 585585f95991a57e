-- 0013 campaign stop: an institution may stop an approved campaign before its last day, with a
-- reason. Stopped is stored (when, by whom, why); the state `stopped` is read from it, as
-- running, ended and exhausted are read from the clock and the budget. Columns are added, not
-- the table rebuilt: the campaign's other columns and its orders stay as they are.
ALTER TABLE campaigns ADD COLUMN stopped_ms INTEGER;
ALTER TABLE campaigns ADD COLUMN stopped_by INTEGER REFERENCES users (id);
-- All three together, and only on an approved campaign: a stop is never half written.
ALTER TABLE campaigns ADD COLUMN stop_reason TEXT
    CHECK ((stop_reason IS NULL) = (stopped_ms IS NULL) AND
           (stop_reason IS NULL) = (stopped_by IS NULL) AND
           (stop_reason IS NULL OR status = 'approved'));

-- A campaign's segment message (at most one held or delivered; earlier rejected ones stay),
-- read with every campaign and deleted when a pending campaign is withdrawn.
CREATE INDEX messages_campaign ON messages (campaign_id) WHERE campaign_id IS NOT NULL;
