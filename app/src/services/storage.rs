//! The browser's localStorage (small, synchronous values only: the session,
//! the device id, the language). Sales go to IndexedDB, not here.

#[cfg(feature = "hydrate")]
fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

#[cfg(feature = "hydrate")]
pub fn get(key: &str) -> Option<String> {
    local()?.get_item(key).ok()?
}

#[cfg(feature = "hydrate")]
pub fn set(key: &str, value: &str) {
    if let Some(s) = local() {
        let _ = s.set_item(key, value);
    }
}

#[cfg(feature = "hydrate")]
pub fn remove(key: &str) {
    if let Some(s) = local() {
        let _ = s.remove_item(key);
    }
}

#[cfg(not(feature = "hydrate"))]
pub fn get(_key: &str) -> Option<String> {
    None
}

#[cfg(not(feature = "hydrate"))]
pub fn set(_key: &str, _value: &str) {}

#[cfg(not(feature = "hydrate"))]
pub fn remove(_key: &str) {}
