/*
 * store_fixture.h: what the store's unit tests share (test_store.c, test_walbuf.c): a VFS named
 * "countsync" over the default one that counts fsyncs and writes to write-ahead logs, made the
 * default so that walbuf (which wraps the default VFS of its first use) hands its writes to it;
 * and a fresh directory per test under /tmp, removed afterwards. Include once per test program.
 */
#ifndef CFH_STORE_FIXTURE_H
#define CFH_STORE_FIXTURE_H

#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define VFS_NAME "countsync"

/* ---- the counting VFS ---- */

struct cfile {
    sqlite3_file base;  /* pMethods = &count_io once the real file is open */
    sqlite3_file *real; /* the real VFS's file, right after this struct (szOsFile covers both) */
    bool wal;           /* a write-ahead log: its writes are counted */
};

static sqlite3_vfs *real_vfs;
static sqlite3_vfs count_vfs;
static atomic_uint_fast64_t syncs;
static atomic_uint_fast64_t wal_writes;

static sqlite3_file *real_of(sqlite3_file *f)
{
    return ((struct cfile *)(void *)f)->real;
}

#define FWD(f) (real_of(f)->pMethods)

static int c_close(sqlite3_file *f)
{
    return FWD(f)->xClose(real_of(f));
}

static int c_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
    return FWD(f)->xRead(real_of(f), p, n, off);
}

static int c_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
    if (((struct cfile *)(void *)f)->wal)
        atomic_fetch_add(&wal_writes, 1);
    return FWD(f)->xWrite(real_of(f), p, n, off);
}

static int c_truncate(sqlite3_file *f, sqlite3_int64 size)
{
    return FWD(f)->xTruncate(real_of(f), size);
}

static int c_sync(sqlite3_file *f, int flags)
{
    atomic_fetch_add(&syncs, 1);
    return FWD(f)->xSync(real_of(f), flags);
}

static int c_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
    return FWD(f)->xFileSize(real_of(f), size);
}

static int c_lock(sqlite3_file *f, int level)
{
    return FWD(f)->xLock(real_of(f), level);
}

static int c_unlock(sqlite3_file *f, int level)
{
    return FWD(f)->xUnlock(real_of(f), level);
}

static int c_check_reserved(sqlite3_file *f, int *out)
{
    return FWD(f)->xCheckReservedLock(real_of(f), out);
}

static int c_file_control(sqlite3_file *f, int op, void *arg)
{
    return FWD(f)->xFileControl(real_of(f), op, arg);
}

static int c_sector_size(sqlite3_file *f)
{
    return FWD(f)->xSectorSize(real_of(f));
}

static int c_device_chars(sqlite3_file *f)
{
    return FWD(f)->xDeviceCharacteristics(real_of(f));
}

static int c_shm_map(sqlite3_file *f, int region, int size, int extend, void volatile **out)
{
    return FWD(f)->xShmMap(real_of(f), region, size, extend, out);
}

static int c_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
    return FWD(f)->xShmLock(real_of(f), offset, n, flags);
}

static void c_shm_barrier(sqlite3_file *f)
{
    FWD(f)->xShmBarrier(real_of(f));
}

static int c_shm_unmap(sqlite3_file *f, int delete_flag)
{
    return FWD(f)->xShmUnmap(real_of(f), delete_flag);
}

/* Version 2: WAL needs the xShm methods; xFetch (version 3) is only used with mmap_size > 0. */
static const sqlite3_io_methods count_io = {
    .iVersion = 2,
    .xClose = c_close,
    .xRead = c_read,
    .xWrite = c_write,
    .xTruncate = c_truncate,
    .xSync = c_sync,
    .xFileSize = c_file_size,
    .xLock = c_lock,
    .xUnlock = c_unlock,
    .xCheckReservedLock = c_check_reserved,
    .xFileControl = c_file_control,
    .xSectorSize = c_sector_size,
    .xDeviceCharacteristics = c_device_chars,
    .xShmMap = c_shm_map,
    .xShmLock = c_shm_lock,
    .xShmBarrier = c_shm_barrier,
    .xShmUnmap = c_shm_unmap,
};

static int c_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out_flags)
{
    (void)vfs;
    struct cfile *cf = (struct cfile *)(void *)f;
    cf->real = (sqlite3_file *)(cf + 1);
    cf->wal = (flags & SQLITE_OPEN_WAL) != 0;
    int rc = real_vfs->xOpen(real_vfs, name, cf->real, flags, out_flags);
    /* SQLite calls xClose exactly when pMethods is set: mirror the real file. */
    cf->base.pMethods = cf->real->pMethods != NULL ? &count_io : NULL;
    return rc;
}

static int vfs_register(void **state)
{
    (void)state;
    real_vfs = sqlite3_vfs_find(NULL);
    if (real_vfs == NULL)
        return -1;
    count_vfs = *real_vfs; /* every other method, and pAppData, stay the real VFS's */
    count_vfs.pNext = NULL;
    count_vfs.zName = VFS_NAME;
    count_vfs.szOsFile = (int)sizeof(struct cfile) + real_vfs->szOsFile;
    count_vfs.xOpen = c_open;
    /* The default: walbuf (src/store/walbuf.c) wraps the default VFS of its first use, so the
     * WAL writes it hands down are counted here. */
    return sqlite3_vfs_register(&count_vfs, 1) == SQLITE_OK ? 0 : -1;
}

static int vfs_unregister(void **state)
{
    (void)state;
    return sqlite3_vfs_unregister(&count_vfs) == SQLITE_OK ? 0 : -1;
}

/* ---- fixture: a fresh directory per test ---- */

struct fixture {
    char dir[64];
    char db[96];
};

static struct fixture fx;

static int dir_setup(void **state)
{
    snprintf(fx.dir, sizeof(fx.dir), "/tmp/cfh-store-XXXXXX");
    if (mkdtemp(fx.dir) == NULL)
        return -1;
    snprintf(fx.db, sizeof(fx.db), "%s/test.db", fx.dir);
    *state = &fx;
    return 0;
}

static int dir_teardown(void **state)
{
    (void)state;
    static const char *const suffixes[] = {"", "-wal", "-shm", "-journal"};
    char path[128];
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        snprintf(path, sizeof(path), "%s%s", fx.db, suffixes[i]);
        unlink(path);
    }
    return rmdir(fx.dir);
}

#endif
