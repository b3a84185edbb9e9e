//! One column of a batch: the SQLite values read as the PostgreSQL column's
//! type, bound as one array, so a whole batch is one `INSERT … SELECT * FROM
//! UNNEST(…)` statement.
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::postgres::{PgArguments, Postgres};
use sqlx::query::Query;
use sqlx::sqlite::SqliteRow;
use sqlx::{Decode, Row, Sqlite, Type};

/// What a PostgreSQL column holds, from `information_schema.columns.data_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Bool,
    Time,
    Date,
    Text,
    Float,
}

impl Kind {
    /// `None` for a type this command does not convert.
    pub fn from_data_type(data_type: &str) -> Option<Self> {
        Some(match data_type {
            "bigint" | "integer" | "smallint" => Self::Int,
            "boolean" => Self::Bool,
            "timestamp with time zone" => Self::Time,
            "date" => Self::Date,
            "text" | "character varying" | "character" => Self::Text,
            "double precision" | "real" => Self::Float,
            _ => return None,
        })
    }

    /// The array type the batch is bound as.
    pub fn array_type(self) -> &'static str {
        match self {
            Self::Int => "int8[]",
            Self::Bool => "bool[]",
            Self::Time => "timestamptz[]",
            Self::Date => "date[]",
            Self::Text => "text[]",
            Self::Float => "float8[]",
        }
    }
}

/// The values of one column, in row order; `None` is NULL.
#[derive(Debug)]
pub enum Values {
    Int(Vec<Option<i64>>),
    Bool(Vec<Option<bool>>),
    Time(Vec<Option<DateTime<Utc>>>),
    Date(Vec<Option<NaiveDate>>),
    Text(Vec<Option<String>>),
    Float(Vec<Option<f64>>),
}

fn read<'r, T>(row: &'r SqliteRow, i: usize, into: &mut Vec<Option<T>>) -> Result<(), sqlx::Error>
where
    T: Decode<'r, Sqlite> + Type<Sqlite>,
{
    into.push(row.try_get(i)?);
    Ok(())
}

impl Values {
    pub fn new(kind: Kind) -> Self {
        match kind {
            Kind::Int => Self::Int(Vec::new()),
            Kind::Bool => Self::Bool(Vec::new()),
            Kind::Time => Self::Time(Vec::new()),
            Kind::Date => Self::Date(Vec::new()),
            Kind::Text => Self::Text(Vec::new()),
            Kind::Float => Self::Float(Vec::new()),
        }
    }

    /// Reads column `i` of a SQLite row: RFC 3339 text as a time, 0/1 as
    /// a boolean, 'YYYY-MM-DD' as a date, as the SQLite store reads them.
    pub fn push(&mut self, row: &SqliteRow, i: usize) -> Result<(), sqlx::Error> {
        match self {
            Self::Int(v) => read(row, i, v),
            Self::Bool(v) => read(row, i, v),
            Self::Time(v) => read(row, i, v),
            Self::Date(v) => read(row, i, v),
            Self::Text(v) => read(row, i, v),
            Self::Float(v) => read(row, i, v),
        }
    }

    pub fn bind(self, query: Query<'_, Postgres, PgArguments>) -> Query<'_, Postgres, PgArguments> {
        match self {
            Self::Int(v) => query.bind(v),
            Self::Bool(v) => query.bind(v),
            Self::Time(v) => query.bind(v),
            Self::Date(v) => query.bind(v),
            Self::Text(v) => query.bind(v),
            Self::Float(v) => query.bind(v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_types_convert_and_others_are_refused() {
        assert_eq!(
            Kind::from_data_type("timestamp with time zone"),
            Some(Kind::Time)
        );
        assert_eq!(Kind::from_data_type("boolean"), Some(Kind::Bool));
        assert_eq!(Kind::from_data_type("date"), Some(Kind::Date));
        assert_eq!(Kind::from_data_type("bigint"), Some(Kind::Int));
        assert_eq!(Kind::from_data_type("jsonb"), None);
    }
}
