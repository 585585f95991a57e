-- 0002 calendar: the mainland exchange trading calendar (core/calendar.h).
-- A trading day is a Monday to Friday outside every closure range; Saturdays and Sundays are
-- always closed, the official make-up working days (调休上班) included, so they are not listed.
-- A year is answered only once it is in calendar_years: the application never guesses that a
-- weekday of a year without published closures is open.
-- Dates are China Standard Time 'YYYY-MM-DD' text, which sorts as it compares; timestamps are
-- UTC milliseconds. Rows shipped with the binary have loaded_ms / created_ms 0 and small fixed
-- ids (YYYYNN); ids of closures added later are random, like every other id.

CREATE TABLE calendar_years (
    year       INTEGER PRIMARY KEY CHECK (year BETWEEN 1970 AND 9999),
    source     TEXT    NOT NULL,
    loaded_ms  INTEGER NOT NULL
) STRICT;

CREATE TABLE calendar_closures (
    id          INTEGER PRIMARY KEY,
    first_day   TEXT    NOT NULL CHECK (length(first_day) = 10),
    last_day    TEXT    NOT NULL CHECK (length(last_day) = 10),
    reason      TEXT    NOT NULL,
    source      TEXT    NOT NULL,
    created_ms  INTEGER NOT NULL,
    CHECK (first_day <= last_day)
) STRICT;
CREATE INDEX calendar_closures_first_day ON calendar_closures (first_day);

-- 2025: the State Council's 2025 holiday arrangement, which the exchanges' notice follows.
INSERT INTO calendar_years (year, source, loaded_ms) VALUES
    (2025, 'State Council 2025 holiday arrangement (国务院2025年部分节假日安排), '
           || 'followed by the exchanges', 0);

INSERT INTO calendar_closures (id, first_day, last_day, reason, source, created_ms) VALUES
    (202501, '2025-01-01', '2025-01-01', '元旦 New Year''s Day',
     'State Council 2025 holiday arrangement (国务院2025年部分节假日安排)', 0),
    (202502, '2025-01-28', '2025-02-04', '春节 Spring Festival',
     'State Council 2025 holiday arrangement (国务院2025年部分节假日安排)', 0),
    (202503, '2025-04-04', '2025-04-06', '清明节 Qingming Festival',
     'State Council 2025 holiday arrangement (国务院2025年部分节假日安排)', 0),
    (202504, '2025-05-01', '2025-05-05', '劳动节 Labour Day',
     'State Council 2025 holiday arrangement (国务院2025年部分节假日安排)', 0),
    (202505, '2025-05-31', '2025-06-02', '端午节 Dragon Boat Festival',
     'State Council 2025 holiday arrangement (国务院2025年部分节假日安排)', 0),
    (202506, '2025-10-01', '2025-10-08', '国庆节、中秋节 National Day and Mid-Autumn Festival',
     'State Council 2025 holiday arrangement (国务院2025年部分节假日安排)', 0);

-- 2026: the exchanges' notice of 2025-12-22. Mid-Autumn (2026-09-25) falls a week before
-- National Day this year, so the two are separate closures.
INSERT INTO calendar_years (year, source, loaded_ms) VALUES
    (2026, 'SSE/SZSE/BSE notice of 2025-12-22 on the 2026 holiday closures (2026年休市安排)', 0);

INSERT INTO calendar_closures (id, first_day, last_day, reason, source, created_ms) VALUES
    (202601, '2026-01-01', '2026-01-03', '元旦 New Year''s Day',
     'SSE/SZSE/BSE notice of 2025-12-22 (2026年休市安排)', 0),
    (202602, '2026-02-15', '2026-02-23', '春节 Spring Festival',
     'SSE/SZSE/BSE notice of 2025-12-22 (2026年休市安排)', 0),
    (202603, '2026-04-04', '2026-04-06', '清明节 Qingming Festival',
     'SSE/SZSE/BSE notice of 2025-12-22 (2026年休市安排)', 0),
    (202604, '2026-05-01', '2026-05-05', '劳动节 Labour Day',
     'SSE/SZSE/BSE notice of 2025-12-22 (2026年休市安排)', 0),
    (202605, '2026-06-19', '2026-06-21', '端午节 Dragon Boat Festival',
     'SSE/SZSE/BSE notice of 2025-12-22 (2026年休市安排)', 0),
    (202606, '2026-09-25', '2026-09-27', '中秋节 Mid-Autumn Festival',
     'SSE/SZSE/BSE notice of 2025-12-22 (2026年休市安排)', 0),
    (202607, '2026-10-01', '2026-10-07', '国庆节 National Day',
     'SSE/SZSE/BSE notice of 2025-12-22 (2026年休市安排)', 0);
