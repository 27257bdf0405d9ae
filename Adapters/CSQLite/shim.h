// Debian's SQLite 3 (libsqlite3-dev) for the CheckpointSQLite adapter.
#include <sqlite3.h>

// SQLITE_TRANSIENT is a cast macro, which Swift does not import.
static inline sqlite3_destructor_type prophrl_sqlite_transient(void) { return SQLITE_TRANSIENT; }
