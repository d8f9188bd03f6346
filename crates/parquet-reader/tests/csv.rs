//! Parquet files written here with the `parquet` crate's own writer, with every column type the
//! warehouse summary uses, read back as CSV: the text must be what the values written say.

use std::sync::Arc;

use bytes::Bytes;
use member_parquet::{to_csv, Problem};
use parquet::basic::{Compression, GzipLevel, ZstdLevel};
use parquet::data_type::{ByteArray, ByteArrayType, DoubleType, FixedLenByteArray, FixedLenByteArrayType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

const SCHEMA: &str = "message summary {
    required binary member_id (STRING);
    optional binary name (STRING);
    optional int32 first_purchase (DATE);
    optional int64 net_spend (DECIMAL(18,2));
    required int64 orders;
    optional int32 purchase_days;
    optional double mean_repeat_spend;
    optional int64 seen_at (TIMESTAMP(MICROS,true));
    optional fixed_len_byte_array(16) lifetime (DECIMAL(38,2));
}";

const HEADER: &str = "member_id,name,first_purchase,net_spend,orders,purchase_days,mean_repeat_spend,seen_at,lifetime";

/// One row: each value as written and the text the CSV must hold for it.
struct Row {
    name: Option<(&'static str, &'static str)>,
    day: Option<(i32, &'static str)>,
    spend: Option<(i64, &'static str)>,
    orders: (i64, &'static str),
    days: Option<(i32, &'static str)>,
    mean: Option<(f64, &'static str)>,
    seen: Option<(i64, &'static str)>,
    lifetime: Option<(i128, &'static str)>,
}

fn base_rows() -> Vec<Row> {
    vec![
        Row {
            name: Some(("张三", "张三")),
            day: Some((19_723, "2024-01-01")),
            spend: Some((12_345, "123.45")),
            orders: (9_000_000_000_000, "9000000000000"),
            days: Some((42, "42")),
            mean: Some((0.1, "0.1")),
            seen: Some((1_704_110_400_000_000, "2024-01-01 12:00:00")),
            lifetime: Some((123_456, "1234.56")),
        },
        Row {
            name: Some(("Smith, \"Jr\"", "\"Smith, \"\"Jr\"\"\"")),
            day: Some((0, "1970-01-01")),
            spend: Some((-5, "-0.05")),
            orders: (-1, "-1"),
            days: Some((-7, "-7")),
            mean: Some((-2.5, "-2.5")),
            seen: Some((0, "1970-01-01 00:00:00")),
            lifetime: Some((-1, "-0.01")),
        },
        Row { name: None, day: None, spend: None, orders: (0, "0"), days: None, mean: None, seen: None, lifetime: None },
        Row {
            name: Some(("会员 李四\n第二行", "\"会员 李四\n第二行\"")),
            day: Some((-1, "1969-12-31")),
            spend: Some((100, "1.00")),
            orders: (i64::MAX, "9223372036854775807"),
            days: Some((i32::MIN, "-2147483648")),
            mean: Some((1e20, "100000000000000000000")),
            seen: Some((1_700_000_000_123_456, "2023-11-14 22:13:20")),
            lifetime: Some((-12_345_678_901_234_567_890_123_456_789, "-123456789012345678901234567.89")),
        },
    ]
}

/// Row `i` of group `g`: a base row (in turn) under its own member id.
fn member_id(g: usize, i: usize) -> String {
    format!("M{g}-{i}")
}

fn write_file(compression: Compression, groups: &[usize], row_group_limit: Option<usize>) -> Vec<u8> {
    let schema = Arc::new(parse_message_type(SCHEMA).unwrap());
    let mut props = WriterProperties::builder().set_compression(compression).set_dictionary_enabled(true);
    if let Some(limit) = row_group_limit {
        props = props.set_data_page_row_count_limit(limit).set_write_batch_size(limit);
    }
    let mut buf = Vec::new();
    let mut writer = SerializedFileWriter::new(&mut buf, schema, Arc::new(props.build())).unwrap();
    let base = base_rows();
    for (g, &n) in groups.iter().enumerate() {
        let rows: Vec<&Row> = (0..n).map(|i| &base[i % base.len()]).collect();
        let mut group = writer.next_row_group().unwrap();
        let mut column = 0;
        while let Some(mut col) = group.next_column().unwrap() {
            match column {
                0 => {
                    let ids: Vec<ByteArray> = (0..n).map(|i| ByteArray::from(member_id(g, i).as_str())).collect();
                    col.typed::<ByteArrayType>().write_batch(&ids, None, None).unwrap();
                }
                1 => write_optional::<ByteArrayType, _>(&mut col, &rows, |r| r.name.map(|(v, _)| ByteArray::from(v))),
                2 => write_optional::<Int32Type, _>(&mut col, &rows, |r| r.day.map(|(v, _)| v)),
                3 => write_optional::<Int64Type, _>(&mut col, &rows, |r| r.spend.map(|(v, _)| v)),
                4 => {
                    let values: Vec<i64> = rows.iter().map(|r| r.orders.0).collect();
                    col.typed::<Int64Type>().write_batch(&values, None, None).unwrap();
                }
                5 => write_optional::<Int32Type, _>(&mut col, &rows, |r| r.days.map(|(v, _)| v)),
                6 => write_optional::<DoubleType, _>(&mut col, &rows, |r| r.mean.map(|(v, _)| v)),
                7 => write_optional::<Int64Type, _>(&mut col, &rows, |r| r.seen.map(|(v, _)| v)),
                _ => write_optional::<FixedLenByteArrayType, _>(&mut col, &rows, |r| {
                    r.lifetime.map(|(v, _)| FixedLenByteArray::from(v.to_be_bytes().to_vec()))
                }),
            }
            col.close().unwrap();
            column += 1;
        }
        group.close().unwrap();
    }
    writer.close().unwrap();
    buf
}

fn write_optional<T: parquet::data_type::DataType, F: Fn(&Row) -> Option<T::T>>(
    col: &mut parquet::file::writer::SerializedColumnWriter<'_>,
    rows: &[&Row],
    value: F,
) {
    let defs: Vec<i16> = rows.iter().map(|r| i16::from(value(r).is_some())).collect();
    let values: Vec<T::T> = rows.iter().filter_map(|r| value(r)).collect();
    col.typed::<T>().write_batch(&values, Some(&defs), None).unwrap();
}

/// The CSV the rows written must read as (BOM, header, one line each).
fn expected_csv(groups: &[usize]) -> String {
    let base = base_rows();
    let mut s = format!("\u{feff}{HEADER}\n");
    for (g, &n) in groups.iter().enumerate() {
        for i in 0..n {
            let r = &base[i % base.len()];
            let text = |v: Option<&'static str>| v.unwrap_or("");
            let cells = [
                member_id(g, i).as_str(),
                text(r.name.map(|x| x.1)),
                text(r.day.map(|x| x.1)),
                text(r.spend.map(|x| x.1)),
                r.orders.1,
                text(r.days.map(|x| x.1)),
                text(r.mean.map(|x| x.1)),
                text(r.seen.map(|x| x.1)),
                text(r.lifetime.map(|x| x.1)),
            ]
            .join(",");
            s.push_str(&cells);
            s.push('\n');
        }
    }
    s
}

fn read(bytes: Vec<u8>) -> (Result<u64, Problem>, Vec<String>) {
    let mut chunks = Vec::new();
    let result = to_csv(Bytes::from(bytes), &mut |c| chunks.push(c));
    (result, chunks)
}

#[test]
fn every_summary_type_reads_as_csv_snappy_gzip_lz4_and_uncompressed() {
    // Several row groups, one larger than a decoding batch (4096 rows).
    let groups = [4, 5_001, 3];
    for compression in [Compression::SNAPPY, Compression::UNCOMPRESSED, Compression::GZIP(GzipLevel::default()), Compression::LZ4_RAW] {
        let (result, chunks) = read(write_file(compression, &groups, None));
        assert_eq!(result, Ok(5_008), "{compression:?}");
        assert!(chunks.len() >= groups.len(), "{compression:?}: one chunk at least per row group");
        assert_eq!(chunks.concat(), expected_csv(&groups), "{compression:?}");
    }
}

#[test]
fn many_small_pages_read_the_same() {
    let groups = [10, 9];
    let (result, chunks) = read(write_file(Compression::SNAPPY, &groups, Some(3)));
    assert_eq!(result, Ok(19));
    assert_eq!(chunks.concat(), expected_csv(&groups));
}

#[test]
fn a_file_without_rows_is_its_header() {
    let (result, chunks) = read(write_file(Compression::SNAPPY, &[], None));
    assert_eq!(result, Ok(0));
    assert_eq!(chunks.concat(), format!("\u{feff}{HEADER}\n"));
}

#[test]
fn zstd_is_refused_with_the_codec_named() {
    let (result, chunks) = read(write_file(Compression::ZSTD(ZstdLevel::default()), &[3], None));
    assert_eq!(result, Err(Problem::Compression { codec: "ZSTD".into() }));
    assert!(chunks.is_empty(), "nothing is handed on before the codecs are checked");
}

#[test]
fn hostile_inputs_are_clear_errors() {
    let valid = write_file(Compression::SNAPPY, &[20, 20], None);
    assert_eq!(read(Vec::new()).0, Err(Problem::NotParquet));
    assert_eq!(read(b"PAR1".to_vec()).0, Err(Problem::NotParquet));
    assert_eq!(read(valid[..valid.len() / 2].to_vec()).0, Err(Problem::NotParquet));
    assert_eq!(read(valid[..valid.len() - 1].to_vec()).0, Err(Problem::NotParquet));
    let csv = "member_id,date,amount\nM1,2024-01-01,12.50\nM2,2024-01-02,8.00\n".as_bytes().to_vec();
    assert_eq!(read(csv).0, Err(Problem::NotParquet));
    // Random bytes (a fixed xorshift, so a failure repeats), with and without Parquet's magic.
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let random: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x.to_le_bytes()[0]
        })
        .collect();
    assert_eq!(read(random.clone()).0, Err(Problem::NotParquet));
    let mut framed = b"PAR1".to_vec();
    framed.extend_from_slice(&random);
    framed.extend_from_slice(b"PAR1");
    assert!(matches!(read(framed).0, Err(Problem::Corrupt { .. })));
    // Magic at both ends, the middle cut out: the footer no longer fits.
    let mut cut = valid[..40].to_vec();
    cut.extend_from_slice(&valid[valid.len() - 40..]);
    assert!(matches!(read(cut).0, Err(Problem::Corrupt { .. })));
}

#[test]
fn damaged_bytes_never_panic() {
    let valid = write_file(Compression::SNAPPY, &[30, 30], None);
    let mut errors = 0;
    // Every byte in turn (data pages, page headers, the footer): an error or some text; a
    // decoder panic (parquet 57 has some) must not escape to_csv.
    for at in 4..valid.len() - 4 {
        let mut bytes = valid.clone();
        bytes[at] ^= 0xff;
        if read(bytes).0.is_err() {
            errors += 1;
        }
    }
    assert!(errors > 0, "some damage must be noticed");
}

#[test]
fn nested_and_unknown_columns_are_named() {
    let nested = "message m { required binary member_id (STRING); optional group address { optional binary city (STRING); } }";
    assert_eq!(read(empty_file(nested)).0, Err(Problem::Nested { column: "address".into() }));
    let list = "message m { required binary member_id (STRING); repeated int32 visits; }";
    assert_eq!(read(empty_file(list)).0, Err(Problem::Nested { column: "visits".into() }));
    let uuid = "message m { required binary member_id (STRING); optional fixed_len_byte_array(16) token (UUID); }";
    assert!(matches!(read(empty_file(uuid)).0, Err(Problem::Unsupported { column, .. }) if column == "token"));
}

fn empty_file(schema: &str) -> Vec<u8> {
    let schema = Arc::new(parse_message_type(schema).unwrap());
    let mut buf = Vec::new();
    let writer = SerializedFileWriter::new(&mut buf, schema, Arc::new(WriterProperties::builder().build())).unwrap();
    writer.close().unwrap();
    buf
}
