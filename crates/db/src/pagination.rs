//! Page requests and answers shared by every list (API.md: `page` from 1, `per_page`
//! default 20, max 100).

use serde::Serialize;

pub const DEFAULT_PER_PAGE: i64 = 20;
pub const MAX_PER_PAGE: i64 = 100;

/// A clamped page request: out-of-range values are pulled into range rather than refused,
/// as lists are browsed by people editing URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: i64,
    pub per_page: i64,
}

impl PageRequest {
    pub fn new(page: Option<i64>, per_page: Option<i64>) -> Self {
        Self {
            page: page.unwrap_or(1).max(1),
            per_page: per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE),
        }
    }

    pub fn offset(&self) -> i64 {
        (self.page - 1).saturating_mul(self.per_page)
    }
}

/// One page of a list, as every list endpoint answers it.
#[derive(Debug, Clone, Serialize, PartialEq, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

impl<T> Page<T> {
    pub fn new(items: Vec<T>, total: i64, req: PageRequest) -> Self {
        Self {
            items,
            total,
            page: req.page,
            per_page: req.per_page,
        }
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            total: self.total,
            page: self.page,
            per_page: self.per_page,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamps_out_of_range_requests() {
        assert_eq!(
            PageRequest::new(Some(0), Some(1000)),
            PageRequest {
                page: 1,
                per_page: 100
            }
        );
        assert_eq!(PageRequest::new(None, Some(0)).per_page, 1);
        assert_eq!(PageRequest::new(Some(3), Some(20)).offset(), 40);
    }
}
