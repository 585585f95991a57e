/*
 * walbuf.c: a VFS that gathers SQLite's writes to a write-ahead log into one write(2).
 *
 * SQLite appends a transaction to the WAL one frame at a time, and a frame is two writes: its
 * 24-byte header, then the page. A commit of 32 orders dirtied about 130 pages: 260 write
 * calls, each paying the kernel's per-call and per-folio costs (a third of the writer's time
 * in bench/orders was in ext4's write path). Here the writes to a WAL file that continue one
 * another are kept in a buffer and handed to the kernel at once, when:
 *
 *   - SQLite syncs the file (the commit of a synchronous=FULL connection): before the sync;
 *   - the commit frame of a transaction has been written (its header names the database
 *     size), so that a connection that does not sync still never lets another connection see
 *     a committed frame that is not in the file: SQLite publishes frames in the shared
 *     wal-index only after the write calls of the commit return;
 *   - a write does not continue the buffer (the WAL starting over at its header), the buffer
 *     is full, or SQLite reads, truncates, measures or closes the file.
 *
 * A write that lands inside the buffer (SQLite rewrites a frame of the open transaction in
 * place) patches the buffer. Every other file (the database, the shared memory) is the
 * underlying VFS's own file object, untouched. Errors of a deferred write are returned by the
 * call that flushes: at the latest the commit frame's write, so a commit never reports success
 * for bytes that did not reach the kernel.
 */
#include "store/walbuf.h"

#include "base/check.h"

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define WALBUF_CAP        (1u << 20)  /* bytes gathered before a write at most */
#define WALBUF_WRITE_MAX  (96u << 10) /* bytes handed to the underlying VFS a call at most */
#define WAL_FRAME_HDRSIZE 24          /* SQLite's WAL format: frame header bytes */

struct walbuf_file {
    sqlite3_file base;   /* must stay first: SQLite's view */
    sqlite3_file *real;  /* the underlying file, in the same allocation, after this struct */
    unsigned char *buf;  /* WALBUF_CAP bytes, allocated at the first buffered write */
    sqlite3_int64 start; /* file offset of buf[0] */
    size_t len;          /* bytes waiting in buf */
    bool commit_pending; /* the last write was a commit frame's header: flush after its page */
};

static sqlite3_vfs walbuf_vfs;
static sqlite3_vfs *real_vfs;

/* In pieces: SQLite's unix VFS writes at most 0x1ffff bytes a call (it masks the length). */
static int flush(struct walbuf_file *w)
{
    int rc = SQLITE_OK;
    for (size_t done = 0; done < w->len && rc == SQLITE_OK; done += WALBUF_WRITE_MAX) {
        size_t n = w->len - done < WALBUF_WRITE_MAX ? w->len - done : WALBUF_WRITE_MAX;
        rc = w->real->pMethods->xWrite(w->real, w->buf + done, (int)n,
                                       w->start + (sqlite3_int64)done);
    }
    w->len = 0;
    return rc;
}

static int wb_close(sqlite3_file *f)
{
    struct walbuf_file *w = (struct walbuf_file *)f;
    int rc = flush(w);
    int rc2 = w->real->pMethods->xClose(w->real);
    free(w->buf);
    w->buf = NULL;
    return rc != SQLITE_OK ? rc : rc2;
}

static bool overlaps(const struct walbuf_file *w, sqlite3_int64 off, int n)
{
    return w->len > 0 && off < w->start + (sqlite3_int64)w->len && off + n > w->start;
}

static int wb_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
    struct walbuf_file *w = (struct walbuf_file *)f;
    if (overlaps(w, off, n)) {
        int rc = flush(w);
        if (rc != SQLITE_OK)
            return rc;
    }
    return w->real->pMethods->xRead(w->real, p, n, off);
}

/* Puts the write into the buffer if it continues it or lands inside it; false if it does not
 * fit there (the caller flushes and starts over). */
static bool gather(struct walbuf_file *w, const void *p, size_t n, sqlite3_int64 off)
{
    sqlite3_int64 end = w->start + (sqlite3_int64)w->len;
    if (w->len > 0 && off >= w->start && off + (sqlite3_int64)n <= end) {
        memcpy(w->buf + (off - w->start), p, n);
        return true;
    }
    if ((w->len > 0 && off != end) || w->len + n > WALBUF_CAP)
        return false;
    if (w->len == 0)
        w->start = off;
    memcpy(w->buf + w->len, p, n);
    w->len += n;
    return true;
}

static int wb_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
    struct walbuf_file *w = (struct walbuf_file *)f;
    ASSERT(n >= 0 && off >= 0);
    if (w->buf == NULL && (w->buf = malloc(WALBUF_CAP)) == NULL)
        return w->real->pMethods->xWrite(w->real, p, n, off);
    bool commit = w->commit_pending;
    const unsigned char *b = p;
    /* A frame header holds the page number, then the database size in pages after the
     * commit, non-zero only in a transaction's last frame (big-endian). */
    w->commit_pending = n == WAL_FRAME_HDRSIZE && (b[4] | b[5] | b[6] | b[7]) != 0;
    int rc = SQLITE_OK;
    if (!gather(w, p, (size_t)n, off)) {
        rc = flush(w);
        if (rc == SQLITE_OK && !gather(w, p, (size_t)n, off))
            rc = w->real->pMethods->xWrite(w->real, p, n, off);
    }
    if (rc == SQLITE_OK && commit)
        rc = flush(w);
    return rc;
}

static int wb_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    struct walbuf_file *w = (struct walbuf_file *)f;
    int rc = flush(w);
    return rc != SQLITE_OK ? rc : w->real->pMethods->xTruncate(w->real, size);
}

static int wb_sync(sqlite3_file *f, int flags)
{
    struct walbuf_file *w = (struct walbuf_file *)f;
    int rc = flush(w);
    return rc != SQLITE_OK ? rc : w->real->pMethods->xSync(w->real, flags);
}

static int wb_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    struct walbuf_file *w = (struct walbuf_file *)f;
    int rc = flush(w);
    return rc != SQLITE_OK ? rc : w->real->pMethods->xFileSize(w->real, size);
}

static int wb_lock(sqlite3_file *f, int level)
{
    struct walbuf_file *w = (struct walbuf_file *)f;
    return w->real->pMethods->xLock(w->real, level);
}

static int wb_unlock(sqlite3_file *f, int level)
{
    struct walbuf_file *w = (struct walbuf_file *)f;
    return w->real->pMethods->xUnlock(w->real, level);
}

static int wb_check_reserved(sqlite3_file *f, int *out)
{
    struct walbuf_file *w = (struct walbuf_file *)f;
    return w->real->pMethods->xCheckReservedLock(w->real, out);
}

static int wb_file_control(sqlite3_file *f, int op, void *arg)
{
    struct walbuf_file *w = (struct walbuf_file *)f;
    return w->real->pMethods->xFileControl(w->real, op, arg);
}

static int wb_sector_size(sqlite3_file *f)
{
    struct walbuf_file *w = (struct walbuf_file *)f;
    return w->real->pMethods->xSectorSize(w->real);
}

static int wb_device_characteristics(sqlite3_file *f)
{
    struct walbuf_file *w = (struct walbuf_file *)f;
    return w->real->pMethods->xDeviceCharacteristics(w->real);
}

/* Version 1: a WAL file has no shared memory of its own and is never memory-mapped. */
static const sqlite3_io_methods wb_methods = {
    .iVersion = 1,
    .xClose = wb_close,
    .xRead = wb_read,
    .xWrite = wb_write,
    .xTruncate = wb_truncate,
    .xSync = wb_sync,
    .xFileSize = wb_file_size,
    .xLock = wb_lock,
    .xUnlock = wb_unlock,
    .xCheckReservedLock = wb_check_reserved,
    .xFileControl = wb_file_control,
    .xSectorSize = wb_sector_size,
    .xDeviceCharacteristics = wb_device_characteristics,
};

static size_t real_offset(void)
{
    size_t a = _Alignof(max_align_t);
    return (sizeof(struct walbuf_file) + a - 1) / a * a;
}

/* A WAL file gets the buffer; any other file is the underlying VFS's object in f itself. */
static int wb_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags,
                   int *out_flags)
{
    (void)vfs;
    if (!(flags & SQLITE_OPEN_WAL))
        return real_vfs->xOpen(real_vfs, name, f, flags, out_flags);
    struct walbuf_file *w = (struct walbuf_file *)f;
    memset(w, 0, sizeof(*w));
    w->real = (sqlite3_file *)((char *)f + real_offset());
    int rc = real_vfs->xOpen(real_vfs, name, w->real, flags, out_flags);
    if (rc != SQLITE_OK && w->real->pMethods != NULL)
        w->real->pMethods->xClose(w->real);
    w->base.pMethods = rc == SQLITE_OK ? &wb_methods : NULL;
    return rc;
}

static void walbuf_init(void)
{
    real_vfs = sqlite3_vfs_find(NULL);
    ASSERT(real_vfs != NULL);
    walbuf_vfs = *real_vfs;
    walbuf_vfs.zName = WALBUF_VFS_NAME;
    walbuf_vfs.pNext = NULL;
    walbuf_vfs.szOsFile = (int)(real_offset() + (size_t)real_vfs->szOsFile);
    walbuf_vfs.xOpen = wb_open;
    if (sqlite3_vfs_register(&walbuf_vfs, 0) != SQLITE_OK)
        walbuf_vfs.zName = NULL;
}

const char *walbuf_vfs_name(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, walbuf_init);
    return walbuf_vfs.zName;
}
