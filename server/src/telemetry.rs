//! Logs: readable text on stderr, or with `log_format = "json"`
//! (`RUTA_LOG_FORMAT=json`) one JSON object per line on stdout (for log
//! collectors); and JSON lines in
//! `RUTA_LOG_DIR` (`ruta.log`, rotated by size: 5 MB × 3 files).
use file_rotate::compression::Compression;
use file_rotate::suffix::AppendCount;
use file_rotate::{ContentLimit, FileRotate};
use std::path::Path;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

pub const LOG_FILE_BYTES: usize = 5 * 1024 * 1024;
pub const LOG_FILES_KEPT: usize = 3;

/// How the console log is written (`RUTA_LOG_FORMAT`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Readable lines on stderr (the default).
    Text,
    /// One JSON object per line on stdout: `timestamp`, `level`, `target`,
    /// `fields` (with `message`) and the current `span`.
    Json,
}

impl LogFormat {
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "" | "text" => Some(Self::Text),
            "json" => Some(Self::Json),
            _ => None,
        }
    }
}

/// Keep the guard alive for as long as logs should be flushed.
pub fn init(log_dir: Option<&Path>, format: LogFormat) -> Option<WorkerGuard> {
    let filter =
        || EnvFilter::try_from_env("RUTA_LOG").unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let stderr = (format == LogFormat::Text).then(|| {
        fmt::layer()
            .with_writer(std::io::stderr)
            .with_filter(filter())
    });
    let stdout = (format == LogFormat::Json).then(|| {
        fmt::layer()
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .with_writer(std::io::stdout)
            .with_filter(filter())
    });
    let (file_layer, guard) = match log_dir {
        Some(dir) => {
            let rotating = FileRotate::new(
                dir.join("ruta.log"),
                AppendCount::new(LOG_FILES_KEPT - 1),
                ContentLimit::BytesSurpassed(LOG_FILE_BYTES),
                Compression::None,
                #[cfg(unix)]
                None,
            );
            let (writer, guard) = tracing_appender::non_blocking(rotating);
            let layer = fmt::layer()
                .json()
                .with_current_span(true)
                .with_span_list(false)
                .with_writer(writer)
                .with_filter(filter());
            (Some(layer), Some(guard))
        }
        None => (None, None),
    };
    // A second init (tests) is harmless: the first subscriber stays.
    let _ = tracing_subscriber::registry()
        .with(stderr)
        .with(stdout)
        .with(file_layer)
        .try_init();
    guard
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_formats() {
        assert_eq!(LogFormat::parse(""), Some(LogFormat::Text));
        assert_eq!(LogFormat::parse("JSON"), Some(LogFormat::Json));
        assert_eq!(LogFormat::parse("xml"), None);
    }
}
