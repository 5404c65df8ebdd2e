//! A browser bundle: the wasm32 build of `ruta-app`, wasm-bindgen's web
//! glue, and in release wasm-opt, a minified JS and the precompressed
//! copies the server prefers.
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use wasm_bindgen_cli_support::Bindgen;

use crate::error::BuildError;
use crate::{cargo, step, Mode, Site};

/// npm's binaryen 132 (scripts/install-tools.sh): Debian's binaryen 108
/// makes wasm that fails to hydrate in Chromium (TOOLCHAIN notes).
const WASM_OPT: &str = ".tools/node_modules/.bin/wasm-opt";
/// Stands in for cargo-leptos's swc minifier (scripts/install-tools.sh).
const ESBUILD: &str = ".tools/node_modules/.bin/esbuild";

pub struct Bundle {
    /// `ruta-app`'s features for this bundle.
    pub features: &'static str,
    /// Output name: `NAME.js`, `NAME.wasm` (the names `HydrationScripts`
    /// links, app/src/lib.rs `bundle`).
    pub name: &'static str,
    /// Folder in the site root.
    pub dir: fn(&Site) -> PathBuf,
    /// Whether the JS glue is minified (the seller's is; the office's stays
    /// as wasm-bindgen wrote it, as both were before ruta-build).
    pub minify_js: bool,
}

impl Bundle {
    pub const SELLER: Bundle = Bundle {
        features: "hydrate",
        name: "ruta",
        dir: Site::pkg,
        minify_js: true,
    };
    pub const OFFICE: Bundle = Bundle {
        features: "office",
        name: "ruta-office",
        dir: Site::office,
        minify_js: false,
    };
}

pub fn build(site: &Site, bundle: &Bundle) -> Result<(), BuildError> {
    let out = (bundle.dir)(site);
    // Both bundles share one target folder (std and the common crates are
    // built once); the second overwrites the first's wasm, so each is
    // bound before the next is built.
    let wasm_in = cargo::wasm(site.mode, bundle.features)?;
    let t = Instant::now();
    bindgen(&wasm_in, &out, bundle.name)?;
    let wasm = out.join(format!("{}.wasm", bundle.name));
    std::fs::rename(out.join(format!("{}_bg.wasm", bundle.name)), &wasm)
        .map_err(BuildError::io(&wasm))?;
    step(&format!("wasm-bindgen {}", bundle.name), t);
    if site.mode == Mode::Dev {
        return Ok(());
    }
    let t = Instant::now();
    run(
        "wasm-opt",
        Command::new(WASM_OPT)
            .args([
                "-Oz",
                "--enable-bulk-memory",
                "--enable-nontrapping-float-to-int",
            ])
            .arg(&wasm)
            .arg("-o")
            .arg(&wasm),
    )?;
    step(&format!("wasm-opt {}", bundle.name), t);
    let js = out.join(format!("{}.js", bundle.name));
    if bundle.minify_js {
        let t = Instant::now();
        run(
            "esbuild (JS minify)",
            Command::new(ESBUILD)
                .arg(&js)
                .args(["--minify", "--format=esm", "--log-level=warning"])
                .arg("--allow-overwrite")
                .arg(format!("--outfile={}", js.display())),
        )?;
        step(&format!("minify {}.js", bundle.name), t);
    }
    let t = Instant::now();
    let mut files = vec![wasm, js];
    if bundle.name == Bundle::SELLER.name {
        files.push(out.join(format!("{}.css", bundle.name)));
    }
    run(
        "scripts/precompress.sh",
        Command::new("bash")
            .arg("scripts/precompress.sh")
            .args(&files),
    )?;
    step(&format!("precompress {}", bundle.name), t);
    Ok(())
}

/// wasm-bindgen with the options its 0.2.130 CLI passes for
/// `--target=web --out-name=NAME --out-dir=OUT` (what cargo-leptos ran):
/// TypeScript declarations on, the default module path kept in the JS.
fn bindgen(input: &Path, out: &Path, name: &str) -> Result<(), BuildError> {
    let mut b = Bindgen::new();
    b.web(true).map_err(err)?;
    // The CLI passes its (deprecated, hidden) `--reference-types` flag, off.
    #[allow(deprecated)]
    b.input_path(input)
        .out_name(name)
        .debug(false)
        .demangle(true)
        .keep_lld_exports(false)
        .keep_debug(false)
        .remove_name_section(false)
        .remove_producers_section(false)
        .typescript(true)
        .omit_imports(false)
        .omit_default_module_path(false)
        .reference_types(false);
    b.generate(out).map_err(err)
}

// wasm-bindgen's errors are anyhow's; `{:#}` prints their causes too.
fn err(e: impl std::fmt::Display) -> BuildError {
    BuildError::Bindgen(format!("{e:#}"))
}

fn run(what: &str, cmd: &mut Command) -> Result<(), BuildError> {
    let status = cmd.status().map_err(|source| BuildError::Spawn {
        program: what.into(),
        source,
    })?;
    if status.success() {
        Ok(())
    } else {
        Err(BuildError::Failed {
            what: what.into(),
            status,
        })
    }
}
