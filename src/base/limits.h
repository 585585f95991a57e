/*
 * limits.h: every limit of the system in one place.
 *
 * A limit that is not here does not exist. Changing one is a design decision: the
 * tests and docs/api-foundation.md quote several of them.
 */
#ifndef CFH_LIMITS_H
#define CFH_LIMITS_H

#include <stdint.h>

/* HTTP */
#define LIMIT_BODY_BYTES_MAX         (64 * 1024)   /* JSON request body; larger is 413 */
#define LIMIT_UPLOAD_BYTES_MAX       (1024 * 1024) /* one uploaded image */
#define LIMIT_URL_BYTES_MAX          2048          /* path plus query */
#define LIMIT_PATH_SEGMENTS_MAX      12            /* route patterns and request paths */
#define LIMIT_JSON_DEPTH_MAX         16            /* nesting of a request body */
#define LIMIT_CONNECTIONS_MAX        4096          /* all clients together */
#define LIMIT_CONNECTIONS_PER_IP_MAX 256           /* one client address */
#define LIMIT_CONNECTION_TIMEOUT_S   30            /* idle keep-alive or slow client */
#define LIMIT_THREADS_MAX            64            /* HTTP worker threads */
#define LIMIT_ROUTES_MAX             256           /* entries in the route table */
#define LIMIT_ALLOW_HEADER_BYTES     64            /* "GET, POST, PATCH, DELETE" */
#define LIMIT_DRAIN_MS               10000         /* SIGTERM: wait for in-flight requests */
#define LIMIT_STATIC_FILE_BYTES_MAX  (32 << 20)    /* one file under web/dist */
#define LIMIT_RATE_BUCKETS           4096          /* per-IP token buckets (hashed) */

/* Arenas */
#define LIMIT_REQ_ARENA_BYTES   (256 * 1024) /* per request, body parse included */
#define LIMIT_ARENA_CHUNK_BYTES (16 * 1024)

/* Store */
#define LIMIT_STMT_CACHE           128  /* prepared statements per connection */
#define LIMIT_WRITE_QUEUE          4096 /* writes waiting for the writer */
#define LIMIT_WRITE_BATCH          256  /* writes in one transaction */
#define LIMIT_BUSY_TIMEOUT_MS      5000
#define LIMIT_SQL_PARAMS           64  /* a day's roll-up row of an institution binds 34 */
#define LIMIT_PAGE_SIZE_MAX        200 /* rows in one page of a list */
#define LIMIT_PAGE_SIZE_DEFAULT    50
#define LIMIT_CURSOR_CHARS         32 /* an opaque page cursor (base/cursor.h) */
#define LIMIT_STORE_ERR_BYTES      256
#define LIMIT_WAL_CHECKPOINT_PAGES 4000  /* WAL size that wakes the checkpointer */
#define LIMIT_WAL_PAGES_MAX        65536 /* WAL size at which the writer checkpoints itself */

/* Accounts */
#define LIMIT_PASSWORD_BYTES_MIN     8
#define LIMIT_PASSWORD_BYTES_MAX     128
#define LIMIT_DISPLAY_NAME_CHARS_MAX 64
#define LIMIT_LOGIN_BYTES_MIN        3
#define LIMIT_LOGIN_BYTES_MAX        32
#define LIMIT_INST_NAME_CHARS_MIN    2
#define LIMIT_INST_NAME_CHARS_MAX    64
#define LIMIT_INST_SHORT_CHARS_MAX   16
#define LIMIT_REASON_CHARS_MAX       500
#define LIMIT_TOKEN_BYTES            32 /* 256-bit session and invite tokens */
#define LIMIT_TOKEN_HEX              (2 * LIMIT_TOKEN_BYTES)
#define LIMIT_INVITE_TTL_S           (7 * 24 * 3600)
#define LIMIT_SESSION_TOUCH_MS       30000 /* last_seen is written at most this often */
#define LIMIT_PWHASH_STR             128   /* crypto_pwhash_STRBYTES */

/* Audit */
#define LIMIT_AUDIT_DETAIL_BYTES 4096
#define LIMIT_AUDIT_VERIFY_ROWS  10000000

/* Logging */
#define LIMIT_LOG_LINE_BYTES   2048
#define LIMIT_REQUEST_ID_BYTES 24

/* Trading */
#define LIMIT_AMOUNT_FEN_MAX      INT64_C(100000000000000) /* 1e12 CNY: beyond any real order */
#define LIMIT_SHARES_H_MAX        INT64_C(100000000000000)
#define LIMIT_TOPUP_FEN_MAX       INT64_C(100000000) /* 1,000,000.00 CNY per transfer */
#define LIMIT_NAV_POINTS_MAX      4000               /* NAV history rows per request */
#define LIMIT_NAV_CSV_LINES_MAX   2000               /* a 64 KiB body holds about this many */
#define LIMIT_NAV_CSV_ERRORS_MAX  50                 /* line errors reported per upload */
#define LIMIT_STATEMENT_DAYS_MAX  366
#define LIMIT_INCOME_DAYS_DEFAULT 30 /* money-market income by day: the default range */
#define LIMIT_STATEMENT_ROWS_MAX  5000
#define LIMIT_PII_BYTES_MAX       128 /* a name, ID or card number sealed */
#define LIMIT_DATA_KEYS_MAX       64  /* keys in the data key ring (a yearly rotation: decades) */
#define LIMIT_DATA_KEY_ID_MAX     999999 /* largest data key id */
#define LIMIT_KEYRING_FILE_BYTES  16384  /* the ring file: 64 keys of ~110 bytes, with room */
#define LIMIT_LOTS_PER_REDEMPTION 1024   /* FIFO lots one redemption may walk */
#define LIMIT_TRADE_PRODUCTS_MAX  1000   /* products in one trade-date report */
#define LIMIT_SCHEDULER_DATES     31     /* trade dates one scheduler tick confirms */

/* Zones and content */
#define LIMIT_FEATURED_PRODUCTS       20 /* products on a zone page */
#define LIMIT_ZONE_CONTENTS           10 /* articles, and announcements, on a zone page */
#define LIMIT_UPLOAD_DIM_MIN          16 /* pixels on each side of an image */
#define LIMIT_UPLOAD_DIM_MAX          4096
#define LIMIT_CONTENT_TITLE_CHARS_MAX 100
#define LIMIT_CONTENT_BODY_BYTES_MAX  (60 * 1024)
#define LIMIT_POST_BODY_CHARS_MAX     500          /* a short post, unlike an article */
#define LIMIT_CHECK_TEXT_BYTES_MAX    (256 * 1024) /* one text through the compliance check */
#define LIMIT_QUESTIONS_PER_DAY       10           /* per investor and zone, in 24 hours */
#define LIMIT_QUESTION_CHARS_MAX      500
#define LIMIT_ANSWER_CHARS_MAX        2000
#define LIMIT_FEED_EXCERPT_CHARS      120 /* a feed item's excerpt of the body's text */

/* Messages and notifications */
#define LIMIT_MESSAGES_PER_DAY        3    /* one institution to one investor, per UTC+8 day */
#define LIMIT_MESSAGE_TITLE_CHARS_MAX 60   /* one line */
#define LIMIT_MESSAGE_BODY_CHARS_MAX  1000 /* plain text, shown as written */
#define LIMIT_NOTIFICATION_TEXT_BYTES 2048 /* a decision's notice, the reason quoted */

/* Campaigns */
#define LIMIT_CAMPAIGN_NAME_CHARS_MAX        60   /* one line; a segment message's title */
#define LIMIT_CAMPAIGN_TEXT_CHARS_MAX        1000 /* plain text; a segment message's body */
#define LIMIT_CAMPAIGN_PRODUCTS_MAX          20   /* products one fee discount applies to */
#define LIMIT_CAMPAIGN_DAYS_MAX              366  /* longest period, both ends counted */
#define LIMIT_CAMPAIGN_PINNED                3    /* promotions pinned at the top of one feed */
#define LIMIT_CAMPAIGN_STOP_REASON_CHARS_MAX 200  /* why staff stopped a campaign early */
#define LIMIT_CAMPAIGN_OFFERS_SCAN           100  /* fee discounts read for a product's offers */

/* Comments, reports, fund managers, search */
#define LIMIT_COMMENT_CHARS_MAX       500
#define LIMIT_COMMENTS_PER_MINUTE     5  /* per investor, every content together */
#define LIMIT_COMMENTS_PER_DAY        50 /* per investor, in 24 hours */
#define LIMIT_REPORTS_PER_DAY         20 /* per investor, in 24 hours */
#define LIMIT_REPORT_TEXT_CHARS_MAX   500
#define LIMIT_MANAGERS_PER_ZONE       50 /* active fund manager profiles of one institution */
#define LIMIT_MANAGER_NAME_CHARS_MAX  32
#define LIMIT_MANAGER_TITLE_CHARS_MAX 40
#define LIMIT_MANAGER_BIO_CHARS_MAX   2000
#define LIMIT_MANAGER_YEARS_MAX       70 /* years of experience */
#define LIMIT_MANAGER_PRODUCTS_MAX    20 /* products one manager is shown managing */
#define LIMIT_SEARCH_QUERY_CHARS_MAX  64
#define LIMIT_SEARCH_PAGE_DEFAULT     20
#define LIMIT_SEARCH_PAGE_MAX         50
#define LIMIT_SEARCH_SCAN_ROWS        2000 /* newest rows a 1- or 2-character query looks at */
/* Interaction events, roll-ups and dashboards */
#define LIMIT_EVENTS_PER_BATCH       500                         /* events in one POST */
#define LIMIT_EVENT_PAST_MS          (INT64_C(7) * 86400 * 1000) /* oldest client time kept */
#define LIMIT_EVENT_FUTURE_MS        (INT64_C(86400) * 1000)     /* a client clock this fast */
#define LIMIT_EVENT_BUCKETS          4096 /* per-investor event budgets (hashed) */
#define LIMIT_EVENT_ID_SHIFT         16   /* events.id = receive ms << 16, then a sequence */
#define LIMIT_DASHBOARD_DAYS_MAX     92   /* days in one dashboard range (a quarter) */
#define LIMIT_DASHBOARD_ITEMS        50   /* products and contents listed in a dashboard */
#define LIMIT_DASHBOARD_INSTITUTIONS 200  /* institutions listed in the operators' view */
#define LIMIT_DASHBOARD_INVESTORS    (INT64_C(2) << 20)  /* distinct investors one view reads */
#define LIMIT_CSV_BYTES_MAX          (4 << 20)           /* one CSV export */
#define LIMIT_ROLLUP_EVENTS_PER_PASS (INT64_C(48) << 20) /* events one pass holds visitors of */
#define LIMIT_ROLLUP_PASSES_MAX      64
#define LIMIT_ROLLUP_CHUNK_ROWS      4096 /* rows one roll-up write inserts */
#define LIMIT_ROLLUP_DAYS_BACK       7    /* past days the scheduler rolls up when missing */
#define LIMIT_ROLLUP_HOLDINGS_MAX    (INT64_C(1) << 28) /* (investor, product) holdings */

/* The fair rule */
#define LIMIT_FAIR_RANGE_DAYS      92          /* days in one institution breakdown */
#define LIMIT_FAIR_RECORD_BYTES    (256 << 20) /* one day's record as served */
#define LIMIT_RECOMMEND_SLOTS_MAX  10          /* institutions in one answer */
#define LIMIT_FEED_RECOMMENDATIONS 3           /* the feed's slot; the public default */
#define LIMIT_RECOMMEND_FLUSH_MS   2000        /* delivered counts written this often */
#define LIMIT_VERIFY_FETCH_BYTES   (256 << 20) /* what verify-allocation reads */
#define LIMIT_VERIFY_TIMEOUT_S     30          /* verify-allocation's HTTP reads */

#endif
