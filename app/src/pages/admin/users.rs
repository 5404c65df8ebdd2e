//! `/admin/usuarios`: create users, reset a password, and see each user's
//! devices (tokens) with their last use; revoke one.
use super::{run, use_admin, AdminPage, Reloader, Section};
use crate::i18n::{role_key, t, text, when};
use crate::services::admin::{self, DeviceToken, Page, User};
use crate::services::api::{self, Method};
use leptos::prelude::*;
use ruta_shared::auth::Role;
use ruta_shared::wire::users::{NewUser, PasswordReset};
use serde_json::Value;

#[component]
pub fn Users() -> impl IntoView {
    view! { <AdminPage section=Section::Users><UsersBody/></AdminPage> }
}

#[component]
fn UsersBody() -> impl IntoView {
    let admin = use_admin();
    let users = RwSignal::new(None::<Page<User>>);
    let open = RwSignal::new(None::<i64>);
    let loader = Reloader::new(move || async move {
        match admin::get(&admin.token(), "/api/v1/users/?limit=200").await {
            Ok(p) => users.set(Some(p)),
            Err(e) => admin.fail(&e),
        }
    })
    .on_mount();
    let rows = move || {
        users.with(|p| {
            p.as_ref().map(|p| {
                p.results
                    .iter()
                    .map(|u| {
                        let id = u.id;
                        let role = role_key(u.role);
                        view! {
                            <tr data-testid="user-row" data-username=u.username.clone()>
                                <td>{u.username.clone()}</td>
                                <td>{move || text(admin.lang.get(), role)}</td>
                                <td>{u.seller_code.as_ref().map(|c| c.as_str().to_owned()).unwrap_or_default()}</td>
                                <td class="row-actions">
                                    <button type="button" class="secondary small" data-testid="user-devices"
                                        on:click=move |_| open.update(|o| *o = if *o == Some(id) { None } else { Some(id) })>
                                        {t(key!("admin.users.devices"))}
                                    </button>
                                    <PasswordReset user_id=id/>
                                </td>
                            </tr>
                            <Show when=move || open.get() == Some(id)>
                                <tr class="sub"><td colspan="4"><Devices user_id=id/></td></tr>
                            </Show>
                        }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <div class="two-col">
            <section class="card">
                <h2>{t(key!("admin.users.list"))}</h2>
                <table class="data">
                    <thead><tr><th>{t(key!("login.username"))}</th><th>{t(key!("home.role"))}</th><th>{t(key!("admin.col.seller"))}</th><th></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
            <NewUser on_created=move || loader.reload()/>
        </div>
    }
}

#[component]
fn NewUser(on_created: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let admin = use_admin();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new("seller".to_owned());
    let code = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let role = Role::parse(&role.get_untracked()).unwrap_or(Role::Seller);
        let body = NewUser {
            username: username.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
            role,
            seller_code: (role == Role::Seller).then(|| code.get_untracked().trim().to_uppercase()),
        };
        run(async move {
            match admin::send::<Value, _>(&admin.token(), Method::Post, "/api/v1/users/", &body)
                .await
            {
                Ok(_) => {
                    admin.say(format!("✓ {}", username.get_untracked()));
                    username.set(String::new());
                    password.set(String::new());
                    code.set(String::new());
                    on_created();
                }
                Err(e) => admin.fail(&e),
            }
        });
    };
    view! {
        <form class="card form" on:submit=submit data-testid="new-user">
            <h2>{t(key!("admin.users.new"))}</h2>
            <label for="nu-name">{t(key!("login.username"))}</label>
            <input id="nu-name" required data-testid="nu-username" prop:value=move || username.get() on:input=move |ev| username.set(event_target_value(&ev))/>
            <label for="nu-pass">{t(key!("login.password"))}</label>
            <input id="nu-pass" type="password" required minlength="6" autocomplete="new-password" data-testid="nu-password" prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
            <label for="nu-role">{t(key!("home.role"))}</label>
            <select id="nu-role" data-testid="nu-role" prop:value=move || role.get() on:change=move |ev| role.set(event_target_value(&ev))>
                <option value="seller">{t(key!("role.seller"))}</option>
                <option value="dispatcher">{t(key!("role.dispatcher"))}</option>
                <option value="admin">{t(key!("role.admin"))}</option>
            </select>
            <Show when=move || role.get() == "seller">
                <label for="nu-code">{t(key!("home.seller_code"))}</label>
                <input id="nu-code" required placeholder="ID4" data-testid="nu-code" prop:value=move || code.get() on:input=move |ev| code.set(event_target_value(&ev))/>
            </Show>
            <button type="submit" class="primary" data-testid="nu-submit">{t(key!("admin.create"))}</button>
        </form>
    }
}

#[component]
fn PasswordReset(user_id: i64) -> impl IntoView {
    let admin = use_admin();
    let editing = RwSignal::new(false);
    let password = RwSignal::new(String::new());
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = PasswordReset {
            password: password.get_untracked(),
        };
        run(async move {
            let path = format!("/api/v1/users/{user_id}/password/");
            match api::send_json_no_content(Method::Post, &path, &admin.token(), &body).await {
                Ok(()) => {
                    editing.set(false);
                    password.set(String::new());
                    admin.say(text(
                        admin.lang.get_untracked(),
                        key!("admin.users.password_reset"),
                    ));
                }
                Err(e) => admin.fail(&e),
            }
        });
    };
    view! {
        <Show when=move || editing.get()
            fallback=move || view! { <button type="button" class="secondary small" data-testid="reset-password" on:click=move |_| editing.set(true)>{t(key!("admin.users.reset"))}</button> }>
            <form class="inline-form" on:submit=save>
                <input type="password" minlength="6" required autocomplete="new-password" aria-label=t(key!("login.password")) data-testid="new-password"
                    prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                <button type="submit" class="primary small" data-testid="save-password">{t(key!("admin.save"))}</button>
            </form>
        </Show>
    }
}

#[component]
fn Devices(user_id: i64) -> impl IntoView {
    let admin = use_admin();
    let tokens = RwSignal::new(None::<Vec<DeviceToken>>);
    let loader = Reloader::new(move || async move {
        match admin::get(&admin.token(), &format!("/api/v1/users/{user_id}/tokens/")).await {
            Ok(list) => tokens.set(Some(list)),
            Err(e) => admin.fail(&e),
        }
    })
    .on_mount();
    let revoke = move |id: i64| {
        run(async move {
            let path = format!("/api/v1/tokens/{id}/");
            match api::call_no_content(Method::Delete, &path, &admin.token(), None).await {
                Ok(()) => loader.reload(),
                Err(e) => admin.fail(&e),
            }
        });
    };
    let rows = move || {
        tokens.with(|list| {
            list.as_ref().map(|list| {
                if list.is_empty() {
                    return view! { <p class="muted">{t(key!("admin.users.no_devices"))}</p> }.into_any();
                }
                let rows = list.iter().map(|tk| {
                    let id = tk.id;
                    let revoked = tk.revoked;
                    view! {
                        <tr data-testid="token-row" data-device=tk.device_id.clone().unwrap_or_default() class:revoked=revoked>
                            <td class="mono">{tk.device_id.clone().unwrap_or_else(|| "web".into())}</td>
                            <td>{when(&tk.created_at)}</td>
                            <td>{tk.last_used_at.as_deref().map(when).unwrap_or_default()}</td>
                            <td>{if revoked {
                                view! { <span class="pill">{t(key!("admin.users.revoked"))}</span> }.into_any()
                            } else {
                                view! { <button type="button" class="danger small" data-testid="revoke" on:click=move |_| revoke(id)>{t(key!("admin.users.revoke"))}</button> }.into_any()
                            }}</td>
                        </tr>
                    }
                }).collect_view();
                view! {
                    <table class="data inner">
                        <thead><tr><th>{t(key!("admin.col.device"))}</th><th>{t(key!("admin.users.created"))}</th><th>{t(key!("admin.col.last_seen"))}</th><th></th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                }.into_any()
            })
        })
    };
    view! { <div data-testid="devices">{rows}</div> }
}
