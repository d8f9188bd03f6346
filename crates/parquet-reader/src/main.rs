//! The Parquet reader's Web Worker (built by Trunk into `parquet-worker_bg.wasm`). The page starts
//! it only when a Parquet file arrives, so that its weight is not part of the first load.

#[cfg(target_arch = "wasm32")]
mod worker;

#[cfg(target_arch = "wasm32")]
fn main() {
    worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The Parquet worker runs in the browser: see README.md (scripts/run-app.sh).");
    std::process::exit(2);
}
