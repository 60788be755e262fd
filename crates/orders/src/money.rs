//! Order arithmetic in integer cents.

/// The VAT contained in a gross amount at `rate_basis_points` (1700 = 17 %), rounded to the
/// nearest cent (half up): gross × rate / (1 + rate).
pub fn included_vat(gross_cents: i64, rate_basis_points: i32) -> i64 {
    let rate = i128::from(rate_basis_points);
    let gross = i128::from(gross_cents);
    let divisor = 10_000 + rate;
    let vat = (gross * rate * 2 + divisor) / (divisor * 2);
    i64::try_from(vat).unwrap_or(i64::MAX)
}

/// A readable order number: the vendor code's first three letters or digits, upper case, and
/// the vendor's running count (`luxtech`, 123 -> `LUX-000123`).
pub fn order_number(vendor_code: &str, number: i64) -> String {
    let prefix: String = vendor_code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(3)
        .collect::<String>()
        .to_ascii_uppercase();
    format!("{prefix}-{number:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vat_included_at_seventeen_percent() {
        // 117.00 gross holds 17.00 VAT; 10.00 holds 1.45299... -> 1.45.
        assert_eq!(included_vat(11_700, 1700), 1_700);
        assert_eq!(included_vat(1_000, 1700), 145);
        assert_eq!(included_vat(0, 1700), 0);
        assert_eq!(included_vat(1_000, 0), 0);
        // Half a cent rounds up: 3 cents at 20 % hold 0.5 cents.
        assert_eq!(included_vat(3, 2000), 1);
    }

    #[test]
    fn order_numbers_are_readable() {
        assert_eq!(order_number("luxtech", 123), "LUX-000123");
        assert_eq!(order_number("a-b", 7), "AB-000007");
        assert_eq!(order_number("shop9", 1_234_567), "SHO-1234567");
    }
}
