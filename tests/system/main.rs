//! The cross-function tests, one module per area, in one test binary against one local
//! stack (`system_tests::stack()`). Every module's tests run in parallel threads of this
//! one process against that stack, so a test finds its own data by its own ids, users
//! and phone numbers, and the modules that run the dispatcher (`Api::tick`) book on
//! days no other module books on (`system_tests::days`).
mod access;
mod authorization;
mod carrier;
mod consent;
mod directory;
mod export;
mod inbound;
mod isolation;
mod lists;
mod logs;
mod messaging;
mod panel;
mod sms;
mod store;
mod studies;
mod webhook;
mod workspaces;
