"""The embedded store: the only module that speaks DuckDB.

Readers open the file read-only (``Store``) on a connection with external access disabled
and the configuration locked: ``sql()`` can read the store's tables and nothing else (no
files, no ATTACH, no COPY ... TO, no extensions). A reader notices when a writer swapped
a new file in and reconnects.

Writers never modify a store in place: they write a complete new file next to the target
(a temp name carrying their pid) and swap it in with ``os.replace``, so a process killed
at any moment leaves the previous store usable. Every swap happens under the store's
write lock (``orderwatch.lock``); a long build re-reads, under that lock, the user rows
that an ingest added while it ran, so none is lost. A full disk or a read-only directory
is one line (``StoreWriteError``) and leaves no temp file behind.
"""

from orderwatch.store.layout import (BASE_TABLES, CARRIED_TABLES, ENV_VAR, READ_CONFIG, USER_ROW_TABLES,
                                     USER_SOURCE, USER_TABLES, StoreWriteError, default_db_path, file_id)
from orderwatch.store.reader import Store
from orderwatch.store.salvage import probe, read_meta, read_user_rows, salvage_user_rows
from orderwatch.store.write import (append_user_rows, clean_stale_temp_files, merge_rows, rewrite_tables,
                                    stale_temp_files, write_store, write_store_side_by_side)

__all__ = ["Store", "default_db_path", "file_id", "write_store", "write_store_side_by_side", "rewrite_tables",
           "append_user_rows", "merge_rows", "read_meta", "read_user_rows", "salvage_user_rows", "probe",
           "clean_stale_temp_files", "stale_temp_files", "StoreWriteError", "BASE_TABLES", "CARRIED_TABLES",
           "USER_TABLES", "USER_ROW_TABLES", "USER_SOURCE", "ENV_VAR", "READ_CONFIG"]
