//! The production settings of `ruta serve`: HTTPS (`RUTA_TLS_CERT`,
//! `RUTA_TLS_KEY`), the plain-HTTP redirect listener
//! (`RUTA_HTTP_REDIRECT_ADDR`), the public address (`RUTA_PUBLIC_URL`) and
//! the graceful stop's bound (`RUTA_SHUTDOWN_GRACE`). Kept apart from
//! `config.rs`, which only layers them.
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// How long a stop waits for in-flight requests when not configured.
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(20);

/// The certificate chain and private key files (PEM) of the HTTPS listener.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeConfig {
    /// Set: the main listener speaks HTTPS only.
    pub tls: Option<TlsFiles>,
    /// A plain-HTTP listener that sends every request to the HTTPS address.
    pub http_redirect_addr: Option<SocketAddr>,
    /// `https://…`: plain-HTTP page requests are redirected to HTTPS.
    pub public_url: Option<String>,
    pub shutdown_grace: Duration,
}

impl Default for RuntimeConfig {
    fn default() -> Self {
        Self {
            tls: None,
            http_redirect_addr: None,
            public_url: None,
            shutdown_grace: DEFAULT_SHUTDOWN_GRACE,
        }
    }
}

impl RuntimeConfig {
    /// Builds the settings from their layered values; an error names the
    /// variable and says what is wrong with it.
    pub fn from_layers(
        tls_cert: Option<PathBuf>,
        tls_key: Option<PathBuf>,
        http_redirect_addr: Option<String>,
        public_url: Option<String>,
        shutdown_grace: Option<String>,
    ) -> Result<Self, (&'static str, String)> {
        let tls = match (tls_cert, tls_key) {
            (Some(cert), Some(key)) => Some(TlsFiles { cert, key }),
            (None, None) => None,
            (Some(_), None) => return Err(("RUTA_TLS_KEY", "required with RUTA_TLS_CERT".into())),
            (None, Some(_)) => return Err(("RUTA_TLS_CERT", "required with RUTA_TLS_KEY".into())),
        };
        let http_redirect_addr = http_redirect_addr
            .map(|a| a.parse::<SocketAddr>())
            .transpose()
            .map_err(|e| ("RUTA_HTTP_REDIRECT_ADDR", e.to_string()))?;
        if http_redirect_addr.is_some() && tls.is_none() {
            return Err((
                "RUTA_HTTP_REDIRECT_ADDR",
                "needs RUTA_TLS_CERT and RUTA_TLS_KEY (it redirects to HTTPS)".into(),
            ));
        }
        let public_url = public_url
            .map(|u| u.trim().trim_end_matches('/').to_owned())
            .filter(|u| !u.is_empty());
        if let Some(url) = &public_url {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err((
                    "RUTA_PUBLIC_URL",
                    "must start with https:// or http://".into(),
                ));
            }
        }
        let shutdown_grace = match shutdown_grace {
            Some(text) => parse_duration(&text).map_err(|e| ("RUTA_SHUTDOWN_GRACE", e))?,
            None => DEFAULT_SHUTDOWN_GRACE,
        };
        Ok(Self {
            tls,
            http_redirect_addr,
            public_url,
            shutdown_grace,
        })
    }

    /// The public address is HTTPS: plain-HTTP requests are sent there.
    pub fn https_public_url(&self) -> Option<&str> {
        self.public_url
            .as_deref()
            .filter(|u| u.starts_with("https://"))
    }
}

/// `20`, `20s`, `1500ms` or `2m`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim().to_ascii_lowercase();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => text.split_at(i),
        None => (text.as_str(), "s"),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("expected seconds such as 20 or 20s, got {text:?}"))?;
    match unit.trim() {
        "s" | "sec" => Ok(Duration::from_secs(n)),
        "ms" => Ok(Duration::from_millis(n)),
        "m" | "min" => Ok(Duration::from_secs(n * 60)),
        other => Err(format!("unknown unit {other:?} (use s, ms or m)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grace_and_tls_pairs() {
        assert_eq!(parse_duration("20").unwrap(), Duration::from_secs(20));
        assert_eq!(
            parse_duration("1500ms").unwrap(),
            Duration::from_millis(1500)
        );
        assert!(parse_duration("soon").is_err());
        let half = RuntimeConfig::from_layers(Some("c.pem".into()), None, None, None, None);
        assert_eq!(half.unwrap_err().0, "RUTA_TLS_KEY");
        let redirect_alone =
            RuntimeConfig::from_layers(None, None, Some("127.0.0.1:80".into()), None, None);
        assert_eq!(redirect_alone.unwrap_err().0, "RUTA_HTTP_REDIRECT_ADDR");
        let c = RuntimeConfig::from_layers(
            None,
            None,
            None,
            Some("https://ruta.example/".into()),
            Some("5s".into()),
        )
        .unwrap();
        assert_eq!(c.https_public_url(), Some("https://ruta.example"));
        assert_eq!(c.shutdown_grace, Duration::from_secs(5));
    }
}
