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
/// What the shell is built from, by folder: the seller bundle's (in the
/// site's pkg folder) and the office bundle's, which the phone keeps for
/// "Mi día" and receipts. Their bytes make the version.
const SELLER_FILES: &[&str] = &["ruta.js", "ruta.wasm", "ruta.css"];
const OFFICE_FILES: &[&str] = &["ruta-office.js", "ruta-office.wasm"];

static SCRIPT: OnceLock<String> = OnceLock::new();

pub async fn script(State(st): State<AppState>) -> impl IntoResponse {
    let script = SCRIPT.get_or_init(|| {
        let site = Path::new(st.leptos.site_root.as_ref());
        let version = build_version(site, st.leptos.site_pkg_dir.as_ref());
        TEMPLATE.replace("__RUTA_BUILD__", &version)
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
fn build_version(site: &Path, pkg_dir: &str) -> String {
    let mut hash = Sha256::new();
    let seller = SELLER_FILES.iter().map(|name| (pkg_dir, *name));
    let office = OFFICE_FILES
        .iter()
        .map(|name| (ruta_app::bundle::OFFICE_DIR, *name));
    for (dir, name) in seller.chain(office) {
        hash.update(name.as_bytes());
        hash.update(std::fs::read(site.join(dir).join(name)).unwrap_or_default());
    }
    hex::encode(&hash.finalize()[..8])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_follows_the_build_files() {
        let site = std::env::temp_dir().join(format!("ruta-sw-{}", std::process::id()));
        let office = site.join(ruta_app::bundle::OFFICE_DIR);
        std::fs::create_dir_all(site.join("pkg")).unwrap();
        std::fs::create_dir_all(&office).unwrap();
        std::fs::write(site.join("pkg").join("ruta.wasm"), b"one").unwrap();
        let first = build_version(&site, "pkg");
        assert_eq!(first, build_version(&site, "pkg"));
        std::fs::write(site.join("pkg").join("ruta.wasm"), b"two").unwrap();
        let second = build_version(&site, "pkg");
        assert_ne!(first, second);
        // The office bundle alone changing is a new version too.
        std::fs::write(office.join("ruta-office.wasm"), b"one").unwrap();
        assert_ne!(second, build_version(&site, "pkg"));
        std::fs::remove_dir_all(&site).unwrap();
    }
}
