//! The cargo invocations cargo-leptos made for this project
//! (`[workspace.metadata.leptos]` in Cargo.toml), with its environment.
use std::process::{Child, Command};
use std::time::Instant;

use crate::error::BuildError;
use crate::{step, Mode};

/// The browser bundles' own target folder, as cargo-leptos's (its
/// `front_target_path`): the server's build in `target/` and this one can
/// run at once, and a cache made by either tool serves the other.
pub const FRONT_TARGET: &str = "target/front";

/// What cargo-leptos 0.3.10 exports to both cargo builds
/// (`Project::to_envs`). Only `LEPTOS_OUTPUT_NAME` is read at compile time
/// (leptos's `HydrationScripts` links `ruta_bg.wasm` without it); the rest
/// keep the build the same as cargo-leptos's.
fn leptos_env(cmd: &mut Command, mode: Mode) {
    let minify = if mode == Mode::Release {
        "true"
    } else {
        "false"
    };
    cmd.env("LEPTOS_OUTPUT_NAME", "ruta")
        .env("LEPTOS_SITE_ROOT", "target/site")
        .env("LEPTOS_SITE_PKG_DIR", "pkg")
        .env("LEPTOS_SITE_ADDR", "127.0.0.1:3000")
        .env("LEPTOS_RELOAD_PORT", "3001")
        .env("LEPTOS_LIB_DIR", "app")
        .env("LEPTOS_BIN_DIR", "server")
        .env("LEPTOS_JS_MINIFY", minify)
        .env("LEPTOS_HASH_FILES", "false");
}

/// A cargo build running in the background.
pub struct Running {
    what: String,
    child: Child,
    started: Instant,
}

impl Running {
    pub fn wait(mut self) -> Result<(), BuildError> {
        let status = self.child.wait().map_err(|source| BuildError::Spawn {
            program: "cargo".into(),
            source,
        })?;
        if !status.success() {
            return Err(BuildError::Failed {
                what: self.what,
                status,
            });
        }
        step(&self.what, self.started);
        Ok(())
    }
}

fn spawn(what: String, mut cmd: Command) -> Result<Running, BuildError> {
    let started = Instant::now();
    let child = cmd.spawn().map_err(|source| BuildError::Spawn {
        program: "cargo".into(),
        source,
    })?;
    Ok(Running {
        what,
        child,
        started,
    })
}

/// `cargo build --package=ruta --bin=ruta [--release]`, started.
pub fn server(mode: Mode) -> Result<Running, BuildError> {
    let mut cmd = Command::new("cargo");
    cmd.args(["build", "--package=ruta", "--bin=ruta"]);
    if mode == Mode::Release {
        cmd.arg("--release");
    }
    leptos_env(&mut cmd, mode);
    spawn(format!("server build ({mode:?})"), cmd)
}

/// Builds `ruta-app` for wasm32 with `features`; returns the path of the
/// wasm it made. Release uses the `wasm-release` profile and the flags of
/// scripts/wasm-release-env.sh (std rebuilt for size, panics as traps).
pub fn wasm(mode: Mode, features: &str) -> Result<std::path::PathBuf, BuildError> {
    let mut cmd = Command::new("cargo");
    cmd.args([
        "build",
        "--package=ruta-app",
        "--lib",
        &format!("--target-dir={FRONT_TARGET}"),
        "--target=wasm32-unknown-unknown",
        "--no-default-features",
        &format!("--features={features}"),
    ]);
    let profile_dir = match mode {
        Mode::Release => {
            cmd.arg("--profile=wasm-release");
            let flags = release_flags()?;
            cmd.env("RUSTC_BOOTSTRAP", &flags.bootstrap)
                .env(
                    "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
                    &flags.rustflags,
                )
                .args(&flags.cargo_args);
            "wasm-release"
        }
        Mode::Dev => "debug",
    };
    leptos_env(&mut cmd, mode);
    spawn(format!("wasm build {features} ({mode:?})"), cmd)?.wait()?;
    Ok([
        FRONT_TARGET,
        "wasm32-unknown-unknown",
        profile_dir,
        "ruta_app.wasm",
    ]
    .iter()
    .collect())
}

/// The release WASM's flags, read from scripts/wasm-release-env.sh so that
/// the script stays their one home.
struct ReleaseFlags {
    bootstrap: String,
    rustflags: String,
    cargo_args: Vec<String>,
}

fn release_flags() -> Result<ReleaseFlags, BuildError> {
    let out = Command::new("bash")
        .args([
            "-c",
            "source scripts/wasm-release-env.sh && printf '%s\\0' \"$RUSTC_BOOTSTRAP\" \
             \"$CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS\" \"${WASM_RELEASE_CARGO_ARGS[@]}\"",
        ])
        .output()
        .map_err(|source| BuildError::Spawn {
            program: "bash".into(),
            source,
        })?;
    if !out.status.success() {
        return Err(BuildError::Failed {
            what: "scripts/wasm-release-env.sh".into(),
            status: out.status,
        });
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text.split('\0').filter(|s| !s.is_empty()).map(String::from);
    match (parts.next(), parts.next()) {
        (Some(bootstrap), Some(rustflags)) => Ok(ReleaseFlags {
            bootstrap,
            rustflags,
            cargo_args: parts.collect(),
        }),
        _ => Err(BuildError::ReleaseEnv),
    }
}
