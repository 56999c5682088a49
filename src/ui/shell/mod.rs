//! The frame around every screen: the top bar, hash routes, toasts and the update banner.

pub mod header;
pub mod route;
pub mod toast;
pub mod update;
