//! The two list shapes: the contract's offset pages and the log's cursor
//! pages.
use serde::{Deserialize, Serialize};

/// A contract list page: `{"count", "limit", "offset", "results"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    pub count: i64,
    #[serde(default)]
    pub limit: i64,
    #[serde(default)]
    pub offset: i64,
    pub results: Vec<T>,
}

impl<T> Default for Page<T> {
    fn default() -> Self {
        Self {
            count: 0,
            limit: 0,
            offset: 0,
            results: Vec::new(),
        }
    }
}

/// A page of a list read by cursor: pass `next_cursor` back as `cursor`
/// for the next page; `null` on the last one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CursorPage<T> {
    pub results: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Default for CursorPage<T> {
    fn default() -> Self {
        Self {
            results: Vec::new(),
            next_cursor: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_offset_page_has_the_contracts_four_keys() {
        let page = Page {
            count: 3,
            limit: 2,
            offset: 0,
            results: vec![1, 2],
        };
        assert_eq!(
            serde_json::to_value(&page).unwrap(),
            json!({"count": 3, "limit": 2, "offset": 0, "results": [1, 2]})
        );
    }

    #[test]
    fn a_cursor_page_ends_with_a_null_cursor() {
        let page: CursorPage<i64> = CursorPage::default();
        assert_eq!(
            serde_json::to_value(&page).unwrap(),
            json!({"results": [], "next_cursor": null})
        );
    }
}
