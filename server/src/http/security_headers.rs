//! Security headers on every answer (pages, API, errors, assets), and the
//! HTTPS rules: a request is *secure* when this server terminates TLS or a
//! trusted proxy (`RUTA_TRUSTED_PROXIES`) says `X-Forwarded-Proto: https`.
//! Secure answers get `Strict-Transport-Security` and `Secure` cookies;
//! plain-HTTP requests are redirected (308, which keeps the method and
//! body, so a POST is never silently turned into a GET) when
//! `RUTA_PUBLIC_URL` is `https://…` or a trusted proxy says `http`.
//!
//! The Content-Security-Policy allows scripts from this origin plus the
//! page's one-time nonce: Leptos writes it on its inline hydration script
//! (the nonce is handed to Leptos in [`provide_page_nonce`]).
use crate::state::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, request::Parts, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use rand::RngCore;
use std::net::SocketAddr;

pub const HSTS: &str = "max-age=31536000";

/// This request's CSP nonce, for the page renderer.
#[derive(Clone, Debug)]
pub struct CspNonce(pub String);

fn new_nonce() -> String {
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Leptos context: renders the hydration script with this request's nonce
/// (Leptos would otherwise pick its own, unknown to the header).
pub fn provide_page_nonce() {
    let nonce = leptos::prelude::use_context::<Parts>()
        .and_then(|p| p.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(n)) = nonce {
        leptos::prelude::provide_context(leptos::nonce::Nonce::from_value(n));
    }
}

/// What the caller's connection is, as far as this server can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Transport {
    Https,
    /// Plain HTTP said by a trusted proxy.
    ProxiedHttp,
    /// Plain HTTP straight to this server.
    Http,
}

fn forwarded<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

fn from_trusted_proxy(req: &Request, st: &AppState) -> bool {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .is_some_and(|peer| st.config.trusted_proxies.iter().any(|n| n.contains(&peer)))
}

fn transport(req: &Request, st: &AppState) -> Transport {
    if st.config.runtime.tls.is_some() {
        return Transport::Https;
    }
    if from_trusted_proxy(req, st) {
        match forwarded(req.headers(), "x-forwarded-proto").map(str::to_ascii_lowercase) {
            Some(p) if p == "https" => return Transport::Https,
            Some(p) if p == "http" => return Transport::ProxiedHttp,
            _ => {}
        }
    }
    Transport::Http
}

/// A host name as a header may carry it (no path, spaces or quotes), so it
/// can be put in a URL or the policy unescaped.
fn clean_host(host: &str) -> Option<&str> {
    let ok = !host.is_empty()
        && host.len() <= 255
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    ok.then_some(host)
}

fn request_host(req: &Request, trusted: bool) -> Option<&str> {
    let proxied = trusted
        .then(|| forwarded(req.headers(), "x-forwarded-host"))
        .flatten();
    proxied
        .or_else(|| req.headers().get(header::HOST)?.to_str().ok())
        .and_then(clean_host)
}

/// Where a plain-HTTP request is sent, or `None` when it is served as is.
fn https_target(req: &Request, st: &AppState, transport: Transport) -> Option<String> {
    if transport == Transport::Https || req.uri().path() == "/health" {
        return None;
    }
    let path = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    if let Some(base) = st.config.runtime.https_public_url() {
        return Some(format!("{base}{path}"));
    }
    if transport == Transport::ProxiedHttp {
        let host = request_host(req, true)?;
        return Some(format!("https://{host}{path}"));
    }
    None
}

fn policy(nonce: &str, host: Option<&str>) -> String {
    // 'self' covers same-origin WebSockets in current browsers; the host
    // is named for older ones. WASM is compiled from the same origin.
    let sockets = host
        .map(|h| format!(" ws://{h} wss://{h}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; \
         connect-src 'self'{sockets}; font-src 'self'; manifest-src 'self'; \
         worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors 'none'"
    )
}

fn secure_cookies(headers: &mut HeaderMap) {
    let cookies: Vec<HeaderValue> = headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| match v.to_str() {
            Ok(text) if !text.to_ascii_lowercase().contains("; secure") => {
                HeaderValue::from_str(&format!("{text}; Secure")).unwrap_or_else(|_| v.clone())
            }
            _ => v.clone(),
        })
        .collect();
    if cookies.is_empty() {
        return;
    }
    headers.remove(header::SET_COOKIE);
    for c in cookies {
        headers.append(header::SET_COOKIE, c);
    }
}

pub async fn apply(State(st): State<AppState>, mut req: Request, next: Next) -> Response {
    let transport = transport(&req, &st);
    let host = request_host(&req, from_trusted_proxy(&req, &st)).map(str::to_owned);
    let nonce = new_nonce();
    let mut res = match https_target(&req, &st, transport) {
        Some(target) => match HeaderValue::from_str(&target) {
            Ok(location) => (
                StatusCode::PERMANENT_REDIRECT,
                [(header::LOCATION, location)],
            )
                .into_response(),
            Err(_) => StatusCode::BAD_REQUEST.into_response(),
        },
        None => {
            req.extensions_mut().insert(CspNonce(nonce.clone()));
            next.run(req).await
        }
    };
    let headers = res.headers_mut();
    if let Ok(csp) = HeaderValue::from_str(&policy(&nonce, host.as_deref())) {
        headers.insert(header::CONTENT_SECURITY_POLICY, csp);
    }
    let fixed = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "strict-origin-when-cross-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if transport == Transport::Https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
        secure_cookies(headers);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_with_odd_characters_are_not_trusted() {
        assert_eq!(clean_host("ruta.example:8443"), Some("ruta.example:8443"));
        assert_eq!(clean_host("[::1]:3000"), Some("[::1]:3000"));
        assert_eq!(clean_host("evil.example/path"), None);
        assert_eq!(clean_host("a b"), None);
    }

    #[test]
    fn cookies_get_secure_once() {
        let mut h = HeaderMap::new();
        h.append(
            header::SET_COOKIE,
            HeaderValue::from_static("a=1; HttpOnly"),
        );
        h.append(header::SET_COOKIE, HeaderValue::from_static("b=2; Secure"));
        secure_cookies(&mut h);
        let all: Vec<_> = h.get_all(header::SET_COOKIE).iter().collect();
        assert_eq!(all, ["a=1; HttpOnly; Secure", "b=2; Secure"]);
    }

    #[test]
    fn the_policy_forbids_framing_and_names_the_nonce() {
        let p = policy("abc", Some("ruta.example"));
        assert!(p.contains("'nonce-abc'"));
        assert!(p.contains("frame-ancestors 'none'"));
        assert!(p.contains("wss://ruta.example"));
    }
}
