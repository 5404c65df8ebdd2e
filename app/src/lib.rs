//! Ruta's pages. Pages → components → client services; everything that
//! touches the browser (storage, HTTP) sits behind the `hydrate` feature,
//! so the server renders the same components without it.
// The cargue pages' typed views nest deeper than the default 128.
#![recursion_limit = "256"]
pub mod components;
pub mod i18n;
pub mod pages;
pub mod services;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="es">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
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
    provide_meta_context();
    i18n::provide_lang();
    services::sync::provide_sync();
    view! {
        <Stylesheet id="leptos" href="/pkg/ruta.css"/>
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Meta name="theme-color" content="#0f766e"/>
        <Title text="Ruta"/>
        <components::update_banner::UpdateBanner/>
        <Router>
            <Routes fallback=pages::not_found::NotFound>
                <Route path=path!("/") view=pages::home::Home/>
                <Route path=path!("/login") view=pages::login::Login/>
                <Route path=path!("/cargue") view=pages::cargue::Cargue/>
                <Route path=path!("/mi-cargue") view=pages::my_cargue::MyCargue/>
                <Route path=path!("/ventas") view=pages::sales::Sales/>
                <Route path=path!("/ventas/nueva") view=pages::sale_edit::SaleEdit/>
                <Route path=path!("/ventas/conflicto") view=pages::conflict::Conflict/>
                <Route path=path!("/admin") view=pages::admin::overview::Overview/>
                <Route path=path!("/admin/conflictos") view=pages::admin::conflicts::Conflicts/>
                <Route path=path!("/admin/errores") view=pages::admin::errors::Errors/>
                <Route path=path!("/admin/registro") view=pages::admin::log::Log/>
                <Route path=path!("/admin/configuracion") view=pages::admin::settings::Settings/>
                <Route path=path!("/admin/usuarios") view=pages::admin::users::Users/>
                <Route path=path!("/admin/catalogo") view=pages::admin::catalog::Catalog/>
                <Route path=path!("/admin/webhooks") view=pages::admin::webhooks::Webhooks/>
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
