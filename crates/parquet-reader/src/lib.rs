//! A Parquet file as UTF-8 CSV text, for the dashboard's normal import: the column names as the
//! header, then one line per row, written in chunks (at least one per row group) so that a large
//! file never becomes one string. Dates are `YYYY-MM-DD`, timestamps `YYYY-MM-DD HH:MM:SS` (UTC,
//! fractions of a second dropped), decimals their exact decimal text, NULL an empty field.
//!
//! Only flat tables of primitive columns are read (what DuckDB's `COPY … (FORMAT parquet)` and
//! Spark's `write.parquet` make of the warehouse queries); anything else is a [`Problem`], never a
//! panic: the schema is checked before a value is decoded (the `parquet` crate's own conversions
//! panic on type combinations they do not know).

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate};
use parquet::basic::{Compression, ConvertedType, LogicalType, Repetition, TimeUnit, Type as Physical};
use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::{ByteArray, DataType, FixedLenByteArray, Int96};
use parquet::file::reader::{ChunkReader, FileReader, RowGroupReader};
use parquet::file::serialized_reader::SerializedFileReader;
use parquet::schema::types::ColumnDescriptor;

/// Rows decoded at a time from every column (bounds the memory of a large row group).
const BATCH_ROWS: usize = 4096;
/// A chunk is handed on once it holds this much text (and at the end of every row group).
const CHUNK_BYTES: usize = 4 << 20;
/// `PAR1`: the first and last four bytes of every Parquet file.
const MAGIC: &[u8; 4] = b"PAR1";
/// Smallest Parquet file: magic, a 4-byte footer length, magic.
const MIN_LEN: u64 = 12;
/// 1970-01-01 as days from 0001-01-01 (chrono's day count).
const UNIX_EPOCH_CE_DAYS: i32 = 719_163;

/// Why a file could not be read. The page says it in its language from [`Problem::code`] and the
/// fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Not a Parquet file (no `PAR1` at both ends): a CSV or anything else renamed.
    NotParquet,
    /// A column chunk uses a codec this reader leaves out (ZSTD, BROTLI, LZO): export with SNAPPY.
    Compression { codec: String },
    /// A nested column (struct, list, map): the summary and transactions are flat tables.
    Nested { column: String },
    /// A primitive column of a type with no text form here (an interval, a UUID …).
    Unsupported { column: String, kind: String },
    /// The file says it is Parquet but cannot be decoded; `detail` is the decoder's words.
    Corrupt { detail: String },
}

impl Problem {
    /// A stable code for the page (`not_parquet`, `compression`, `nested`, `unsupported`,
    /// `corrupt`).
    pub fn code(&self) -> &'static str {
        match self {
            Problem::NotParquet => "not_parquet",
            Problem::Compression { .. } => "compression",
            Problem::Nested { .. } => "nested",
            Problem::Unsupported { .. } => "unsupported",
            Problem::Corrupt { .. } => "corrupt",
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::NotParquet => write!(f, "not a Parquet file"),
            Problem::Compression { codec } => write!(f, "{codec} compression cannot be read here; export with SNAPPY"),
            Problem::Nested { column } => write!(f, "column {column} is nested (a struct, list or map)"),
            Problem::Unsupported { column, kind } => write!(f, "column {column} has a type that cannot be read ({kind})"),
            Problem::Corrupt { detail } => write!(f, "the Parquet file is damaged ({detail})"),
        }
    }
}

impl From<parquet::errors::ParquetError> for Problem {
    fn from(e: parquet::errors::ParquetError) -> Self {
        Problem::Corrupt { detail: e.to_string() }
    }
}

/// How a column's values become text (decided from its schema before anything is decoded).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Bool,
    Int,
    UInt,
    Float,
    Text,
    Decimal { scale: i32 },
    Date,
    Timestamp(TimeUnit),
    /// Spark's legacy INT96 timestamps.
    Int96,
    Time(TimeUnit),
}

/// Writes the CSV text of `file` (a Parquet file) to `emit`, chunk by chunk: the first chunk
/// starts with a UTF-8 BOM and the header line. Returns the number of data rows.
///
/// `parquet` 57 still panics on some damaged footers and page headers (a thrift bool field of the
/// wrong type unwraps a `None`): natively that panic is caught here and becomes
/// [`Problem::Corrupt`]; in the browser (built with `panic = "abort"`) it stops the worker, and
/// the page says the same for a worker that stopped (src/ui/parquet.rs).
pub fn to_csv<R: ChunkReader + 'static>(file: R, emit: &mut dyn FnMut(String)) -> Result<u64, Problem> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| convert(file, emit))).unwrap_or_else(|payload| {
        let detail = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "the decoder stopped".into());
        Err(Problem::Corrupt { detail })
    })
}

fn convert<R: ChunkReader + 'static>(file: R, emit: &mut dyn FnMut(String)) -> Result<u64, Problem> {
    check_magic(&file)?;
    let reader = SerializedFileReader::new(file)?;
    let meta = reader.metadata();
    let schema = meta.file_metadata().schema_descr();
    check_flat(schema.root_schema())?;
    let kinds = (0..schema.num_columns()).map(|i| kind_of(&schema.column(i))).collect::<Result<Vec<_>, _>>()?;
    check_codecs(meta.row_groups())?;

    let mut out = String::from("\u{feff}");
    let names: Vec<String> = (0..schema.num_columns()).map(|i| schema.column(i).name().to_string()).collect();
    write_line(&mut out, names.iter().map(String::as_str));
    let mut rows = 0u64;
    for g in 0..reader.num_row_groups() {
        let group = reader.get_row_group(g)?;
        rows += write_row_group(group.as_ref(), &kinds, &mut out, emit)?;
        emit(std::mem::take(&mut out));
    }
    if !out.is_empty() {
        emit(out);
    }
    Ok(rows)
}

fn check_magic<R: ChunkReader>(file: &R) -> Result<(), Problem> {
    let len = file.len();
    if len < MIN_LEN {
        return Err(Problem::NotParquet);
    }
    let head = file.get_bytes(0, 4)?;
    let tail = file.get_bytes(len - 4, 4)?;
    if head.as_ref() != MAGIC || tail.as_ref() != MAGIC {
        return Err(Problem::NotParquet);
    }
    Ok(())
}

/// Every top-level field is a single primitive value.
fn check_flat(root: &parquet::schema::types::Type) -> Result<(), Problem> {
    for field in root.get_fields() {
        let repeated = field.get_basic_info().has_repetition() && field.get_basic_info().repetition() == Repetition::REPEATED;
        if !field.is_primitive() || repeated {
            return Err(Problem::Nested { column: field.name().to_string() });
        }
    }
    Ok(())
}

fn check_codecs(groups: &[parquet::file::metadata::RowGroupMetaData]) -> Result<(), Problem> {
    for chunk in groups.iter().flat_map(|g| g.columns()) {
        match chunk.compression() {
            Compression::UNCOMPRESSED | Compression::SNAPPY | Compression::GZIP(_) | Compression::LZ4 | Compression::LZ4_RAW => {}
            Compression::ZSTD(_) => return Err(Problem::Compression { codec: "ZSTD".into() }),
            Compression::BROTLI(_) => return Err(Problem::Compression { codec: "BROTLI".into() }),
            Compression::LZO => return Err(Problem::Compression { codec: "LZO".into() }),
        }
    }
    Ok(())
}

/// The column's text form, from its logical type (newer writers) or converted type (older ones).
fn kind_of(c: &ColumnDescriptor) -> Result<Kind, Problem> {
    let unsupported = || Problem::Unsupported {
        column: c.name().to_string(),
        kind: match c.logical_type_ref() {
            Some(l) => format!("{:?} {l:?}", c.physical_type()),
            None => format!("{:?} {:?}", c.physical_type(), c.converted_type()),
        },
    };
    let decimal = Kind::Decimal { scale: c.type_scale() };
    let kind = match (c.physical_type(), c.logical_type_ref(), c.converted_type()) {
        (Physical::BOOLEAN, _, _) => Kind::Bool,
        (Physical::FLOAT | Physical::DOUBLE, _, _) => Kind::Float,
        (Physical::INT96, _, _) => Kind::Int96,
        (Physical::INT32 | Physical::INT64 | Physical::BYTE_ARRAY | Physical::FIXED_LEN_BYTE_ARRAY, Some(LogicalType::Decimal { .. }), _)
        | (_, _, ConvertedType::DECIMAL) => decimal,
        (Physical::INT32 | Physical::INT64, Some(LogicalType::Integer { is_signed: false, .. }), _)
        | (Physical::INT32 | Physical::INT64, _, ConvertedType::UINT_8 | ConvertedType::UINT_16 | ConvertedType::UINT_32 | ConvertedType::UINT_64) => Kind::UInt,
        (Physical::INT32 | Physical::INT64, Some(LogicalType::Integer { .. }) | None, ConvertedType::NONE | ConvertedType::INT_8 | ConvertedType::INT_16 | ConvertedType::INT_32 | ConvertedType::INT_64) => Kind::Int,
        (Physical::INT32, Some(LogicalType::Integer { .. }), _) => Kind::Int,
        (Physical::INT64, Some(LogicalType::Integer { .. }), _) => Kind::Int,
        (Physical::INT32, Some(LogicalType::Date) | None, ConvertedType::DATE) | (Physical::INT32, Some(LogicalType::Date), _) => Kind::Date,
        (Physical::INT64, Some(LogicalType::Timestamp { unit, .. }), _) => Kind::Timestamp(*unit),
        (Physical::INT64, None, ConvertedType::TIMESTAMP_MILLIS) => Kind::Timestamp(TimeUnit::MILLIS),
        (Physical::INT64, None, ConvertedType::TIMESTAMP_MICROS) => Kind::Timestamp(TimeUnit::MICROS),
        (Physical::INT32 | Physical::INT64, Some(LogicalType::Time { unit, .. }), _) => Kind::Time(*unit),
        (Physical::INT32, None, ConvertedType::TIME_MILLIS) => Kind::Time(TimeUnit::MILLIS),
        (Physical::INT64, None, ConvertedType::TIME_MICROS) => Kind::Time(TimeUnit::MICROS),
        (Physical::BYTE_ARRAY, Some(LogicalType::String | LogicalType::Enum | LogicalType::Json) | None, ConvertedType::UTF8 | ConvertedType::ENUM | ConvertedType::JSON | ConvertedType::NONE) => Kind::Text,
        (Physical::BYTE_ARRAY, Some(LogicalType::String | LogicalType::Enum | LogicalType::Json), _) => Kind::Text,
        _ => return Err(unsupported()),
    };
    // Time as Int32 holds milliseconds only, as Int64 micro- or nanoseconds.
    match (kind, c.physical_type()) {
        (Kind::Time(TimeUnit::MILLIS), Physical::INT64) | (Kind::Time(TimeUnit::MICROS | TimeUnit::NANOS), Physical::INT32) => Err(unsupported()),
        (Kind::Date, Physical::INT64) => Err(unsupported()),
        _ => Ok(kind),
    }
}

/// One row group's lines, `BATCH_ROWS` rows at a time; hands `out` on when it grows large.
fn write_row_group(group: &dyn RowGroupReader, kinds: &[Kind], out: &mut String, emit: &mut dyn FnMut(String)) -> Result<u64, Problem> {
    let total = u64::try_from(group.metadata().num_rows()).unwrap_or(0);
    let mut readers = Vec::with_capacity(kinds.len());
    for (i, kind) in kinds.iter().enumerate() {
        let descr = group.metadata().column(i).column_descr_ptr();
        readers.push(Column { reader: group.get_column_reader(i)?, descr, kind: *kind, cells: Vec::new() });
    }
    let mut done = 0u64;
    while done < total {
        let want = usize::try_from(total - done).map_or(BATCH_ROWS, |left| left.min(BATCH_ROWS));
        for column in readers.iter_mut() {
            column.read(want)?;
            if column.cells.len() != want {
                return Err(Problem::Corrupt { detail: format!("column {} ends before its row group", column.descr.name()) });
            }
        }
        for row in 0..want {
            write_line(out, readers.iter().map(|c| c.cells.get(row).map_or("", String::as_str)));
        }
        done += want as u64;
        if out.len() >= CHUNK_BYTES {
            emit(std::mem::take(out));
        }
    }
    Ok(done)
}

/// A column being read: its decoder and the text of the batch decoded last.
struct Column {
    reader: ColumnReader,
    descr: Arc<ColumnDescriptor>,
    kind: Kind,
    cells: Vec<String>,
}

impl Column {
    /// Decodes `rows` values into `cells` (fewer when the column ends early).
    fn read(&mut self, rows: usize) -> Result<(), Problem> {
        let kind = self.kind;
        let name = self.descr.name().to_string();
        let max_def = self.descr.max_def_level();
        let cells = &mut self.cells;
        cells.clear();
        match &mut self.reader {
            ColumnReader::BoolColumnReader(r) => read_batch(r, rows, max_def, cells, |v: &bool| Ok(v.to_string())),
            ColumnReader::Int32ColumnReader(r) => read_batch(r, rows, max_def, cells, |v: &i32| int_text(kind, i64::from(*v), &name)),
            ColumnReader::Int64ColumnReader(r) => read_batch(r, rows, max_def, cells, |v: &i64| int_text(kind, *v, &name)),
            ColumnReader::Int96ColumnReader(r) => read_batch(r, rows, max_def, cells, |v: &Int96| int96_text(v, &name)),
            ColumnReader::FloatColumnReader(r) => read_batch(r, rows, max_def, cells, |v: &f32| Ok(float_text(*v))),
            ColumnReader::DoubleColumnReader(r) => read_batch(r, rows, max_def, cells, |v: &f64| Ok(float_text(*v))),
            ColumnReader::ByteArrayColumnReader(r) => read_batch(r, rows, max_def, cells, |v: &ByteArray| bytes_text(kind, v.data(), &name)),
            ColumnReader::FixedLenByteArrayColumnReader(r) => read_batch(r, rows, max_def, cells, |v: &FixedLenByteArray| bytes_text(kind, v.data(), &name)),
        }
    }
}

/// Reads up to `rows` records; a definition level below `max_def` is a NULL (an empty cell).
fn read_batch<T: DataType>(
    reader: &mut ColumnReaderImpl<T>,
    rows: usize,
    max_def: i16,
    cells: &mut Vec<String>,
    text: impl Fn(&T::T) -> Result<String, Problem>,
) -> Result<(), Problem> {
    let mut values = Vec::with_capacity(rows);
    let mut defs = Vec::with_capacity(rows);
    let (records, _, _) = reader.read_records(rows, Some(&mut defs), None, &mut values)?;
    if max_def == 0 {
        for v in values.iter().take(records) {
            cells.push(text(v)?);
        }
        return Ok(());
    }
    let mut next = values.iter();
    for def in defs.iter().take(records) {
        if *def < max_def {
            cells.push(String::new());
            continue;
        }
        match next.next() {
            Some(v) => cells.push(text(v)?),
            None => return Err(Problem::Corrupt { detail: "fewer values than the column's levels say".into() }),
        }
    }
    Ok(())
}

fn out_of_range(column: &str) -> Problem {
    Problem::Corrupt { detail: format!("column {column} holds a date or time out of range") }
}

fn int_text(kind: Kind, v: i64, column: &str) -> Result<String, Problem> {
    Ok(match kind {
        // An unsigned value is stored in the signed type's bits.
        Kind::UInt if v < 0 && v >= i64::from(i32::MIN) => u32::from_ne_bytes((v as i32).to_ne_bytes()).to_string(),
        Kind::UInt => u64::from_ne_bytes(v.to_ne_bytes()).to_string(),
        Kind::Decimal { scale } => decimal_text(i128::from(v), scale),
        Kind::Date => date_text(v, column)?,
        Kind::Timestamp(unit) => timestamp_text(v, unit, column)?,
        Kind::Time(unit) => time_text(v, unit, column)?,
        _ => v.to_string(),
    })
}

fn date_text(days: i64, column: &str) -> Result<String, Problem> {
    i32::try_from(days)
        .ok()
        .and_then(|d| d.checked_add(UNIX_EPOCH_CE_DAYS))
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .ok_or_else(|| out_of_range(column))
}

fn timestamp_text(v: i64, unit: TimeUnit, column: &str) -> Result<String, Problem> {
    let seconds = match unit {
        TimeUnit::MILLIS => v.div_euclid(1_000),
        TimeUnit::MICROS => v.div_euclid(1_000_000),
        TimeUnit::NANOS => v.div_euclid(1_000_000_000),
    };
    seconds_text(seconds, column)
}

fn seconds_text(seconds: i64, column: &str) -> Result<String, Problem> {
    DateTime::from_timestamp(seconds, 0).map(|t| t.naive_utc().format("%Y-%m-%d %H:%M:%S").to_string()).ok_or_else(|| out_of_range(column))
}

fn int96_text(v: &Int96, column: &str) -> Result<String, Problem> {
    // Julian day and nanoseconds of the day; to_seconds wraps only for days beyond any calendar.
    seconds_text(v.to_seconds(), column)
}

fn time_text(v: i64, unit: TimeUnit, column: &str) -> Result<String, Problem> {
    let seconds = match unit {
        TimeUnit::MILLIS => v.div_euclid(1_000),
        TimeUnit::MICROS => v.div_euclid(1_000_000),
        TimeUnit::NANOS => v.div_euclid(1_000_000_000),
    };
    if !(0..86_400).contains(&seconds) {
        return Err(out_of_range(column));
    }
    Ok(format!("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60))
}

/// Shortest text that reads back as the same number; NaN and infinities (no number in a CSV
/// cell) become empty.
fn float_text<F: Into<f64> + fmt::Display + Copy>(v: F) -> String {
    if v.into().is_finite() {
        v.to_string()
    } else {
        String::new()
    }
}

fn bytes_text(kind: Kind, data: &[u8], column: &str) -> Result<String, Problem> {
    match kind {
        Kind::Decimal { scale } => unscaled(data).map(|v| decimal_text(v, scale)).ok_or_else(|| Problem::Unsupported {
            column: column.to_string(),
            kind: format!("a decimal of {} bytes", data.len()),
        }),
        _ => Ok(String::from_utf8_lossy(data).into_owned()),
    }
}

/// A big-endian two's-complement integer of up to 16 bytes (longer ones only when the extra
/// leading bytes are sign extension).
fn unscaled(data: &[u8]) -> Option<i128> {
    let negative = data.first().is_some_and(|b| b & 0x80 != 0);
    let fill = if negative { 0xff } else { 0 };
    let extra = data.len().saturating_sub(16);
    let (head, tail) = data.split_at(extra);
    if head.iter().any(|b| *b != fill) {
        return None;
    }
    let mut bytes = [fill; 16];
    bytes[16 - tail.len()..].copy_from_slice(tail);
    let v = i128::from_be_bytes(bytes);
    // The sign must survive the cut (a 17-byte value whose 16th-from-last byte flips it does not fit).
    (extra == 0 || (v < 0) == negative).then_some(v)
}

/// `unscaled × 10^-scale` exactly: `-12.05`, `0.50`, `1200` (a negative scale).
fn decimal_text(unscaled: i128, scale: i32) -> String {
    let digits = unscaled.unsigned_abs().to_string();
    let sign = if unscaled < 0 { "-" } else { "" };
    if scale <= 0 {
        let zeros = if unscaled == 0 { 0 } else { scale.unsigned_abs() as usize };
        return format!("{sign}{digits}{}", "0".repeat(zeros));
    }
    let scale = scale as usize;
    let padded = if digits.len() <= scale { format!("{}{digits}", "0".repeat(scale + 1 - digits.len())) } else { digits };
    let (whole, fraction) = padded.split_at(padded.len() - scale);
    format!("{sign}{whole}.{fraction}")
}

/// One CSV line (RFC 4180 quoting: a field with a comma, quote or line break is quoted).
fn write_line<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        if field.contains([',', '"', '\n', '\r']) {
            out.push('"');
            out.push_str(&field.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(field);
        }
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_exact_text() {
        assert_eq!(decimal_text(-1205, 2), "-12.05");
        assert_eq!(decimal_text(50, 2), "0.50");
        assert_eq!(decimal_text(-5, 2), "-0.05");
        assert_eq!(decimal_text(0, 2), "0.00");
        assert_eq!(decimal_text(12, -2), "1200");
        assert_eq!(decimal_text(i128::MAX, 0), i128::MAX.to_string());
    }

    #[test]
    fn unscaled_reads_twos_complement() {
        assert_eq!(unscaled(&[0xff, 0x38]), Some(-200));
        assert_eq!(unscaled(&[0x00, 0xc8]), Some(200));
        assert_eq!(unscaled(&[]), Some(0));
        let mut long = vec![0xff; 4];
        long.extend_from_slice(&(-7i128).to_be_bytes());
        assert_eq!(unscaled(&long), Some(-7));
        long[0] = 0x7f;
        assert_eq!(unscaled(&long), None);
    }

    #[test]
    fn quoting() {
        let mut s = String::new();
        write_line(&mut s, ["a,b", "say \"hi\"", "plain", "两\n行"].into_iter());
        assert_eq!(s, "\"a,b\",\"say \"\"hi\"\"\",plain,\"两\n行\"\n");
    }

    #[test]
    fn times_and_dates() {
        assert_eq!(date_text(0, "d").unwrap(), "1970-01-01");
        assert_eq!(date_text(-1, "d").unwrap(), "1969-12-31");
        assert!(date_text(i64::from(i32::MAX), "d").is_err());
        assert_eq!(timestamp_text(-1, TimeUnit::MILLIS, "t").unwrap(), "1969-12-31 23:59:59");
        assert!(timestamp_text(i64::MAX, TimeUnit::MILLIS, "t").is_err());
        assert_eq!(time_text(3_723_000, TimeUnit::MILLIS, "t").unwrap(), "01:02:03");
    }
}
