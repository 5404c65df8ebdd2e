//! Ruta's pages. Pages → components → client services; everything that
//! touches the browser (storage, HTTP) sits behind the `hydrate` feature,
//! so the server renders the same components without it.
// The cargue pages' typed views nest deeper than the default 128.
#![recursion_limit = "256"]
// First, so `key!` is in scope in every module after it.
#[macro_use]
pub mod i18n;
pub mod components;
pub mod pages;
pub mod services;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// Two browser bundles: the seller's (phones, offline, kept small) and
/// the office's (dispatcher and admin pages, on desktops). The server
/// renders every page and names the bundle that hydrates it; each bundle
/// routes the other's pages to [`pages::elsewhere`], a full page load.
pub mod bundle {
    pub const SELLER: &str = "ruta";
    pub const OFFICE: &str = "ruta-office";
    /// The office bundle's folder in the site (cargo-leptos owns `pkg/`
    /// and clears what it did not make there).
    pub const OFFICE_DIR: &str = "office";

    /// Which bundle hydrates the page at `path`.
    pub fn for_path(path: &str) -> &'static str {
        let office = path == "/cargue"
            || path.starts_with("/cargue/")
            || path == "/admin"
            || path.starts_with("/admin/")
            // The seller's end of day: too big for the phone bundle's
            // budget, so phones load the office bundle for it (docs/wasm-size.md).
            || path == "/mi-dia"
            || path == "/recibo";
        if office {
            OFFICE
        } else {
            SELLER
        }
    }

    #[cfg(all(feature = "hydrate", not(feature = "office")))]
    pub use crate::pages::elsewhere::{
        Elsewhere as Catalog, Elsewhere as Conflicts, Elsewhere as Errors, Elsewhere as Log,
        Elsewhere as Overview, Elsewhere as Settings, Elsewhere as Users, Elsewhere as Webhooks,
        Elsewhere as Cargue, Elsewhere as Report, Elsewhere as OfficeSales, Elsewhere as MyDay,
        Elsewhere as Receipt,
    };
    #[cfg(not(all(feature = "hydrate", not(feature = "office"))))]
    pub use crate::pages::{
        admin::{
            catalog::Catalog, conflicts::Conflicts, errors::Errors, log::Log, overview::Overview,
            report::Report, sales::OfficeSales, settings::Settings, users::Users,
            webhooks::Webhooks,
        },
        cargue::Cargue,
        day::{my_day::MyDay, receipt::Receipt},
    };

    #[cfg(feature = "office")]
    pub use crate::pages::elsewhere::{
        Elsewhere as Conflict, Elsewhere as MyCargue, Elsewhere as SaleEdit, Elsewhere as Sales,
    };
    #[cfg(not(feature = "office"))]
    pub use crate::pages::{
        conflict::Conflict, my_cargue::MyCargue, sale_edit::SaleEdit, sales::Sales,
    };

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn office_pages_get_the_office_bundle() {
            assert_eq!(for_path("/admin"), OFFICE);
            assert_eq!(for_path("/admin/registro"), OFFICE);
            assert_eq!(for_path("/admin/reporte"), OFFICE);
            assert_eq!(for_path("/admin/ventas"), OFFICE);
            assert_eq!(for_path("/cargue"), OFFICE);
            assert_eq!(for_path("/mi-dia"), OFFICE);
            assert_eq!(for_path("/recibo"), OFFICE);
            assert_eq!(for_path("/mi-diario"), SELLER);
            assert_eq!(for_path("/"), SELLER);
            assert_eq!(for_path("/ventas/nueva"), SELLER);
            assert_eq!(for_path("/mi-cargue"), SELLER);
            assert_eq!(for_path("/administrar"), SELLER);
        }
    }
}

/// The request's bundle, on the server (the browser never renders the shell).
fn with_bundle(options: LeptosOptions) -> LeptosOptions {
    #[cfg(feature = "ssr")]
    {
        let path = use_context::<http::request::Parts>()
            .map(|p| p.uri.path().to_owned())
            .unwrap_or_default();
        let mut options = options;
        if bundle::for_path(&path) == bundle::OFFICE {
            options.output_name = bundle::OFFICE.into();
            options.site_pkg_dir = bundle::OFFICE_DIR.into();
        }
        options
    }
    #[cfg(not(feature = "ssr"))]
    options
}

/// The HTML document the server renders around the app.
/// Server settings every page carries, written into it as `<meta>` tags
/// for the browser half: the business's time zone (`RUTA_TIMEZONE`,
/// `ruta-timezone`, read by [`i18n::when`]) and the age at which the phone
/// warns of unsynced sales (`RUTA_UNSYNCED_WARN_AFTER`,
/// `ruta-unsynced-warn-after`, seconds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSettings {
    pub timezone: String,
    pub unsynced_warn_after_s: u64,
}

impl Default for PageSettings {
    fn default() -> Self {
        Self {
            timezone: "UTC".into(),
            unsynced_warn_after_s: 4 * 3600,
        }
    }
}

/// The content of the page's `<meta name=…>`, in the browser.
#[cfg(feature = "hydrate")]
pub fn page_meta(name: &str) -> Option<String> {
    leptos::prelude::document()
        .query_selector(&format!("meta[name={name}]"))
        .ok()??
        .get_attribute("content")
}

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let options = with_bundle(options);
    let settings = use_context::<PageSettings>().unwrap_or_default();
    let lang = use_context::<i18n::Lang>().unwrap_or(i18n::Lang::Es);
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                // The same head on every page, written here on the server
                // rather than with leptos_meta: its browser half would grow
                // the phone's WASM for tags that never change (docs/wasm-size.md).
                <title>"Ruta"</title>
                <meta name="theme-color" content="#0f766e"/>
                <meta name="ruta-timezone" content=settings.timezone/>
                <meta name="ruta-unsynced-warn-after" content=settings.unsynced_warn_after_s.to_string()/>
                <link rel="icon" type="image/svg+xml" href="/favicon.svg"/>
                // id="leptos": cargo-leptos's CSS hot reload finds it by id.
                <link id="leptos" rel="stylesheet" href="/pkg/ruta.css"/>
                <link rel="manifest" href="/manifest.webmanifest"/>
                <link rel="apple-touch-icon" href="/icons/icon-192.png"/>
                // Registers the service worker before the WASM loads, so
                // the shell is cached on the first visit.
                <script src="/pwa.js"></script>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    i18n::provide_lang();
    services::sync::provide_sync();
    view! {
        <components::update_banner::UpdateBanner/>
        <Router>
            <Routes fallback=pages::not_found::NotFound>
                <Route path=path!("/") view=pages::home::Home/>
                <Route path=path!("/login") view=pages::login::Login/>
                <Route path=path!("/cargue") view=bundle::Cargue/>
                <Route path=path!("/mi-cargue") view=bundle::MyCargue/>
                <Route path=path!("/ventas") view=bundle::Sales/>
                <Route path=path!("/ventas/nueva") view=bundle::SaleEdit/>
                <Route path=path!("/ventas/conflicto") view=bundle::Conflict/>
                <Route path=path!("/mi-dia") view=bundle::MyDay/>
                <Route path=path!("/recibo") view=bundle::Receipt/>
                <Route path=path!("/admin") view=bundle::Overview/>
                <Route path=path!("/admin/ventas") view=bundle::OfficeSales/>
                <Route path=path!("/admin/reporte") view=bundle::Report/>
                <Route path=path!("/admin/conflictos") view=bundle::Conflicts/>
                <Route path=path!("/admin/errores") view=bundle::Errors/>
                <Route path=path!("/admin/registro") view=bundle::Log/>
                <Route path=path!("/admin/configuracion") view=bundle::Settings/>
                <Route path=path!("/admin/usuarios") view=bundle::Users/>
                <Route path=path!("/admin/catalogo") view=bundle::Catalog/>
                <Route path=path!("/admin/webhooks") view=bundle::Webhooks/>
            </Routes>
        </Router>
    }
}

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
