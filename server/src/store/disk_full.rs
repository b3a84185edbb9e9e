//! Recognises a full disk by the driver's error code, never by its text:
//! SQLite's SQLITE_FULL (primary result code 13), PostgreSQL's `disk_full`
//! (SQLSTATE 53100), or an I/O error with ENOSPC.

/// SQLite's primary result code for "database or disk is full".
const SQLITE_FULL: i32 = 13;
/// PostgreSQL's SQLSTATE for "disk_full".
const PG_DISK_FULL: &str = "53100";
/// Linux's errno for "No space left on device".
const ENOSPC: i32 = 28;

pub fn is_disk_full(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Database(e) => {
            if e.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                sqlite_code_is_full(e.code().as_deref())
            } else {
                e.code().as_deref() == Some(PG_DISK_FULL)
            }
        }
        sqlx::Error::Io(io) => io.raw_os_error() == Some(ENOSPC),
        _ => false,
    }
}

/// SQLite reports extended result codes; the primary code is the low byte.
fn sqlite_code_is_full(code: Option<&str>) -> bool {
    code.and_then(|c| c.parse::<i32>().ok())
        .is_some_and(|c| c & 0xff == SQLITE_FULL)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_full_is_told_by_its_primary_code() {
        assert!(sqlite_code_is_full(Some("13")));
        assert!(!sqlite_code_is_full(Some("2067")), "a unique violation");
        assert!(!sqlite_code_is_full(Some("778")), "SQLITE_IOERR_WRITE");
        assert!(!sqlite_code_is_full(None));
    }

    #[test]
    fn an_enospc_io_error_is_a_full_disk() {
        let io = std::io::Error::from_raw_os_error(ENOSPC);
        assert!(is_disk_full(&sqlx::Error::Io(io)));
        let other = std::io::Error::from_raw_os_error(5);
        assert!(!is_disk_full(&sqlx::Error::Io(other)));
    }

    /// A real SQLITE_FULL: `max_page_count` caps the database's size.
    #[tokio::test]
    async fn a_full_sqlite_database_is_a_full_disk() {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:")
            .await
            .unwrap();
        sqlx::query("CREATE TABLE t (body BLOB)")
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query("PRAGMA max_page_count = 4")
            .execute(&mut conn)
            .await
            .unwrap();
        let error = sqlx::query("INSERT INTO t VALUES (zeroblob(100000))")
            .execute(&mut conn)
            .await
            .unwrap_err();
        assert!(is_disk_full(&error), "{error:?}");
        let stored = crate::store::StoreError::from(error);
        assert!(matches!(stored, crate::store::StoreError::StorageFull));
        let wire = app::error::ApiError::from(crate::service::ServiceError::from(stored));
        assert_eq!(wire.status(), 507);
        assert_eq!(
            wire.to_string(),
            "the server's disk is full; nothing was saved"
        );
    }
}
