//! Where webhook deliveries may go. A webhook URL is chosen by an admin,
//! but the server sends the request from inside the network it runs in:
//! without a policy an admin token (or a stolen one) could make it reach
//! the database, the cloud metadata service or anything on loopback.
//!
//! Refused by default: loopback, private (RFC 1918, fc00::/7), carrier-grade
//! NAT (100.64/10), link-local (169.254/16 with the cloud metadata address,
//! fe80::/10), unspecified, broadcast, multicast and documentation ranges,
//! IPv4-mapped IPv6 forms of these, and any scheme but http/https. The
//! check runs at registration and again at every delivery: the delivery's
//! own resolver checks every address a name resolves to and the client
//! connects only to those it checked, so a name re-pointed after
//! registration is still caught. `RUTA_WEBHOOK_ALLOW_PRIVATE=true` (set by
//! whoever runs the server, never through the API) lifts the address check.
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::Url;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

const REGISTRATION_LOOKUP: std::time::Duration = std::time::Duration::from_secs(3);

/// Why a destination is refused (the message is stored on the delivery
/// and shown to the admin).
#[derive(Debug, thiserror::Error)]
pub enum EgressError {
    #[error("url debe ser una URL absoluta http o https")]
    Scheme,
    #[error("destino no permitido: {0} es una dirección privada, local o reservada")]
    Private(IpAddr),
    #[error("no se pudo resolver {0}")]
    Unresolved(String),
}

fn v4_refused(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        // Carrier-grade NAT, and 240/4 (reserved).
        || (a == 100 && (64..128).contains(&b))
        || a >= 240
}

fn v6_refused(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return v4_refused(v4);
    }
    let first = ip.segments()[0];
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        // fc00::/7 unique local, fe80::/10 link-local, 2001:db8::/32 documentation.
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        || (first == 0x2001 && ip.segments()[1] == 0x0db8)
}

/// Whether the policy refuses this address.
pub fn refused(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4_refused(v4),
        IpAddr::V6(v6) => v6_refused(v6),
    }
}

fn check_addr(ip: IpAddr, allow_private: bool) -> Result<(), EgressError> {
    if !allow_private && refused(ip) {
        return Err(EgressError::Private(ip));
    }
    Ok(())
}

/// The URL's host when it is an address literal.
/// (The parser has already normalised `2130706433` or `0x7f.1` to dotted
/// form, and writes IPv6 in brackets.)
fn literal_ip(url: &Url) -> Option<IpAddr> {
    let host = url.host_str()?;
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    bare.parse().ok()
}

/// Scheme and address-literal checks, without DNS (delivery resolves
/// names through [`GuardedResolver`]).
pub fn check_url(url: &Url, allow_private: bool) -> Result<(), EgressError> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(EgressError::Scheme);
    }
    match literal_ip(url) {
        Some(ip) => check_addr(ip, allow_private),
        None => Ok(()),
    }
}

/// The registration check: [`check_url`], then every address the name
/// resolves to now. A name that does not resolve yet is accepted (the
/// delivery checks again, and fails closed).
pub async fn check_registration(url: &Url, allow_private: bool) -> Result<(), EgressError> {
    check_url(url, allow_private)?;
    if allow_private || literal_ip(url).is_some() {
        return Ok(());
    }
    let Some(host) = url.host_str() else {
        return Err(EgressError::Scheme);
    };
    let port = url.port_or_known_default().unwrap_or(80);
    // Bounded: an unreachable DNS server must not hold the admin's request.
    let lookup = tokio::time::timeout(REGISTRATION_LOOKUP, tokio::net::lookup_host((host, port)));
    if let Ok(Ok(addrs)) = lookup.await {
        for addr in addrs {
            check_addr(addr.ip(), false)?;
        }
    }
    Ok(())
}

/// The delivery client's resolver: resolves with the system's resolver and
/// refuses the whole name if any of its addresses is refused (an attacker's
/// name could return one public and one private address).
pub struct GuardedResolver {
    pub allow_private: bool,
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await
                .map_err(|_| EgressError::Unresolved(host.clone()))?
                .collect();
            if addrs.is_empty() {
                return Err(EgressError::Unresolved(host).into());
            }
            for addr in &addrs {
                check_addr(addr.ip(), allow_private)?;
            }
            let addrs: Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_ranges() {
        for ip in [
            "127.0.0.1",
            "10.0.0.1",
            "172.16.5.4",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
        ] {
            assert!(refused(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "172.32.0.1"] {
            assert!(!refused(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn literals_and_schemes() {
        let url = |s: &str| Url::parse(s).unwrap();
        assert!(check_url(&url("http://127.0.0.1:9/x"), false).is_err());
        assert!(check_url(&url("http://[::1]/"), false).is_err());
        assert!(check_url(&url("ftp://example.com/"), false).is_err());
        assert!(check_url(&url("ftp://example.com/"), true).is_err());
        assert!(check_url(&url("http://127.0.0.1:9/x"), true).is_ok());
        assert!(check_url(&url("https://example.com/hook"), false).is_ok());
        // Decimal and hex IPv4 forms are normalised by the URL parser.
        assert!(check_url(&url("http://2130706433/"), false).is_err());
        assert!(check_url(&url("http://0x7f.1/"), false).is_err());
    }
}
