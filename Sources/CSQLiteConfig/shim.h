#ifndef ARTTUI_CSQLITECONFIG_SHIM_H
#define ARTTUI_CSQLITECONFIG_SHIM_H
#include <sqlite3.h>

/// sqlite3_db_config is variadic, which Swift cannot call: the one setting the cache index needs.
/// Leaves the WAL alone when the connection closes: no checkpoint (and no fdatasync) at the end of
/// every command; later writers checkpoint as usual.
static inline int arttui_sqlite_no_checkpoint_on_close(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
}
#endif
