//! Helpers shared by the integration tests. Each test file takes what it
//! needs (`mod common;`), so some helpers are unused in any one of them.
#![allow(dead_code)]

pub mod browser;
pub mod changes_page;
pub mod markers;
pub mod output;
pub mod preview;
pub mod sheet;
pub mod site;
