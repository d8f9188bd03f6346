//! `api-server [FILE] [options]`: see `--help` and api/README.md.

use std::process::ExitCode;

use member_api_server::options::{parse, USAGE};
use member_api_server::{server, source};

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(message) if message == USAGE => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("api-server: {message}");
            return ExitCode::from(2);
        }
    };
    let served = match source::served(&options) {
        Ok(s) => s,
        Err(message) => {
            eprintln!("api-server: {message}");
            return ExitCode::from(1);
        }
    };
    eprintln!("serving {}: {} members, {} transactions", served.name, served.members.len(), served.transactions.len());
    // Two worker threads are plenty for a reference server on a shared machine.
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("api-server: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(server::run(options, served)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("api-server: {message}");
            ExitCode::from(1)
        }
    }
}
