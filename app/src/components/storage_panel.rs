use crate::i18n::{t, use_lang, Lang};
use crate::services::outbox;
use crate::services::pwa::{self, StorageInfo};
use crate::services::sync::use_sync;
use leptos::prelude::*;

fn megabytes(bytes: f64) -> String {
    let mb = bytes / 1_048_576.0;
    if mb >= 1024.0 {
        format!("{:.1} GB", mb / 1024.0)
    } else {
        format!("{mb:.1} MB")
    }
}

/// Storage safety: persistent storage asked for, usage shown, and the
/// unsynced sales exportable as a file so nothing depends on the browser
/// not evicting the site's data.
#[component]
pub fn StoragePanel() -> impl IntoView {
    let sync = use_sync();
    let lang = use_lang();
    let info = RwSignal::new(None::<StorageInfo>);
    let unsynced = sync.unsynced();
    Effect::new(move |_| {
        leptos::task::spawn_local(async move { info.set(pwa::storage_info().await) });
    });
    let export = move |_| {
        let text = sync.records.with_untracked(|r| outbox::export(r));
        pwa::download("ventas-sin-sincronizar.json", &text);
    };
    let usage = move || {
        info.get().map(|i| {
            let (of, persisted) = match lang.get() {
                Lang::Es => (
                    "de",
                    if i.persisted {
                        "almacenamiento persistente"
                    } else {
                        "el navegador podría borrar los datos"
                    },
                ),
                Lang::En => (
                    "of",
                    if i.persisted {
                        "persistent storage"
                    } else {
                        "the browser may clear the data"
                    },
                ),
            };
            format!(
                "{} {of} {} · {persisted}",
                megabytes(i.usage_bytes),
                megabytes(i.quota_bytes)
            )
        })
    };
    let catalog = move || {
        let (customers, products) = sync.catalog.with(|c| (c.customers.len(), c.products.len()));
        match lang.get() {
            Lang::Es => {
                format!("Catálogo en el teléfono: {customers} clientes, {products} productos")
            }
            Lang::En => {
                format!("Catalog on this phone: {customers} customers, {products} products")
            }
        }
    };
    view! {
        <section class="card storage" data-testid="storage-panel">
            <h2>{t("storage.title")}</h2>
            <p class="muted small" data-testid="catalog-count"
                data-products=move || sync.catalog.with(|c| c.products.len())>{catalog}</p>
            <p class="muted small" data-testid="storage-usage">{usage}</p>
            <button type="button" class="secondary" data-testid="export"
                disabled=move || unsynced.get() == 0 on:click=export>
                {t("storage.export")}
            </button>
        </section>
    }
}
