//! `ruta-build release|dev`: builds Ruta's site the way `cargo leptos build`
//! did for this project, without cargo-leptos (a ~19-minute install on a
//! fresh machine). Run from the workspace root (the Makefile does):
//!
//! - the server binary `ruta` (package `ruta`), with the variables
//!   cargo-leptos set at compile time (`LEPTOS_OUTPUT_NAME` names the
//!   bundle files the pages link);
//! - the seller bundle `pkg/ruta.{js,wasm}` and the office bundle
//!   `office/ruta-office.{js,wasm}`: `ruta-app` for wasm32 with `hydrate` /
//!   `office`, wasm-bindgen (web target), `ruta_bg.wasm` renamed to
//!   `ruta.wasm`; in release also wasm-opt, the seller JS minified, and each
//!   file precompressed;
//! - `pkg/ruta.css` from `style/main.css` through lightningcss;
//! - `public/` mirrored into the site root.
//!
//! Release builds the server and the bundles at once (different target
//! folders, so two cargo processes do not wait on each other's lock).
//! `RUTA_BUILD_SERIAL=1` builds one after the other.
mod assets;
mod bundle;
mod cargo;
mod error;
mod style;

use std::path::PathBuf;
use std::time::Instant;

use error::BuildError;

/// What `cargo leptos build` (release) or `cargo leptos build` (dev) made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Release,
    Dev,
}

/// Paths and names from `[workspace.metadata.leptos]` in Cargo.toml.
pub struct Site {
    pub root: PathBuf,
    pub mode: Mode,
}

impl Site {
    pub fn pkg(&self) -> PathBuf {
        self.root.join("pkg")
    }
    pub fn office(&self) -> PathBuf {
        self.root.join("office")
    }
    /// The Makefile's stamp of the last release build: a dev build replaces
    /// the release files, so it must not survive one.
    pub fn release_stamp(&self) -> PathBuf {
        self.root.join(".release-build")
    }
}

fn usage() -> ! {
    eprintln!("usage: ruta-build release|dev [--server-only|--site-only]");
    std::process::exit(2)
}

/// Which parts to build: `--server-only` and `--site-only` as in
/// cargo-leptos (`--frontend-only` there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Parts {
    All,
    Server,
    Site,
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = match args.next().as_deref() {
        Some("release") => Mode::Release,
        Some("dev") => Mode::Dev,
        _ => usage(),
    };
    let parts = match args.next().as_deref() {
        None => Parts::All,
        Some("--server-only") => Parts::Server,
        Some("--site-only") => Parts::Site,
        Some(_) => usage(),
    };
    let root = std::env::var_os("LEPTOS_SITE_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/site"));
    let site = Site { root, mode };
    let started = Instant::now();
    if let Err(e) = run(&site, parts) {
        eprintln!("ruta-build: {e}");
        std::process::exit(1);
    }
    step("done", started);
}

fn run(site: &Site, parts: Parts) -> Result<(), BuildError> {
    let serial = std::env::var_os("RUTA_BUILD_SERIAL").is_some_and(|v| v != "0");
    match parts {
        Parts::Server => cargo::server(site.mode)?.wait(),
        Parts::Site => build_site(site),
        Parts::All if serial => {
            cargo::server(site.mode)?.wait()?;
            build_site(site)
        }
        Parts::All => {
            let server = cargo::server(site.mode)?;
            let built = build_site(site);
            // Wait for the server whatever happened to the site, so that no
            // cargo process outlives this one.
            let server = server.wait();
            built.and(server)
        }
    }
}

fn build_site(site: &Site) -> Result<(), BuildError> {
    let t = Instant::now();
    std::fs::create_dir_all(site.root.as_path()).map_err(BuildError::io(&site.root))?;
    std::fs::remove_file(site.release_stamp())
        .or_else(ignore_missing)
        .map_err(BuildError::io(site.release_stamp()))?;
    assets::mirror(site)?;
    step("assets", t);
    let t = Instant::now();
    style::build(site)?;
    step("css", t);
    for b in [bundle::Bundle::SELLER, bundle::Bundle::OFFICE] {
        bundle::build(site, &b)?;
    }
    Ok(())
}

fn ignore_missing(e: std::io::Error) -> std::io::Result<()> {
    if e.kind() == std::io::ErrorKind::NotFound {
        Ok(())
    } else {
        Err(e)
    }
}

/// One line per step with its time: what the fresh-machine measurement in
/// BENCHMARKS.md reads.
pub fn step(what: &str, since: Instant) {
    eprintln!(
        "ruta-build: {what} in {:.1} s",
        since.elapsed().as_secs_f64()
    );
}
