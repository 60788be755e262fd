//! GTIN (EAN-8, UPC-A, EAN-13, GTIN-14) check digits.

use validator::ValidationError;

/// 8, 12, 13 or 14 digits whose last is the GS1 check digit of the others.
pub fn check(gtin: &str) -> Result<(), ValidationError> {
    let digits: Option<Vec<u32>> = gtin.chars().map(|c| c.to_digit(10)).collect();
    let valid = digits.is_some_and(|d| {
        matches!(d.len(), 8 | 12 | 13 | 14) && {
            let (body, last) = d.split_at(d.len() - 1);
            // From the right of the body: weights 3, 1, 3, 1, ...
            let sum: u32 = body
                .iter()
                .rev()
                .enumerate()
                .map(|(i, n)| if i % 2 == 0 { n * 3 } else { *n })
                .sum();
            (10 - sum % 10) % 10 == last[0]
        }
    });
    if valid {
        Ok(())
    } else {
        Err(ValidationError::new("gtin")
            .with_message("enter a GTIN of 8, 12, 13 or 14 digits with a valid check digit".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn check_digits() {
        for ok in [
            "4006381333931",
            "96385074",
            "036000291452",
            "10614141000415",
            "0000000000000",
        ] {
            assert!(check(ok).is_ok(), "{ok}");
        }
        for bad in [
            "4006381333932",
            "1234567",
            "40063813339a1",
            "",
            "12345678901234567",
        ] {
            assert!(check(bad).is_err(), "{bad}");
        }
    }
}
