//! The device's IndexedDB (through rexie): the sales outbox and the offline
//! catalog. Records are plain JSON objects, so the service worker (which
//! uploads the outbox when no tab is open) reads the very same records.
//!
//! Database `ruta`, version 1:
//! - `outbox`    key `local_id`: [`super::outbox::OutboxRecord`]
//! - `customers` key `id`: catalog customers (a negative id is a customer
//!   made on this device, not yet on the server)
//! - `products`  key `id`
//! - `meta`      key `key`: `{key, value}` (the token for the service
//!   worker, the catalog cursor)
//!
//! On the server every call fails with [`IdbError::Unavailable`]: pages
//! render their empty state and the browser fills them in.
use serde_json::Value;

pub const OUTBOX: &str = "outbox";
pub const CUSTOMERS: &str = "customers";
pub const PRODUCTS: &str = "products";
pub const META: &str = "meta";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdbError {
    #[error("IndexedDB is not available here")]
    Unavailable,
    #[error("IndexedDB: {0}")]
    Failed(String),
    #[error("a stored record is not what this version expects")]
    Corrupt,
}

/// A key of one of the stores: text (`local_id`, meta keys) or a number.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    Text(String),
    Number(i64),
}

#[cfg(feature = "hydrate")]
mod imp {
    use super::{IdbError, Key, CUSTOMERS, META, OUTBOX, PRODUCTS};
    use rexie::{ObjectStore, Rexie, TransactionMode};
    use serde::de::DeserializeOwned;
    use serde::Serialize;
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::{JsCast, JsValue};

    thread_local! {
        static OPEN: RefCell<Option<Rc<Rexie>>> = const { RefCell::new(None) };
    }

    fn failed(e: impl std::fmt::Display) -> IdbError {
        IdbError::Failed(e.to_string())
    }

    async fn db() -> Result<Rc<Rexie>, IdbError> {
        if let Some(db) = OPEN.with(|o| o.borrow().clone()) {
            return Ok(db);
        }
        let db = Rexie::builder("ruta")
            .version(1)
            .add_object_store(ObjectStore::new(OUTBOX).key_path("local_id"))
            .add_object_store(ObjectStore::new(CUSTOMERS).key_path("id"))
            .add_object_store(ObjectStore::new(PRODUCTS).key_path("id"))
            .add_object_store(ObjectStore::new(META).key_path("key"))
            .build()
            .await
            .map_err(failed)?;
        let db = Rc::new(db);
        OPEN.with(|o| *o.borrow_mut() = Some(db.clone()));
        Ok(db)
    }

    // JSON text is the bridge, one text per call rather than per record:
    // serde_json is already in the bundle and the browser's JSON is fast
    // (10,000 sales load in one parse).
    fn to_js_rows<T: Serialize>(rows: &[T]) -> Result<Vec<JsValue>, IdbError> {
        let text = serde_json::to_string(rows).map_err(|_| IdbError::Corrupt)?;
        let array: js_sys::Array = js_sys::JSON::parse(&text)
            .map_err(|_| IdbError::Corrupt)?
            .dyn_into()
            .map_err(|_| IdbError::Corrupt)?;
        Ok(array.iter().collect())
    }

    fn from_js_rows<T: DeserializeOwned>(rows: &[JsValue]) -> Result<Vec<T>, IdbError> {
        let array: js_sys::Array = rows.iter().collect();
        let text: String = js_sys::JSON::stringify(&array)
            .map_err(|_| IdbError::Corrupt)?
            .into();
        if let Ok(all) = serde_json::from_str::<Vec<T>>(&text) {
            return Ok(all);
        }
        // One unreadable record must not hide the others. Record by record
        // from text, not through `serde_json::Value`: that would compile a
        // second deserializer for every stored type into the bundle.
        Ok(rows
            .iter()
            .filter_map(|row| {
                let text: String = js_sys::JSON::stringify(row).ok()?.into();
                serde_json::from_str(&text).ok()
            })
            .collect())
    }

    fn key(k: &Key) -> JsValue {
        match k {
            Key::Text(t) => JsValue::from_str(t),
            Key::Number(n) => JsValue::from_f64(*n as f64),
        }
    }

    pub async fn get_all<T: DeserializeOwned>(store: &str) -> Result<Vec<T>, IdbError> {
        let db = db().await?;
        let tx = db
            .transaction(&[store], TransactionMode::ReadOnly)
            .map_err(failed)?;
        let rows = tx
            .store(store)
            .map_err(failed)?
            .get_all(None, None)
            .await
            .map_err(failed)?;
        from_js_rows(&rows)
    }

    pub async fn get<T: DeserializeOwned>(store: &str, k: &Key) -> Result<Option<T>, IdbError> {
        let db = db().await?;
        let tx = db
            .transaction(&[store], TransactionMode::ReadOnly)
            .map_err(failed)?;
        let row = tx
            .store(store)
            .map_err(failed)?
            .get(key(k))
            .await
            .map_err(failed)?;
        match row {
            Some(row) => Ok(from_js_rows(&[row])?.pop()),
            None => Ok(None),
        }
    }

    /// Writes `put` and deletes `remove` in one transaction: all or nothing,
    /// and done only once the browser says it is committed.
    pub async fn write<T: Serialize>(
        store: &str,
        put: &[T],
        remove: &[Key],
    ) -> Result<(), IdbError> {
        let db = db().await?;
        let tx = db
            .transaction(&[store], TransactionMode::ReadWrite)
            .map_err(failed)?;
        let s = tx.store(store).map_err(failed)?;
        s.put_all(to_js_rows(put)?.into_iter().map(|v| (v, None)))
            .await
            .map_err(failed)?;
        for k in remove {
            s.delete(key(k)).await.map_err(failed)?;
        }
        tx.done().await.map_err(failed)?;
        Ok(())
    }

    /// Reads the records under `keys`, lets `change` decide what to write
    /// back, and writes it, inside one read-write transaction: a service
    /// worker syncing at the same moment cannot interleave.
    pub async fn update<T: Serialize + DeserializeOwned>(
        store: &str,
        keys: &[Key],
        change: impl FnOnce(Vec<T>) -> Vec<T>,
    ) -> Result<(), IdbError> {
        let db = db().await?;
        let tx = db
            .transaction(&[store], TransactionMode::ReadWrite)
            .map_err(failed)?;
        let s = tx.store(store).map_err(failed)?;
        let mut rows = Vec::with_capacity(keys.len());
        for k in keys {
            if let Some(row) = s.get(key(k)).await.map_err(failed)? {
                rows.push(row);
            }
        }
        let changed = change(from_js_rows(&rows)?);
        s.put_all(to_js_rows(&changed)?.into_iter().map(|v| (v, None)))
            .await
            .map_err(failed)?;
        tx.done().await.map_err(failed)?;
        Ok(())
    }

    pub async fn clear(stores: &[&str]) -> Result<(), IdbError> {
        let db = db().await?;
        let tx = db
            .transaction(stores, TransactionMode::ReadWrite)
            .map_err(failed)?;
        for store in stores {
            tx.store(store)
                .map_err(failed)?
                .clear()
                .await
                .map_err(failed)?;
        }
        tx.done().await.map_err(failed)?;
        Ok(())
    }
}

#[cfg(not(feature = "hydrate"))]
mod imp {
    use super::{IdbError, Key};
    use serde::de::DeserializeOwned;
    use serde::Serialize;

    pub async fn get_all<T: DeserializeOwned>(_store: &str) -> Result<Vec<T>, IdbError> {
        Err(IdbError::Unavailable)
    }
    pub async fn get<T: DeserializeOwned>(_store: &str, _k: &Key) -> Result<Option<T>, IdbError> {
        Err(IdbError::Unavailable)
    }
    pub async fn write<T: Serialize>(
        _store: &str,
        _put: &[T],
        _remove: &[Key],
    ) -> Result<(), IdbError> {
        Err(IdbError::Unavailable)
    }
    pub async fn update<T: Serialize + DeserializeOwned>(
        _store: &str,
        _keys: &[Key],
        _change: impl FnOnce(Vec<T>) -> Vec<T>,
    ) -> Result<(), IdbError> {
        Err(IdbError::Unavailable)
    }
    pub async fn clear(_stores: &[&str]) -> Result<(), IdbError> {
        Err(IdbError::Unavailable)
    }
}

pub use imp::{clear, get, get_all, update, write};

#[derive(serde::Serialize, serde::Deserialize)]
struct MetaRow {
    key: String,
    value: Value,
}

/// A `meta` value.
pub async fn meta(key: &str) -> Option<Value> {
    get::<MetaRow>(META, &Key::Text(key.to_owned()))
        .await
        .ok()
        .flatten()
        .map(|row| row.value)
}

pub async fn set_meta(key: &str, value: Value) -> Result<(), IdbError> {
    let row = MetaRow {
        key: key.to_owned(),
        value,
    };
    write(META, &[row], &[]).await
}
