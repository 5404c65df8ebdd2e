use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("could not start {program}: {source}")]
    Spawn {
        program: String,
        source: std::io::Error,
    },
    #[error("{what} failed ({status})")]
    Failed {
        what: String,
        status: std::process::ExitStatus,
    },
    #[error("wasm-bindgen: {0}")]
    Bindgen(String),
    #[error("{path}: CSS: {message}")]
    Css { path: PathBuf, message: String },
    #[error("scripts/wasm-release-env.sh printed no flags")]
    ReleaseEnv,
}

impl BuildError {
    /// For `map_err`: an IO error about `path`.
    pub fn io(path: impl AsRef<Path>) -> impl FnOnce(std::io::Error) -> BuildError {
        let path = path.as_ref().to_path_buf();
        move |source| BuildError::Io { path, source }
    }
}
