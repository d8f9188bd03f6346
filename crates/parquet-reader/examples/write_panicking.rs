//! Writes a Parquet file that `parquet` 57's decoder panics on (one byte of a page header
//! changed), for the browser test that a worker which stops does not leave the page busy:
//! `cargo run -p member-parquet --example write_panicking -- <out.parquet>`.

use std::sync::Arc;

use bytes::Bytes;
use member_parquet::{to_csv, Problem};
use parquet::data_type::{ByteArray, ByteArrayType};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

fn main() {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: write_panicking <out.parquet>");
        std::process::exit(2);
    };
    let valid = small_file();
    // The decoder's panic is caught natively (to_csv) and says what unwrapped.
    std::panic::set_hook(Box::new(|_| {}));
    let panics = |bytes: &[u8]| matches!(to_csv(Bytes::copy_from_slice(bytes), &mut |_| {}), Err(Problem::Corrupt { detail }) if detail.contains("unwrap"));
    for flip in 1..=255u8 {
        for at in 4..valid.len() - 4 {
            let mut bytes = valid.clone();
            bytes[at] ^= flip;
            if panics(&bytes) {
                std::fs::write(&out, &bytes).expect("the file can be written");
                return;
            }
        }
    }
    eprintln!("no changed byte makes the decoder panic (fixed upstream?)");
    std::process::exit(1);
}

fn small_file() -> Vec<u8> {
    let schema = Arc::new(parse_message_type("message m { required binary member_id (STRING); }").expect("schema"));
    let mut buf = Vec::new();
    let mut writer = SerializedFileWriter::new(&mut buf, schema, Arc::new(WriterProperties::builder().build())).expect("writer");
    let mut group = writer.next_row_group().expect("row group");
    while let Some(mut col) = group.next_column().expect("column") {
        let ids: Vec<ByteArray> = (0..20).map(|i| ByteArray::from(format!("M{i}").as_str())).collect();
        col.typed::<ByteArrayType>().write_batch(&ids, None, None).expect("values");
        col.close().expect("column closes");
    }
    group.close().expect("row group closes");
    writer.close().expect("file closes");
    buf
}
