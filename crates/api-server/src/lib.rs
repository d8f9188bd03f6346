//! The reference API server: serves the built-in demo or a file as the dashboard's API (the
//! contract is `api/openapi.yaml`), paged by cursor or by page, with a token or cookie check,
//! CORS for the allowed origins, and faults on demand for the client's tests. Native only.

pub mod dist;
pub mod options;
pub mod paging;
pub mod records;
pub mod server;
pub mod source;
