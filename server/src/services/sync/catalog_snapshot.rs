//! The catalog as one upload sees it: the customers and products its sales
//! name, read once per batch (not once per sale), so every check of the
//! batch judges against the same rows.
use crate::db::Db;
use crate::store;
use ruta_shared::sale::{ItemView, SaleContent};
use ruta_shared::validation::{CatalogView, ProductFacts};
use serde_json::Value;
use std::collections::{HashMap, HashSet};

/// The active catalog rows a batch refers to, read once per batch, and
/// the deactivated products it names: those exist for no check, but a
/// retry of a sale accepted before they were deactivated must still hash to
/// the content that was accepted (API.md: check 4 comes before check 6).
#[derive(Debug, Default)]
pub struct CatalogSnapshot {
    customers: HashSet<i64>,
    products: HashMap<i64, ProductFacts>,
    retired: HashMap<i64, ProductFacts>,
}

/// The snapshot as the duplicate check sees it: deactivated products too.
pub struct WithRetired<'a>(pub &'a CatalogSnapshot);

impl CatalogView for WithRetired<'_> {
    fn customer_exists(&self, id: i64) -> bool {
        self.0.customer_exists(id)
    }
    fn product(&self, id: i64) -> Option<ProductFacts> {
        self.0
            .product(id)
            .or_else(|| self.0.retired.get(&id).cloned())
    }
}

impl CatalogView for CatalogSnapshot {
    fn customer_exists(&self, id: i64) -> bool {
        self.customers.contains(&id)
    }
    fn product(&self, id: i64) -> Option<ProductFacts> {
        self.products.get(&id).cloned()
    }
}

fn ids_in(sales: &[&Value]) -> (Vec<i64>, Vec<i64>) {
    let mut customers = HashSet::new();
    let mut products = HashSet::new();
    for sale in sales {
        if let Some(id) = sale.get("customer_id").and_then(Value::as_i64) {
            customers.insert(id);
        }
        for list in ["items", "returns"] {
            for line in sale
                .get(list)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(id) = line.get("product_id").and_then(Value::as_i64) {
                    products.insert(id);
                }
            }
        }
    }
    (
        customers.into_iter().collect(),
        products.into_iter().collect(),
    )
}

impl CatalogSnapshot {
    pub async fn load(db: &Db, sales: &[&Value]) -> Result<Self, sqlx::Error> {
        let (customer_ids, product_ids) = ids_in(sales);
        let mut snapshot = Self::default();
        // Bounded IN lists: SQLite allows 32,766 parameters, PostgreSQL 65,535.
        for chunk in customer_ids.chunks(1_000) {
            snapshot
                .customers
                .extend(store::catalog::active_customer_ids(db.read(), chunk).await?);
        }
        for chunk in product_ids.chunks(1_000) {
            for p in store::catalog::products_by_id(db.read(), chunk).await? {
                let product = p.to_product();
                let facts = ProductFacts {
                    name: p.name,
                    unit_price: product.unit_price,
                    tax_percentage: product.tax_percentage,
                };
                let shelf = if p.active.0 {
                    &mut snapshot.products
                } else {
                    &mut snapshot.retired
                };
                shelf.insert(p.id, facts);
            }
        }
        Ok(snapshot)
    }

    /// The stored form of accepted content: totals and named lines.
    pub fn accepted_fields(&self, c: &SaleContent) -> store::sales::AcceptedFields {
        let lines: Vec<ItemView> = c
            .items
            .iter()
            .map(|i| {
                let name = self
                    .products
                    .get(&i.product_id)
                    .map(|p| p.name.clone())
                    .unwrap_or_default();
                ItemView::of(i, name)
            })
            .collect();
        let totals = c.totals();
        let m = ruta_shared::money::format_money;
        store::sales::AcceptedFields {
            customer_id: c.customer_id,
            status: c.status.as_str().to_owned(),
            payment_method: c.payment_method.as_str().to_owned(),
            content: serde_json::to_string(c).unwrap_or_default(),
            content_hash: c.content_hash(),
            lines: serde_json::to_string(&lines).unwrap_or_default(),
            subtotal: m(totals.subtotal),
            discount_total: m(totals.discount),
            tax_total: m(totals.tax),
            total: m(totals.total),
        }
    }
}
