//! `/admin/*`: the admins' dashboard. Every page sits in [`AdminPage`]:
//! the role check (anonymous → /login, other roles → a 403 page), the
//! side navigation, and the admin's token in context for the page body.
pub mod catalog;
pub mod conflicts;
pub mod errors;
pub mod log;
pub mod overview;
pub mod report;
pub mod sales;
pub mod settings;
pub mod users;
pub mod webhooks;

use crate::components::lang_switch::LangSwitch;
use crate::i18n::{describe, t, use_lang, Key, Lang};
use crate::pages::access::{use_access, Access, Forbidden};
use crate::services::api::ApiError;
use crate::services::cargue::Seller;
use crate::services::live::{self, Status, Subscription};
use leptos::prelude::*;
use ruta_shared::auth::Role;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Overview,
    Sales,
    Report,
    Conflicts,
    Errors,
    Log,
    Settings,
    Users,
    Catalog,
    Webhooks,
}

impl Section {
    const ALL: [Section; 10] = [
        Section::Overview,
        Section::Sales,
        Section::Report,
        Section::Conflicts,
        Section::Errors,
        Section::Log,
        Section::Settings,
        Section::Users,
        Section::Catalog,
        Section::Webhooks,
    ];

    pub fn path(self) -> &'static str {
        match self {
            Section::Overview => "/admin",
            Section::Sales => "/admin/ventas",
            Section::Report => "/admin/reporte",
            Section::Conflicts => "/admin/conflictos",
            Section::Errors => "/admin/errores",
            Section::Log => "/admin/registro",
            Section::Settings => "/admin/configuracion",
            Section::Users => "/admin/usuarios",
            Section::Catalog => "/admin/catalogo",
            Section::Webhooks => "/admin/webhooks",
        }
    }

    fn title_key(self) -> Key {
        match self {
            Section::Overview => key!("admin.overview"),
            Section::Sales => key!("admin.sales"),
            Section::Report => key!("admin.report"),
            Section::Conflicts => key!("admin.conflicts"),
            Section::Errors => key!("admin.errors"),
            Section::Log => key!("admin.log"),
            Section::Settings => key!("admin.settings"),
            Section::Users => key!("admin.users"),
            Section::Catalog => key!("admin.catalog"),
            Section::Webhooks => key!("admin.webhooks"),
        }
    }
}

/// What a page body needs: the admin's token, the language (captured,
/// since async tasks run outside the component tree) and a notice line.
#[derive(Clone, Copy)]
pub struct Admin {
    token: StoredValue<String>,
    pub lang: RwSignal<Lang>,
    pub notice: RwSignal<Option<String>>,
}

impl Admin {
    pub fn token(self) -> String {
        self.token.get_value()
    }

    pub fn fail(self, error: &ApiError) {
        self.notice
            .set(Some(describe(self.lang.get_untracked(), error)));
    }

    pub fn say(self, message: impl Into<String>) {
        self.notice.set(Some(message.into()));
    }
}

pub fn use_admin() -> Admin {
    use_context::<Admin>().unwrap_or_else(|| Admin {
        token: StoredValue::new(String::new()),
        lang: use_lang(),
        notice: RwSignal::new(None),
    })
}

/// A seller filter's options: `code · username`, valued by the code.
pub fn seller_options(sellers: Vec<Seller>) -> impl IntoView {
    sellers
        .into_iter()
        .map(|s| {
            let code = s.seller_code.to_string();
            view! { <option value=code.clone()>{format!("{code} · {}", s.username)}</option> }
        })
        .collect_view()
}

/// Runs an async call from an event handler or effect.
pub fn run(task: impl std::future::Future<Output = ()> + 'static) {
    leptos::task::spawn_local(task);
}

/// Subscribes to admin channels (`/ws/sync/...`) from now on and calls
/// `on_event` for each event; the streams end with the page.
pub fn watch(
    admin: Admin,
    channels: &'static [&'static str],
    status: RwSignal<Status>,
    on_event: impl Fn(Value) + Clone + 'static,
) {
    let subscriptions: Vec<Subscription> = channels
        .iter()
        .map(|path| {
            live::subscribe_from_now(
                (*path).to_owned(),
                admin.token(),
                on_event.clone(),
                move |s| status.set(s),
            )
        })
        .collect();
    let subscriptions = StoredValue::new_local(subscriptions);
    on_cleanup(move || subscriptions.with_value(|s| s.iter().for_each(Subscription::stop)));
}

#[component]
pub fn AdminPage(section: Section, children: ChildrenFn) -> impl IntoView {
    let access = use_access(&[Role::Admin]);
    let admin = Admin {
        token: StoredValue::new(String::new()),
        lang: use_lang(),
        notice: RwSignal::new(None),
    };
    provide_context(admin);
    let nav = move || {
        Section::ALL
            .iter()
            .map(|s| {
                let current = (*s == section).then_some("page");
                let testid = format!("nav-{}", s.path().trim_start_matches('/').replace('/', "-"));
                view! { <a href=s.path() aria-current=current data-testid=testid>{t(s.title_key())}</a> }
            })
            .collect_view()
    };
    let user = move || match access.get() {
        Access::Allowed(s) => s.user.username,
        _ => String::new(),
    };
    let layout = move || {
        let children = children.clone();
        view! {
            <div class="admin-layout">
                <nav class="admin-nav" aria-label="Admin">
                    <a class="admin-brand" href="/" rel="external"><span class="logo small">"R"</span>"Ruta"</a>
                    {nav()}
                </nav>
                <main class="admin-main">
                    <header class="admin-head">
                        <h1>{t(section.title_key())}</h1>
                        <span class="muted admin-user">{user}</span>
                        <LangSwitch/>
                    </header>
                    {move || admin.notice.get().map(|n| view! {
                        <p class="error" role="alert" data-testid="notice">{n}
                            <button type="button" class="link" aria-label="×" on:click=move |_| admin.notice.set(None)>"×"</button>
                        </p>
                    })}
                    {move || match access.get() {
                        Access::Allowed(session) => {
                            admin.token.set_value(session.token);
                            children().into_any()
                        }
                        _ => view! { <p class="muted">{t(key!("cargue.loading"))}</p> }.into_any(),
                    }}
                </main>
            </div>
        }
    };
    view! {
        <Show when=move || access.get() != Access::Forbidden
            fallback=|| view! { <main class="page narrow"><Forbidden/></main> }>
            {layout.clone()}
        </Show>
    }
}

type Load = std::rc::Rc<dyn Fn() -> std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>>;

/// Loads a page's data now and again on request (a live event, a filter,
/// an action); requests that arrive while a load runs fold into one more
/// load after it, so a burst of events costs two fetches, not hundreds.
#[derive(Clone, Copy)]
pub struct Reloader {
    running: StoredValue<bool>,
    again: StoredValue<bool>,
    load: StoredValue<Load, LocalStorage>,
}

impl Reloader {
    pub fn new<F, Fut>(load: F) -> Self
    where
        F: Fn() -> Fut + 'static,
        Fut: std::future::Future<Output = ()> + 'static,
    {
        let load: Load = std::rc::Rc::new(move || Box::pin(load()));
        Self {
            running: StoredValue::new(false),
            again: StoredValue::new(false),
            load: StoredValue::new_local(load),
        }
    }

    pub fn reload(self) {
        if self.running.get_value() {
            self.again.set_value(true);
            return;
        }
        self.running.set_value(true);
        let Some(load) = self.load.try_get_value() else {
            return;
        };
        run(async move {
            loop {
                load().await;
                if !self.again.try_get_value().unwrap_or(false) {
                    break;
                }
                self.again.set_value(false);
            }
            self.running.try_set_value(false);
        });
    }

    /// Loads once the page is in the browser.
    pub fn on_mount(self) -> Self {
        Effect::new(move |_| self.reload());
        self
    }
}
