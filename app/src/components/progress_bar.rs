use leptos::prelude::*;

/// `done` of `total`, as a bar and in words.
#[component]
pub fn ProgressBar(
    #[prop(into)] done: Signal<usize>,
    #[prop(into)] total: Signal<usize>,
    #[prop(into)] label: Signal<String>,
) -> impl IntoView {
    let percent = move || (done.get() * 100).checked_div(total.get()).unwrap_or(0);
    view! {
        <div class="progress" data-testid="progress">
            <div class="progress-text">
                <span>{move || label.get()}</span>
                <strong>{move || format!("{} / {}", done.get(), total.get())}</strong>
            </div>
            <div class="progress-track" role="progressbar" aria-valuemin="0"
                aria-valuemax=move || total.get() aria-valuenow=move || done.get()>
                <div class="progress-fill" style:width=move || format!("{}%", percent())></div>
            </div>
        </div>
    }
}
