# Read by the release builds of the browser bundles (ruta-build, build/src/cargo.rs): the standard library rebuilt for size, with
# panics compiled to a bare trap (no formatting, no messages, no unwinding
# tables), `{:?}` formatting compiled to nothing (no user-visible text
# in Ruta uses it), and no source paths kept for panic locations (nothing
# prints them once panics are traps). What each one saves, and the budget
# they keep the seller WASM within: docs/wasm-size.md. A panic
# in the release WASM shows in the console as "RuntimeError: unreachable",
# without its message: reproduce it on a dev build (`make dev`, `ruta-build dev`),
# which keeps both.
#
# These are unstable rustc/cargo options; RUSTC_BOOTSTRAP=1 lets the
# stable toolchain pinned in rust-toolchain.toml (1.95.0, with the rust-src
# component that -Zbuild-std rebuilds) take them. A new compiler may
# change or drop them: change the pin as docs/wasm-size.md, "Toolchain",
# says. They apply to wasm32 only: the server and the dev builds use the
# stable defaults.
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--cfg erase_components --cfg ruta_sync_hydration_only --cfg ruta_no_server_fns -Zunstable-options -Cpanic=immediate-abort -Zfmt-debug=none -Zlocation-detail=none"
WASM_RELEASE_CARGO_ARGS=(-Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size)
