pub mod lang_switch;
