//! How the process holds memory (performance.md: RSS ≤ 150 MB with 100k
//! incidents under load). Called first thing in `main`, before any thread
//! starts: mimalloc's options are not thread-safe to set.
//!
//! Measured on 100k seeded incidents, oha with 8 connections (anonymous
//! memory, the budget's measure):
//! - transparent huge pages: mimalloc asks for them on its arenas, and a
//!   2 MB page backs a few KB in use; off, the search load's 146–160 MB
//!   became 102–115 MB, with no throughput difference beyond the noise;
//! - purge delay: freed memory went back to the system 1 s after it was
//!   freed, and only when the allocator was next called, so an idle server
//!   kept what its last burst freed. At 100 ms, incident-page load held a
//!   median of 133 MB instead of 193 MB at the same request rate (within
//!   6%); at 10 ms, 85 MB but a third fewer requests per second.
//! - C code's heap: SQLite allocates through glibc's malloc, not mimalloc,
//!   and glibc keeps what a burst freed in its arenas. After rebuilding the
//!   index of 100k incidents the server held 138 MB idle; giving that back
//!   ([`return_freed_c_heap`]) left 74 MB, and incident-page load then held
//!   a median of 101 MB instead of 205 MB.
use std::ffi::c_long;

use libmimalloc_sys as mi;

/// `mi_option_purge_delay`, by its position in mimalloc 3's `mi_option_e`
/// (the Rust bindings name only mimalloc 2's options). The test below
/// checks the position against the option's documented default.
const MI_OPTION_PURGE_DELAY: mi::mi_option_t = 15;
const PURGE_DELAY_MS: c_long = 100;
/// What an operator sets wins over [`PURGE_DELAY_MS`].
const PURGE_DELAY_ENV: &str = "MIMALLOC_PURGE_DELAY";

pub fn tune() {
    keep_heap_off_huge_pages();
    if std::env::var_os(PURGE_DELAY_ENV).is_none() {
        // SAFETY: an integer option, set before any other thread exists.
        unsafe { mi::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    }
}

/// Returns to the system what glibc's malloc holds freed, after a burst of
/// reads from SQLite (a full rebuild of the index, a large catch-up).
pub fn return_freed_c_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: takes an integer and works on glibc's own arenas, under their
    // locks; it frees nothing that is in use.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(target_os = "linux")]
fn keep_heap_off_huge_pages() {
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments only and touches no
    // memory of ours; on failure (an old kernel) huge pages simply stay on.
    // Children of this process would inherit it; Firebreak starts none.
    let _ = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

#[cfg(not(target_os = "linux"))]
fn keep_heap_off_huge_pages() {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_purge_delay_option_is_where_mimalloc_3_keeps_it() {
        // mimalloc 3 documents a purge delay of 1000 ms; another number
        // here means the option moved, and tune() would set something else.
        let expected = std::env::var(PURGE_DELAY_ENV)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(1000);
        // SAFETY: reads an integer option.
        assert_eq!(
            unsafe { mi::mi_option_get(MI_OPTION_PURGE_DELAY) },
            expected
        );
    }
}
