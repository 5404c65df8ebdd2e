//! A request budget such as `50/hour` (`RUTA_SYNC_RATE`, `PUT /sync/rate/`).
use std::time::Duration;

/// A request budget such as `50/hour`; `off` disables throttling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimit {
    Off,
    Every { requests: u32, window: Duration },
}

impl RateLimit {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim().to_ascii_lowercase();
        if text == "off" || text == "none" {
            return Ok(Self::Off);
        }
        let (n, unit) = text
            .split_once('/')
            .ok_or_else(|| "expected N/second|minute|hour|day or off".to_owned())?;
        let requests: u32 = n
            .trim()
            .parse()
            .map_err(|_| format!("bad request count {n:?}"))?;
        if requests == 0 {
            return Err("request count must be positive".into());
        }
        let secs = match unit.trim() {
            "s" | "sec" | "second" => 1,
            "m" | "min" | "minute" => 60,
            "h" | "hour" => 3_600,
            "d" | "day" => 86_400,
            other => return Err(format!("unknown period {other:?}")),
        };
        Ok(Self::Every {
            requests,
            window: Duration::from_secs(secs),
        })
    }
}

/// The form `parse` reads: `off`, `50/hour`, `1000/minute`…
impl std::fmt::Display for RateLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Off => f.write_str("off"),
            Self::Every { requests, window } => {
                let unit = match window.as_secs() {
                    1 => "second",
                    60 => "minute",
                    3_600 => "hour",
                    86_400 => "day",
                    secs => return write!(f, "{requests}/{secs}s"),
                };
                write!(f, "{requests}/{unit}")
            }
        }
    }
}
