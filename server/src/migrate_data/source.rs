//! The SQLite registry to read: `--from sqlite:PATH`, which must exist.
use std::path::Path;
use std::str::FromStr;

use anyhow::bail;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, SqliteConnection};

/// Checks `from` names an existing SQLite file; returns it as a URL.
pub fn sqlite_url(from: &str) -> anyhow::Result<String> {
    let Some(rest) = from.strip_prefix("sqlite:") else {
        bail!("--from must be sqlite:PATH (the registry's firebreak.db), not {from:?}");
    };
    let path = rest.strip_prefix("//").unwrap_or(rest);
    let path = path.split('?').next().unwrap_or_default();
    if !Path::new(path).is_file() {
        bail!("there is no SQLite registry at {path}");
    }
    Ok(format!(
        "sqlite://{}",
        rest.strip_prefix("//").unwrap_or(rest)
    ))
}

/// A read-only connection: this command never writes to the source.
pub async fn open(url: &str) -> anyhow::Result<SqliteConnection> {
    Ok(SqliteConnectOptions::from_str(url)?
        .read_only(true)
        .connect()
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_existing_sqlite_file_is_taken() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("firebreak.db");
        std::fs::write(&file, b"").unwrap();
        let expected = format!("sqlite://{}", file.display());
        assert_eq!(
            sqlite_url(&format!("sqlite:{}", file.display())).unwrap(),
            expected
        );
        assert_eq!(
            sqlite_url(&format!("sqlite://{}", file.display())).unwrap(),
            expected
        );
        assert!(sqlite_url(&file.display().to_string()).is_err());
        assert!(sqlite_url("sqlite:/nowhere/firebreak.db").is_err());
    }
}
