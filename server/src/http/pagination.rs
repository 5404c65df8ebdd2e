//! The contract's list shape and its `limit`/`offset` rules: default 50,
//! over 200 clamped to 200, `limit <= 0` or `offset < 0` → 400.
use super::error::ApiError;
use crate::services::Page;

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

fn number(text: Option<&str>, field: &str) -> Result<Option<i64>, ApiError> {
    text.filter(|t| !t.is_empty())
        .map(|t| {
            t.trim()
                .parse::<i64>()
                .map_err(|_| ApiError::bad_request(format!("{field} debe ser un entero"), field))
        })
        .transpose()
}

pub fn page(limit: Option<&str>, offset: Option<&str>) -> Result<Page, ApiError> {
    let limit = number(limit, "limit")?.unwrap_or(DEFAULT_LIMIT);
    let offset = number(offset, "offset")?.unwrap_or(0);
    if limit <= 0 {
        return Err(ApiError::bad_request("limit debe ser mayor a 0", "limit"));
    }
    if offset < 0 {
        return Err(ApiError::bad_request(
            "offset no puede ser negativo",
            "offset",
        ));
    }
    Ok(Page {
        limit: limit.min(MAX_LIMIT),
        offset,
    })
}

/// The contract's list page, as `shared` defines it for both sides.
pub type Paged<T> = ruta_shared::wire::Page<T>;

/// The page of `results` at `page`'s place in a list of `count` rows.
pub fn paged<T>(count: i64, page: Page, results: Vec<T>) -> Paged<T> {
    Paged {
        count,
        limit: page.limit,
        offset: page.offset,
        results,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contract_bounds() {
        assert_eq!(page(None, None).unwrap().limit, 50);
        assert_eq!(page(Some("500"), None).unwrap().limit, 200);
        assert!(page(Some("0"), None).is_err());
        assert!(page(Some("-1"), None).is_err());
        assert!(page(None, Some("-1")).is_err());
        assert!(page(Some("abc"), None).is_err());
    }
}
