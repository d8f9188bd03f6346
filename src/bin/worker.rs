//! The Web Worker's entry point (built by Trunk into `worker_bg.wasm`).

#[cfg(target_arch = "wasm32")]
fn main() {
    member_dashboard::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The worker runs in the browser: see README.md (scripts/run-app.sh).");
    std::process::exit(2);
}
