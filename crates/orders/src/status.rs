//! The order status machine: one table of the moves an order may make, and the carriers a
//! shipped order names.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderStatus {
    Pending,
    Confirmed,
    Processing,
    Shipped,
    Delivered,
    Cancelled,
    Refunded,
}

/// Every move an order may make; anything else is refused (`INVALID_ORDER_STATUS`).
pub const TRANSITIONS: [(OrderStatus, OrderStatus); 8] = {
    use OrderStatus::*;
    [
        (Pending, Confirmed),
        (Confirmed, Processing),
        (Processing, Shipped),
        (Shipped, Delivered),
        (Pending, Cancelled),
        (Confirmed, Cancelled),
        (Processing, Cancelled),
        (Delivered, Refunded),
    ]
};

impl OrderStatus {
    pub const ALL: [OrderStatus; 7] = [
        OrderStatus::Pending,
        OrderStatus::Confirmed,
        OrderStatus::Processing,
        OrderStatus::Shipped,
        OrderStatus::Delivered,
        OrderStatus::Cancelled,
        OrderStatus::Refunded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Pending => "pending",
            OrderStatus::Confirmed => "confirmed",
            OrderStatus::Processing => "processing",
            OrderStatus::Shipped => "shipped",
            OrderStatus::Delivered => "delivered",
            OrderStatus::Cancelled => "cancelled",
            OrderStatus::Refunded => "refunded",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether the table has the move `self -> to`.
    pub fn may_become(self, to: OrderStatus) -> bool {
        TRANSITIONS.contains(&(self, to))
    }

    /// The moves open from here, in the table's order.
    pub fn next(self) -> Vec<OrderStatus> {
        TRANSITIONS
            .iter()
            .filter(|(from, _)| *from == self)
            .map(|(_, to)| *to)
            .collect()
    }
}

/// The carriers a shipped order can name, each with its tracking page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Carrier {
    /// Post Luxembourg.
    PostLu,
    Dhl,
    Dpd,
    Ups,
    Gls,
}

impl Carrier {
    pub const ALL: [Carrier; 5] = [
        Carrier::PostLu,
        Carrier::Dhl,
        Carrier::Dpd,
        Carrier::Ups,
        Carrier::Gls,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Carrier::PostLu => "post_lu",
            Carrier::Dhl => "dhl",
            Carrier::Dpd => "dpd",
            Carrier::Ups => "ups",
            Carrier::Gls => "gls",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }

    /// Where the customer follows the parcel (the number is letters and digits only).
    pub fn tracking_url(self, number: &str) -> String {
        match self {
            Carrier::PostLu => format!(
                "https://www.post.lu/particuliers/colis-courrier/track-and-trace#/search/{number}"
            ),
            Carrier::Dhl => {
                format!("https://www.dhl.com/lu-en/home/tracking.html?tracking-id={number}")
            }
            Carrier::Dpd => format!("https://tracking.dpd.de/status/en_US/parcel/{number}"),
            Carrier::Ups => format!("https://www.ups.com/track?tracknum={number}"),
            Carrier::Gls => format!("https://gls-group.com/LU/en/parcel-tracking?match={number}"),
        }
    }
}

/// A move of an order, with a note for its history; a delivered parcel names its carrier
/// and tracking number when it ships.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub status: OrderStatus,
    #[validate(length(max = 1000))]
    #[schema(max_length = 1000)]
    pub note: Option<String>,
    pub carrier: Option<Carrier>,
    #[validate(length(min = 1, max = 60), custom(function = "valid_tracking"))]
    #[schema(min_length = 1, max_length = 60, pattern = "^[A-Za-z0-9]{1,60}$")]
    pub tracking_number: Option<String>,
}

fn valid_tracking(value: &str) -> Result<(), validator::ValidationError> {
    if value.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Ok(());
    }
    Err(validator::ValidationError::new("tracking")
        .with_message("a tracking number is letters and digits".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_opens_exactly_the_documented_moves() {
        use OrderStatus::*;
        let open: Vec<(OrderStatus, Vec<OrderStatus>)> =
            OrderStatus::ALL.iter().map(|s| (*s, s.next())).collect();
        assert_eq!(
            open,
            vec![
                (Pending, vec![Confirmed, Cancelled]),
                (Confirmed, vec![Processing, Cancelled]),
                (Processing, vec![Shipped, Cancelled]),
                (Shipped, vec![Delivered]),
                (Delivered, vec![Refunded]),
                (Cancelled, vec![]),
                (Refunded, vec![]),
            ]
        );
        for status in OrderStatus::ALL {
            assert_eq!(OrderStatus::parse(status.as_str()), Some(status));
            assert!(!status.may_become(status), "{status:?} to itself");
        }
    }
}
