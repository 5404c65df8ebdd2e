use crate::i18n::{t, use_lang, Lang};
use crate::services::outbox;
use crate::services::pwa::{self, StorageInfo};
use crate::services::sync::use_sync;
use leptos::prelude::*;

/// `12,3 MB` (`12.3 MB` in English), in integers: formatting an `f64`
/// would bring Rust's float printing into the phone's bundle for one label
/// (docs/wasm-size.md).
fn megabytes(lang: Lang, bytes: f64) -> String {
    const MB: f64 = 1_048_576.0;
    let (value, unit) = if bytes >= 1024.0 * MB {
        (bytes / (1024.0 * MB), "GB")
    } else {
        (bytes / MB, "MB")
    };
    let tenths = (value * 10.0).round().max(0.0) as u64;
    format!(
        "{}{}{} {unit}",
        tenths / 10,
        lang.decimal_mark(),
        tenths % 10
    )
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
            let lang = lang.get();
            let (of, persisted) = match lang {
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
                megabytes(lang, i.usage_bytes),
                megabytes(lang, i.quota_bytes)
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
            <h2>{t(key!("storage.title"))}</h2>
            <p class="muted small" data-testid="catalog-count"
                data-products=move || sync.catalog.with(|c| c.products.len())>{catalog}</p>
            <p class="muted small" data-testid="storage-usage">{usage}</p>
            <button type="button" class="secondary" data-testid="export"
                disabled=move || unsynced.get() == 0 on:click=export>
                {t(key!("storage.export"))}
            </button>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::megabytes;
    use crate::i18n::Lang;

    #[test]
    fn sizes_read_in_tenths_of_a_megabyte_or_gigabyte() {
        assert_eq!(megabytes(Lang::En, 0.0), "0.0 MB");
        assert_eq!(megabytes(Lang::En, 1_572_864.0), "1.5 MB");
        assert_eq!(megabytes(Lang::En, 52_428.8), "0.1 MB");
        assert_eq!(megabytes(Lang::En, 1_048_576.0 * 1023.0), "1023.0 MB");
        assert_eq!(megabytes(Lang::En, 1_048_576.0 * 1024.0 * 2.25), "2.3 GB");
    }

    #[test]
    fn spanish_sizes_use_a_decimal_comma() {
        assert_eq!(megabytes(Lang::Es, 1_572_864.0), "1,5 MB");
        assert_eq!(megabytes(Lang::Es, 1_048_576.0 * 1024.0 * 10.0), "10,0 GB");
    }
}
