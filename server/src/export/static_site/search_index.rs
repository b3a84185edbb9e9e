//! `search-index.js`: the rows as a script that assigns a global, because
//! browsers refuse `fetch` of a JSON file from `file://`.
use std::io::Write;
use std::path::Path;

use anyhow::Context;

use super::row::{Row, STOP_WORDS};

/// The global `search.js` reads.
pub const GLOBAL: &str = "FIREBREAK_INDEX";

/// Writes `rows` (newest first) to `path` as `window.FIREBREAK_INDEX = {...};`,
/// with the stop words the rows were made without, for `search.js` to
/// leave out of queries.
pub fn write(path: &Path, rows: &[Row], exported_at: &str) -> anyhow::Result<()> {
    let file =
        std::fs::File::create(path).with_context(|| format!("writing {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    write!(
        out,
        "window.{GLOBAL} = {{\"exported_at\": {}, \"stop\": {}, \"rows\": ",
        serde_json::to_string(exported_at)?,
        serde_json::to_string(STOP_WORDS)?
    )?;
    serde_json::to_writer(&mut out, rows)?;
    out.write_all(b"};\n")?;
    out.flush()
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
