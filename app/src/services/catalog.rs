//! The offline catalog: customers and products pulled into IndexedDB (a
//! full snapshot, then `catalog/changes/?since=` deltas) and searched on the
//! device. A shop met on the route is added here with a negative id and
//! reaches the server before any sale that names it.
use super::api::{self, ApiError, Method};
use super::idb::{self, IdbError, Key, CUSTOMERS, PRODUCTS};
use super::outbox;
use ruta_shared::catalog::{Customer, CustomerInput, Product};
use ruta_shared::validation::{CatalogView, ProductFacts};
use serde::Deserialize;
use serde_json::Value;

const CURSOR_KEY: &str = "catalog_cursor";
/// How many matches a search shows: enough to pick, few enough to read.
pub const SEARCH_LIMIT: usize = 8;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LocalCatalog {
    pub customers: Vec<Customer>,
    pub products: Vec<Product>,
}

impl CatalogView for LocalCatalog {
    fn customer_exists(&self, id: i64) -> bool {
        self.customers.iter().any(|c| c.id == id && c.active)
    }
    fn product(&self, id: i64) -> Option<ProductFacts> {
        self.products
            .iter()
            .find(|p| p.id == id && p.active)
            .map(|p| ProductFacts {
                name: p.name.clone(),
                unit_price: p.unit_price,
                tax_percentage: p.tax_percentage,
            })
    }
}

/// Lower case without accents, so "arepa" finds "Arepería".
pub fn fold(text: &str) -> String {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'ä' => 'a',
            'é' | 'è' | 'ë' => 'e',
            'í' | 'ì' | 'ï' => 'i',
            'ó' | 'ò' | 'ö' => 'o',
            'ú' | 'ù' | 'ü' => 'u',
            'ñ' => 'n',
            other => other,
        })
        .collect()
}

fn matches(query: &str, fields: &[Option<&str>]) -> bool {
    let words: Vec<String> = fold(query).split_whitespace().map(str::to_owned).collect();
    let haystack = fold(
        &fields
            .iter()
            .flatten()
            .copied()
            .collect::<Vec<_>>()
            .join(" "),
    );
    words.iter().all(|w| haystack.contains(w.as_str()))
}

impl LocalCatalog {
    pub fn search_customers(&self, query: &str) -> Vec<Customer> {
        self.customers
            .iter()
            .filter(|c| c.active)
            .filter(|c| {
                matches(
                    query,
                    &[
                        Some(&c.name),
                        c.business_name.as_deref(),
                        c.address.as_deref(),
                    ],
                )
            })
            .take(SEARCH_LIMIT)
            .cloned()
            .collect()
    }

    pub fn search_products(&self, query: &str) -> Vec<Product> {
        self.products
            .iter()
            .filter(|p| p.active)
            .filter(|p| matches(query, &[Some(&p.name), Some(&p.sku)]))
            .take(SEARCH_LIMIT)
            .cloned()
            .collect()
    }

    pub fn customer_name(&self, id: i64) -> String {
        self.customers
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.clone())
            .unwrap_or_else(|| format!("#{id}"))
    }

    pub fn product_name(&self, id: i64) -> String {
        self.products
            .iter()
            .find(|p| p.id == id)
            .map(|p| p.name.clone())
            .unwrap_or_else(|| format!("#{id}"))
    }

    /// Applies a page of changes: a row replaces the one with its id.
    fn merge(&mut self, changes: Changes) {
        for c in changes.customers {
            match self.customers.iter_mut().find(|x| x.id == c.id) {
                Some(x) => *x = c,
                None => self.customers.push(c),
            }
        }
        for p in changes.products {
            match self.products.iter_mut().find(|x| x.id == p.id) {
                Some(x) => *x = p,
                None => self.products.push(p),
            }
        }
        self.customers.sort_by_key(|c| fold(&c.name));
        self.products.sort_by_key(|p| fold(&p.name));
    }
}

#[derive(Debug, Deserialize)]
struct Changes {
    customers: Vec<Customer>,
    products: Vec<Product>,
    cursor: String,
    has_more: bool,
}

/// What the device has, without the network.
pub async fn load() -> Result<LocalCatalog, IdbError> {
    let mut catalog = LocalCatalog {
        customers: idb::get_all(CUSTOMERS).await?,
        products: idb::get_all(PRODUCTS).await?,
    };
    catalog.merge(Changes {
        customers: Vec::new(),
        products: Vec::new(),
        cursor: String::new(),
        has_more: false,
    });
    Ok(catalog)
}

/// Pulls what changed on the server since the last pull (everything the
/// first time) and stores it; returns the device's catalog afterwards.
pub async fn refresh(token: &str) -> Result<LocalCatalog, ApiError> {
    let mut catalog = load().await.unwrap_or_default();
    let mut cursor = idb::meta(CURSOR_KEY)
        .await
        .and_then(|v| v.as_str().map(str::to_owned));
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/catalog/changes/?since={c}"),
            None => "/api/v1/catalog/changes/".to_owned(),
        };
        let page: Changes = api::call(Method::Get, &path, token, None).await?;
        let (next, more) = (page.cursor.clone(), page.has_more);
        // Stored before the cursor moves: a crash in between re-pulls.
        let stored = idb::write(CUSTOMERS, &page.customers, &[]).await.is_ok()
            && idb::write(PRODUCTS, &page.products, &[]).await.is_ok();
        catalog.merge(page);
        if !stored
            || idb::set_meta(CURSOR_KEY, Value::from(next.clone()))
                .await
                .is_err()
        {
            break;
        }
        cursor = Some(next);
        if !more {
            break;
        }
    }
    Ok(catalog)
}

/// A shop met on the route, stored on the device until it can be sent.
pub async fn add_customer(input: &CustomerInput, now_ms: f64) -> Result<Customer, IdbError> {
    let customer = Customer {
        id: -(now_ms as i64),
        name: input.name.trim().to_owned(),
        business_name: input.business_name.clone(),
        phone: input.phone.clone(),
        address: input.address.clone(),
        route: input.route.clone(),
        active: true,
        version: 0,
        updated_at: String::new(),
    };
    idb::write(CUSTOMERS, std::slice::from_ref(&customer), &[]).await?;
    Ok(customer)
}

/// Sends the shops made on this device, then points their sales at the
/// server's ids. A shop whose request fails stays local for the next try.
pub async fn push_local(token: &str, catalog: &mut LocalCatalog) -> Result<(), ApiError> {
    let local: Vec<Customer> = catalog
        .customers
        .iter()
        .filter(|c| c.id < 0)
        .cloned()
        .collect();
    for temp in local {
        let body = CustomerInput {
            name: temp.name.clone(),
            business_name: temp.business_name.clone(),
            phone: temp.phone.clone(),
            address: temp.address.clone(),
            route: temp.route.clone(),
            active: None,
            version: None,
            edited_at: None,
        };
        let created: Customer =
            api::send_json(Method::Post, "/api/v1/customers/", token, &body).await?;
        outbox::repoint_customer(temp.id, created.id).await;
        let _ = idb::write(
            CUSTOMERS,
            std::slice::from_ref(&created),
            &[Key::Number(temp.id)],
        )
        .await;
        catalog.customers.retain(|c| c.id != temp.id);
        catalog.customers.push(created);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn customer(id: i64, name: &str, active: bool) -> Customer {
        Customer {
            id,
            name: name.into(),
            business_name: None,
            phone: None,
            address: Some("Calle 10 # 4-21".into()),
            route: None,
            active,
            version: 1,
            updated_at: String::new(),
        }
    }

    #[test]
    fn search_ignores_case_and_accents_and_hides_inactive_rows() {
        let catalog = LocalCatalog {
            customers: vec![
                customer(1, "Arepería Doña Rosa", true),
                customer(2, "Tienda El Ñandú", true),
                customer(3, "Arepas Cerradas", false),
            ],
            products: Vec::new(),
        };
        let found: Vec<i64> = catalog
            .search_customers("arepe dona")
            .iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(found, vec![1]);
        assert_eq!(catalog.search_customers("nandu")[0].id, 2);
        assert!(catalog.search_customers("cerradas").is_empty());
        assert!(catalog.customer_exists(1) && !catalog.customer_exists(3));
        assert_eq!(catalog.search_customers("calle 10").len(), 2);
    }
}
