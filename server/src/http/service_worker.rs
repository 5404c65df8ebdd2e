//! `GET /sw.js`: the service worker, stamped with this build's version so a
//! new deployment replaces the cached app shell (see `service_worker.js`).
use crate::state::AppState;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::OnceLock;

const TEMPLATE: &str = include_str!("service_worker.js");
/// What the shell is built from; their bytes make the version.
const BUILD_FILES: &[&str] = &["ruta.js", "ruta.wasm", "ruta.css"];

static SCRIPT: OnceLock<String> = OnceLock::new();

pub async fn script(State(st): State<AppState>) -> impl IntoResponse {
    let script = SCRIPT.get_or_init(|| {
        let pkg = Path::new(st.leptos.site_root.as_ref()).join(st.leptos.site_pkg_dir.as_ref());
        TEMPLATE.replace("__RUTA_BUILD__", &build_version(&pkg))
    });
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            // The browser checks for a new worker on every navigation.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        script.clone(),
    )
}

/// A short hash of the build's files; files that cannot be read count as
/// empty, so a server without a built site still answers.
fn build_version(pkg: &Path) -> String {
    let mut hash = Sha256::new();
    for name in BUILD_FILES {
        hash.update(name.as_bytes());
        hash.update(std::fs::read(pkg.join(name)).unwrap_or_default());
    }
    hex::encode(&hash.finalize()[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_follows_the_build_files() {
        let dir = std::env::temp_dir().join(format!("ruta-sw-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("ruta.wasm"), b"one").unwrap();
        let first = build_version(&dir);
        assert_eq!(first, build_version(&dir));
        std::fs::write(dir.join("ruta.wasm"), b"two").unwrap();
        assert_ne!(first, build_version(&dir));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
