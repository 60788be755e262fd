//! The Letzshop marketplace: product feeds read as a stream, imported by background jobs into
//! a vendor's staging area, and published from there into the catalogue.

pub mod feed;
pub mod staging;
