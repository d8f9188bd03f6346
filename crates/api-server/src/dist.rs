//! The built app's files at `/`, so the app and the API share one origin (the recommended
//! deployment: no CORS at all, and `connect-src 'self'` is enough).

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{header, HeaderValue, Response, StatusCode};

/// The content type of a file by its extension (what a build of the app holds).
pub fn content_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _ => "application/octet-stream",
    }
}

/// The file a request path names inside `dir`, or `None` for a path that could leave it
/// (`..`, hidden files, backslashes). The path is used as sent: `%2e%2e` names no file.
pub fn file_for(dir: &Path, request_path: &str) -> Option<PathBuf> {
    let rel = request_path.trim_start_matches('/');
    let mut path = dir.to_path_buf();
    for segment in rel.split('/').filter(|s| !s.is_empty()) {
        if segment.starts_with('.') || segment.contains(['\\', '\0', ':']) {
            return None;
        }
        path.push(segment);
    }
    if rel.is_empty() || rel.ends_with('/') {
        path.push("index.html");
    }
    Some(path)
}

/// Answers a GET for a file of the app; `frame_ancestors` becomes the
/// `Content-Security-Policy: frame-ancestors …` header (a `<meta>` cannot set it).
pub async fn serve(dir: &Path, request_path: &str, frame_ancestors: Option<&str>) -> Response<Body> {
    let Some(mut path) = file_for(dir, request_path) else { return not_found() };
    if tokio::fs::metadata(&path).await.is_ok_and(|m| m.is_dir()) {
        path.push("index.html");
    }
    let Ok(bytes) = tokio::fs::read(&path).await else { return not_found() };
    let mut r = Response::new(Body::from(bytes));
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(&path)));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if let Some(v) = frame_ancestors.and_then(|f| HeaderValue::from_str(&format!("frame-ancestors {f}")).ok()) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    r
}

pub fn not_found() -> Response<Body> {
    let mut r = Response::new(Body::from("not found\n"));
    *r.status_mut() = StatusCode::NOT_FOUND;
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_directory() {
        let d = Path::new("/srv/dist");
        assert_eq!(file_for(d, "/"), Some(PathBuf::from("/srv/dist/index.html")));
        assert_eq!(file_for(d, "/pkg/app_bg.wasm"), Some(PathBuf::from("/srv/dist/pkg/app_bg.wasm")));
        assert_eq!(file_for(d, "/examples/"), Some(PathBuf::from("/srv/dist/examples/index.html")));
        for bad in ["/../etc/passwd", "/a/../../b", "/.git/config", "/a\\..\\b", "/c:/x"] {
            assert_eq!(file_for(d, bad), None, "{bad}");
        }
        assert_eq!(content_type(Path::new("x/app_bg.wasm")), "application/wasm");
        assert_eq!(content_type(Path::new("index.HTML")), "text/html; charset=utf-8");
    }
}
