#ifndef ARTTUI_CSQLITECONFIG_SHIM_H
#define ARTTUI_CSQLITECONFIG_SHIM_H
#include <sqlite3.h>

/// sqlite3_db_config is variadic, which Swift cannot call: the one setting the cache index needs.
/// Leaves the WAL alone when the connection closes: no checkpoint (and no fdatasync) at the end of
/// every command; later writers checkpoint as usual.
static inline int arttui_sqlite_no_checkpoint_on_close(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
}
/// sqlite3_config is variadic too. Turns off SQLite's memory statistics, process-wide: with them on,
/// every allocation SQLite makes (a bound text's copy, a row's record) takes one global mutex, which
/// the two link workers of a `get` and the catalog's reader then queue on. Only before SQLite is first
/// used; later it returns SQLITE_MISUSE and changes nothing.
static inline int arttui_sqlite_no_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
#endif
