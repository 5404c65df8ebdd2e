pub mod connection_badge;
pub mod lang_switch;
pub mod plan_form;
pub mod progress_bar;
pub mod top_bar;
