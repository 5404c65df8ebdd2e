//! `/api/v1/customers/`, `/api/v1/products/` and the change feed. Every
//! role reads; admins write; a seller may also add a customer met on the
//! route.
use super::error::{ApiError, ApiResult};
use super::extract::{Admins, Allowed, Auth, CustomerCreators, JsonBody, PathParam, QueryParams};
use super::pagination::{page, paged, Paged};
use crate::services::catalog::{self as service, CatalogTable, Changes};
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use ruta_shared::auth::Role;
use ruta_shared::catalog::{Customer, CustomerInput, Product, ProductInput};
use serde::Deserialize;

const WRITERS: &[Role] = &[Role::Admin];
const CUSTOMER_CREATORS: &[Role] = &[Role::Admin, Role::Seller];

#[derive(Deserialize)]
pub struct ListQuery {
    q: Option<String>,
    limit: Option<String>,
    offset: Option<String>,
}

pub async fn list_customers(
    State(st): State<AppState>,
    _: Auth,
    QueryParams(q): QueryParams<ListQuery>,
) -> ApiResult<Json<Paged<Customer>>> {
    let p = page(q.limit.as_deref(), q.offset.as_deref())?;
    let (count, customers) = service::customers(&st.db, q.q.as_deref(), p).await?;
    Ok(Json(paged(count, p, customers)))
}

pub async fn get_customer(
    State(st): State<AppState>,
    _: Auth,
    PathParam(id): PathParam<i64>,
) -> ApiResult<Json<Customer>> {
    Ok(Json(service::customer(&st.db, id).await?))
}

pub async fn create_customer(
    State(st): State<AppState>,
    auth: Allowed<CustomerCreators>,
    JsonBody(input): JsonBody<CustomerInput>,
) -> ApiResult<(StatusCode, Json<Customer>)> {
    let actor = auth.require(CUSTOMER_CREATORS)?;
    Ok((
        StatusCode::CREATED,
        Json(service::create_customer(&st.db, actor, &input).await?),
    ))
}

pub async fn update_customer(
    State(st): State<AppState>,
    auth: Allowed<Admins>,
    PathParam(id): PathParam<i64>,
    JsonBody(input): JsonBody<CustomerInput>,
) -> ApiResult<Json<Customer>> {
    let actor = auth.require(WRITERS)?;
    Ok(Json(
        service::update_customer(&st.db, actor, id, &input).await?,
    ))
}

pub async fn delete_customer(
    State(st): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<i64>,
) -> ApiResult<StatusCode> {
    let actor = auth.require(WRITERS)?;
    service::deactivate(&st.db, actor, CatalogTable::Customers, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn list_products(
    State(st): State<AppState>,
    _: Auth,
    QueryParams(q): QueryParams<ListQuery>,
) -> ApiResult<Json<Paged<Product>>> {
    let p = page(q.limit.as_deref(), q.offset.as_deref())?;
    let (count, products) = service::products(&st.db, q.q.as_deref(), p).await?;
    Ok(Json(paged(count, p, products)))
}

pub async fn get_product(
    State(st): State<AppState>,
    _: Auth,
    PathParam(id): PathParam<i64>,
) -> ApiResult<Json<Product>> {
    Ok(Json(service::product(&st.db, id).await?))
}

pub async fn create_product(
    State(st): State<AppState>,
    auth: Allowed<Admins>,
    JsonBody(input): JsonBody<ProductInput>,
) -> ApiResult<(StatusCode, Json<Product>)> {
    let actor = auth.require(WRITERS)?;
    Ok((
        StatusCode::CREATED,
        Json(service::create_product(&st.db, actor, &input).await?),
    ))
}

pub async fn update_product(
    State(st): State<AppState>,
    auth: Allowed<Admins>,
    PathParam(id): PathParam<i64>,
    JsonBody(input): JsonBody<ProductInput>,
) -> ApiResult<Json<Product>> {
    let actor = auth.require(WRITERS)?;
    Ok(Json(
        service::update_product(&st.db, actor, id, &input).await?,
    ))
}

pub async fn delete_product(
    State(st): State<AppState>,
    auth: Auth,
    PathParam(id): PathParam<i64>,
) -> ApiResult<StatusCode> {
    let actor = auth.require(WRITERS)?;
    service::deactivate(&st.db, actor, CatalogTable::Products, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct ChangesQuery {
    since: Option<String>,
}

pub async fn changes(
    State(st): State<AppState>,
    _: Auth,
    QueryParams(q): QueryParams<ChangesQuery>,
) -> ApiResult<Json<Changes>> {
    let since = match q.since.as_deref().filter(|s| !s.is_empty()) {
        None => 0,
        Some(cursor) => service::decode_cursor(cursor)
            .ok_or_else(|| ApiError::bad_request("cursor inválido", "since"))?,
    };
    Ok(Json(service::changes(&st.db, since).await?))
}
