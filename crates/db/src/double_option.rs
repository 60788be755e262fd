//! For partial-update inputs: tells an absent field (`None`) from an explicit `null`
//! (`Some(None)`), so `null` can clear a nullable column. Use with
//! `#[serde(default, with = "db::double_option")]` on an `Option<Option<T>>`.

use serde::{Deserialize, Deserializer};

pub fn deserialize<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}
