//! The browser's PWA features: the waiting new version, persistent
//! storage and its usage, and saving a file. The page-side glue is
//! `public/pwa.js`; this calls its `window.ruta*` functions.
use leptos::prelude::*;

/// Calls `window[name]()` if the shell defined it.
pub fn call_shell(name: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Some(window) = web_sys::window() else {
            return;
        };
        if let Ok(f) = js_sys::Reflect::get(&window, &name.into()) {
            if let Some(f) = f.dyn_ref::<js_sys::Function>() {
                let _ = f.call0(&window);
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = name;
}

/// `true` once a new deployed version is installed and waiting.
pub fn use_update_ready() -> RwSignal<bool> {
    let ready = RwSignal::new(false);
    #[cfg(feature = "hydrate")]
    {
        // The worker may have reported before the WASM started.
        Effect::new(move |_| {
            let waiting = web_sys::window()
                .and_then(|w| js_sys::Reflect::get(&w, &"rutaWaiting".into()).ok())
                .is_some_and(|v| !v.is_undefined() && !v.is_null());
            if waiting {
                ready.set(true);
            }
        });
        let handle = window_event_listener_untyped("ruta:update", move |_| ready.set(true));
        on_cleanup(move || handle.remove());
    }
    ready
}

/// Runs `then` whenever the service worker changed the outbox.
pub fn on_outbox_changed(then: impl Fn() + 'static) {
    let handle = window_event_listener_untyped("ruta:outbox", move |_| then());
    std::mem::forget(handle);
}

/// What the browser says about this site's storage.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StorageInfo {
    pub persisted: bool,
    pub usage_bytes: f64,
    pub quota_bytes: f64,
}

/// Asks for persistent storage (the browser may say no; it is asked once
/// per page load) and reads the usage estimate.
pub async fn storage_info() -> Option<StorageInfo> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen_futures::JsFuture;
        let storage = web_sys::window()?.navigator().storage();
        let persisted = match storage.persist() {
            Ok(p) => JsFuture::from(p).await.ok()?.as_bool().unwrap_or(false),
            Err(_) => false,
        };
        let estimate = JsFuture::from(storage.estimate().ok()?).await.ok()?;
        let number = |k: &str| {
            js_sys::Reflect::get(&estimate, &k.into())
                .ok()
                .and_then(|v| v.as_f64())
                .unwrap_or(0.0)
        };
        Some(StorageInfo {
            persisted,
            usage_bytes: number("usage"),
            quota_bytes: number("quota"),
        })
    }
    #[cfg(not(feature = "hydrate"))]
    {
        None
    }
}

/// Offers `text` as a file download.
pub fn download(file_name: &str, text: &str) {
    download_as(file_name, "application/json", text);
}

/// Saves `text` as a file of the given type.
pub fn download_as(file_name: &str, mime: &str, text: &str) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let parts = js_sys::Array::of1(&text.into());
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(mime);
        let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
            return;
        };
        let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
            return;
        };
        let link = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.create_element("a").ok())
            .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok());
        if let Some(link) = link {
            link.set_href(&url);
            link.set_download(file_name);
            link.click();
        }
        let _ = web_sys::Url::revoke_object_url(&url);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (file_name, mime, text);
}
