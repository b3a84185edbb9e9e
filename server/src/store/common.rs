//! Backend-independent pieces shared by the SQLite and PostgreSQL stores:
//! no SQL and no driver types here.
pub(super) mod action_stats;
pub(super) mod actions;
pub(super) mod audit;
pub(super) mod checklist;
pub(super) mod incidents;
pub(super) mod index_sources;
pub(super) mod insight_cells;
pub(super) mod rows;
