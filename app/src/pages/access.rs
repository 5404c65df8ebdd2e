//! Pages for one role: without a session, to /login; with the wrong role,
//! a clear message instead of a broken page.
use crate::i18n::t;
use crate::services::session;
use leptos::prelude::*;
use ruta_shared::auth::{Role, TokenResponse};

#[derive(Debug, Clone, PartialEq)]
pub enum Access {
    /// Not known yet (server render, before the browser reads the session).
    Checking,
    Allowed(TokenResponse),
    Forbidden,
}

pub fn use_access(allowed: &'static [Role]) -> RwSignal<Access> {
    let access = RwSignal::new(Access::Checking);
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| match session::load() {
        Some(s) if allowed.contains(&s.user.role) => access.set(Access::Allowed(s)),
        Some(_) => access.set(Access::Forbidden),
        None => navigate("/login", Default::default()),
    });
    access
}

#[component]
pub fn Forbidden() -> impl IntoView {
    view! {
        <section class="card" data-testid="forbidden">
            <h1>{t(key!("access.forbidden"))}</h1>
            <p class="muted">{t(key!("access.forbidden_hint"))}</p>
            <a href="/">{t(key!("notfound.back"))}</a>
        </section>
    }
}
