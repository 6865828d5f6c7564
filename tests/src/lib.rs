//! Support code for ferrotest's end-to-end tests (see `differential.rs` and README.md).

pub mod normalise;
