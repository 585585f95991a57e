/*
 * walbuf.h: a SQLite VFS over the default one that hands the writes of one WAL transaction to
 * the kernel in a few large writes instead of two per frame (see walbuf.c for when it flushes
 * and why that keeps every commit's durability and visibility as SQLite's own).
 */
#ifndef CFH_WALBUF_H
#define CFH_WALBUF_H

#include <sqlite3.h>

#define WALBUF_VFS_NAME "cfh-walbuf"

/* Registers the VFS on first use (not as the default) and returns its name; NULL when SQLite
 * refused to register it (then open with the default VFS). Thread-safe. */
const char *walbuf_vfs_name(void);

#endif
