//! Configuration: defaults, then an optional `ruta.toml`, then `RUTA_*`
//! environment variables (each layer overrides the one before).
use chrono_tz::Tz;
use ipnet::IpNet;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("invalid {path}: {source}")]
    Toml {
        path: PathBuf,
        source: toml::de::Error,
    },
    #[error("invalid {key}: {reason}")]
    Invalid { key: &'static str, reason: String },
}

mod rate_limit;
mod webhook;
pub use rate_limit::RateLimit;
pub use webhook::WebhookConfig;

/// A database password never shows in logs or `Debug` output.
#[derive(Clone)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn new(url: impl Into<String>) -> Self {
        Self(url.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = match (self.0.find("://"), self.0.rfind('@')) {
            (Some(scheme), Some(at)) if at > scheme => {
                format!("{}://***{}", &self.0[..scheme], &self.0[at..])
            }
            _ => self.0.clone(),
        };
        f.write_str(&shown)
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: DatabaseUrl,
    pub addr: SocketAddr,
    pub sync_rate: RateLimit,
    pub log_dir: Option<PathBuf>,
    pub trusted_proxies: Vec<IpNet>,
    pub timezone: Tz,
    /// Runs the retry worker in this process (every instance may; claims
    /// are made in the database).
    pub retry_worker: bool,
    /// How long a retry attempt's claim holds (`RUTA_RETRY_LEASE`): a
    /// process killed mid-attempt leaves its sales to others after this.
    pub retry_lease: Duration,
    /// The seller PWA warns when a sale has waited longer than this to
    /// reach the server (`RUTA_UNSYNCED_WARN_AFTER`, default 4 h).
    pub unsynced_warn_after: Duration,
    /// How often device presence and queue depth are compared for the
    /// status stream (`services::presence`); not a user setting.
    pub presence_every: Duration,
    pub webhooks: WebhookConfig,
    /// HTTPS, proxies, and the graceful stop (see `crate::runtime_config`).
    pub runtime: crate::runtime_config::RuntimeConfig,
    /// How long a token is accepted after it was issued (`RUTA_TOKEN_TTL`).
    pub token_ttl: Duration,
    /// The console log's format (`RUTA_LOG_FORMAT`: `text` or `json`).
    pub log_format: crate::telemetry::LogFormat,
    /// A separate listener for `/metrics` without a token
    /// (`RUTA_METRICS_ADDR`); unset, `/metrics` is on `addr` for admins.
    pub metrics_addr: Option<SocketAddr>,
    /// Password checks (argon2) running at once (`RUTA_LOGIN_CONCURRENCY`).
    pub login_concurrency: usize,
}

/// Four argon2 checks at ~19 MiB each bound a login flood to ~76 MiB.
pub const DEFAULT_LOGIN_CONCURRENCY: usize = 4;

/// Far longer than one retry attempt (a few database round trips) lasts.
pub const DEFAULT_RETRY_LEASE: Duration = Duration::from_secs(60);

/// Thirty days: a seller's phone may stay offline for a long trip.
pub const DEFAULT_TOKEN_TTL: Duration = Duration::from_secs(30 * 86_400);

/// `30d`, `12h`, `90m`, `3600s` or a bare number of seconds; never zero.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim().to_ascii_lowercase();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text.as_str(), "s"),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("expected N followed by d, h, m or s, not {text:?}"))?;
    let unit_secs = match unit.trim() {
        "d" => 86_400,
        "h" => 3_600,
        "m" => 60,
        "s" => 1,
        other => return Err(format!("unknown unit {other:?} (d, h, m, s)")),
    };
    match n.checked_mul(unit_secs) {
        Some(0) => Err("must be positive".into()),
        Some(secs) => Ok(Duration::from_secs(secs)),
        None => Err("too long".into()),
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: DatabaseUrl::new("sqlite://data/ruta.db"),
            addr: SocketAddr::from(([127, 0, 0, 1], 3000)),
            sync_rate: RateLimit::Every {
                requests: 50,
                window: Duration::from_secs(3_600),
            },
            log_dir: None,
            trusted_proxies: Vec::new(),
            timezone: Tz::UTC,
            retry_worker: true,
            presence_every: Duration::from_secs(10),
            retry_lease: DEFAULT_RETRY_LEASE,
            unsynced_warn_after: Duration::from_secs(4 * 3600),
            webhooks: WebhookConfig::default(),
            runtime: crate::runtime_config::RuntimeConfig::default(),
            token_ttl: DEFAULT_TOKEN_TTL,
            log_format: crate::telemetry::LogFormat::Text,
            metrics_addr: None,
            login_concurrency: DEFAULT_LOGIN_CONCURRENCY,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    addr: Option<String>,
    sync_rate: Option<String>,
    log_dir: Option<PathBuf>,
    trusted_proxies: Option<Vec<String>>,
    timezone: Option<String>,
    retry_worker: Option<bool>,
    retry_lease: Option<String>,
    unsynced_warn_after: Option<String>,
    webhook_worker: Option<bool>,
    webhook_timeout: Option<String>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    http_redirect_addr: Option<String>,
    public_url: Option<String>,
    shutdown_grace: Option<String>,
    token_ttl: Option<String>,
    webhook_allow_private: Option<bool>,
    log_format: Option<String>,
    metrics_addr: Option<String>,
    login_concurrency: Option<usize>,
}

impl Config {
    /// Defaults → `ruta.toml` (or the file named by `RUTA_CONFIG`) → env.
    pub fn load() -> Result<Self, ConfigError> {
        let path = std::env::var_os("RUTA_CONFIG")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("ruta.toml"));
        let file = if path.exists() {
            read_file(&path)?
        } else {
            FileConfig::default()
        };
        let env = |key: &str| std::env::var(key).ok().filter(|v| !v.is_empty());
        let layered = FileConfig {
            database_url: env("RUTA_DATABASE_URL").or(file.database_url),
            addr: env("RUTA_ADDR").or(file.addr),
            sync_rate: env("RUTA_SYNC_RATE").or(file.sync_rate),
            log_dir: env("RUTA_LOG_DIR").map(PathBuf::from).or(file.log_dir),
            trusted_proxies: env("RUTA_TRUSTED_PROXIES")
                .map(|v| v.split(',').map(|s| s.trim().to_owned()).collect())
                .or(file.trusted_proxies),
            timezone: env("RUTA_TIMEZONE").or(file.timezone),
            retry_worker: env("RUTA_RETRY_WORKER")
                .map(|v| v != "0" && v != "false")
                .or(file.retry_worker),
            retry_lease: env("RUTA_RETRY_LEASE").or(file.retry_lease),
            unsynced_warn_after: env("RUTA_UNSYNCED_WARN_AFTER").or(file.unsynced_warn_after),
            webhook_worker: env("RUTA_WEBHOOK_WORKER")
                .map(|v| v != "0" && v != "false")
                .or(file.webhook_worker),
            webhook_timeout: env("RUTA_WEBHOOK_TIMEOUT").or(file.webhook_timeout),
            tls_cert: env("RUTA_TLS_CERT").map(PathBuf::from).or(file.tls_cert),
            tls_key: env("RUTA_TLS_KEY").map(PathBuf::from).or(file.tls_key),
            http_redirect_addr: env("RUTA_HTTP_REDIRECT_ADDR").or(file.http_redirect_addr),
            public_url: env("RUTA_PUBLIC_URL").or(file.public_url),
            shutdown_grace: env("RUTA_SHUTDOWN_GRACE").or(file.shutdown_grace),
            token_ttl: env("RUTA_TOKEN_TTL").or(file.token_ttl),
            webhook_allow_private: env("RUTA_WEBHOOK_ALLOW_PRIVATE")
                .map(|v| v == "1" || v.eq_ignore_ascii_case("true"))
                .or(file.webhook_allow_private),
            log_format: env("RUTA_LOG_FORMAT").or(file.log_format),
            metrics_addr: env("RUTA_METRICS_ADDR").or(file.metrics_addr),
            login_concurrency: match env("RUTA_LOGIN_CONCURRENCY") {
                Some(v) => Some(v.trim().parse().map_err(|_| ConfigError::Invalid {
                    key: "RUTA_LOGIN_CONCURRENCY",
                    reason: format!("expected a whole number, not {v:?}"),
                })?),
                None => file.login_concurrency,
            },
        };
        Self::default().apply(layered)
    }

    fn apply(mut self, f: FileConfig) -> Result<Self, ConfigError> {
        let invalid = |key, reason: String| ConfigError::Invalid { key, reason };
        if let Some(url) = f.database_url {
            self.database_url = DatabaseUrl::new(url);
        }
        if let Some(addr) = f.addr {
            self.addr = addr
                .parse()
                .map_err(|e| invalid("RUTA_ADDR", format!("{e}")))?;
        }
        if let Some(rate) = f.sync_rate {
            self.sync_rate = RateLimit::parse(&rate).map_err(|e| invalid("RUTA_SYNC_RATE", e))?;
        }
        if f.log_dir.is_some() {
            self.log_dir = f.log_dir;
        }
        if let Some(proxies) = f.trusted_proxies {
            self.trusted_proxies = proxies
                .iter()
                .filter(|p| !p.is_empty())
                .map(|p| parse_net(p))
                .collect::<Result<_, _>>()
                .map_err(|e| invalid("RUTA_TRUSTED_PROXIES", e))?;
        }
        if let Some(tz) = f.timezone {
            self.timezone = tz
                .parse()
                .map_err(|e| invalid("RUTA_TIMEZONE", format!("{e}")))?;
        }
        if let Some(w) = f.retry_worker {
            self.retry_worker = w;
        }
        if let Some(w) = f.webhook_worker {
            self.webhooks.worker = w;
        }
        if let Some(age) = f.unsynced_warn_after {
            self.unsynced_warn_after =
                parse_duration(&age).map_err(|e| invalid("RUTA_UNSYNCED_WARN_AFTER", e))?;
        }
        if let Some(lease) = f.retry_lease {
            self.retry_lease =
                parse_duration(&lease).map_err(|e| invalid("RUTA_RETRY_LEASE", e))?;
        }
        if let Some(timeout) = f.webhook_timeout {
            self.webhooks.timeout =
                parse_duration(&timeout).map_err(|e| invalid("RUTA_WEBHOOK_TIMEOUT", e))?;
        }
        self.runtime = crate::runtime_config::RuntimeConfig::from_layers(
            f.tls_cert,
            f.tls_key,
            f.http_redirect_addr,
            f.public_url,
            f.shutdown_grace,
        )
        .map_err(|(key, reason)| invalid(key, reason))?;
        if let Some(allow) = f.webhook_allow_private {
            self.webhooks.allow_private = allow;
        }
        if let Some(ttl) = f.token_ttl {
            self.token_ttl = parse_duration(&ttl).map_err(|e| invalid("RUTA_TOKEN_TTL", e))?;
        }
        if let Some(format) = f.log_format {
            self.log_format = crate::telemetry::LogFormat::parse(&format).ok_or_else(|| {
                invalid("RUTA_LOG_FORMAT", format!("text or json, not {format:?}"))
            })?;
        }
        if let Some(addr) = f.metrics_addr {
            self.metrics_addr = Some(
                addr.parse()
                    .map_err(|e| invalid("RUTA_METRICS_ADDR", format!("{e}")))?,
            );
        }
        if let Some(n) = f.login_concurrency {
            if n == 0 {
                return Err(invalid(
                    "RUTA_LOGIN_CONCURRENCY",
                    "must be at least 1".into(),
                ));
            }
            self.login_concurrency = n;
        }
        Ok(self)
    }
}

fn parse_net(text: &str) -> Result<IpNet, String> {
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<std::net::IpAddr>().map(IpNet::from))
        .map_err(|_| format!("bad address or network {text:?}"))
}

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })?;
    toml::from_str(&text).map_err(|source| ConfigError::Toml {
        path: path.to_owned(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates() {
        assert_eq!(RateLimit::parse("off").unwrap(), RateLimit::Off);
        assert_eq!(
            RateLimit::parse("1000/minute").unwrap(),
            RateLimit::Every {
                requests: 1000,
                window: Duration::from_secs(60)
            }
        );
        assert!(RateLimit::parse("0/hour").is_err());
        assert!(RateLimit::parse("fast").is_err());
    }

    #[test]
    fn layers_override_defaults() {
        let c = Config::default()
            .apply(FileConfig {
                addr: Some("0.0.0.0:8080".into()),
                trusted_proxies: Some(vec!["10.0.0.0/8".into(), "127.0.0.1".into()]),
                timezone: Some("America/Bogota".into()),
                unsynced_warn_after: Some("90m".into()),
                ..FileConfig::default()
            })
            .unwrap();
        assert_eq!(c.unsynced_warn_after, Duration::from_secs(5400));
        assert!(Config::default()
            .apply(FileConfig {
                unsynced_warn_after: Some("soon".into()),
                ..FileConfig::default()
            })
            .is_err());
        assert_eq!(c.addr.port(), 8080);
        assert_eq!(c.trusted_proxies.len(), 2);
        assert_eq!(c.timezone, chrono_tz::America::Bogota);
    }

    #[test]
    fn logs_metrics_and_login_settings() {
        let c = Config::default()
            .apply(FileConfig {
                log_format: Some("json".into()),
                metrics_addr: Some("127.0.0.1:9100".into()),
                login_concurrency: Some(2),
                ..FileConfig::default()
            })
            .unwrap();
        assert_eq!(c.log_format, crate::telemetry::LogFormat::Json);
        assert_eq!(c.metrics_addr.map(|a| a.port()), Some(9100));
        assert_eq!(c.login_concurrency, 2);
        let bad = |f: FileConfig| Config::default().apply(f).is_err();
        assert!(bad(FileConfig {
            log_format: Some("xml".into()),
            ..FileConfig::default()
        }));
        assert!(bad(FileConfig {
            metrics_addr: Some("9100".into()),
            ..FileConfig::default()
        }));
        assert!(bad(FileConfig {
            login_concurrency: Some(0),
            ..FileConfig::default()
        }));
    }

    #[test]
    fn token_lifetimes() {
        assert_eq!(parse_duration("30d").unwrap(), DEFAULT_TOKEN_TTL);
        assert_eq!(parse_duration("12h").unwrap(), Duration::from_secs(43_200));
        assert_eq!(parse_duration("90").unwrap(), Duration::from_secs(90));
        assert!(parse_duration("0d").is_err());
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("3w").is_err());
    }

    #[test]
    fn database_password_is_hidden() {
        let url = DatabaseUrl::new("postgres://ruta:s3cret@db:5432/ruta");
        assert!(!format!("{url:?}").contains("s3cret"));
    }
}
