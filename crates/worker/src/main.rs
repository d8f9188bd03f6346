//! The engine's Web Worker (built by Trunk into `worker_bg.wasm`). A crate of its own so that it
//! is optimised for speed as a whole (`opt-level = 3`, link-time optimisation included), while
//! the page's UI stays optimised for size: the release profile's level is the final binary's.

#[cfg(target_arch = "wasm32")]
mod files;
#[cfg(target_arch = "wasm32")]
mod worker;

#[cfg(target_arch = "wasm32")]
fn main() {
    worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The worker runs in the browser: see README.md (scripts/run-app.sh).");
    std::process::exit(2);
}
