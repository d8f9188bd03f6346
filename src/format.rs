//! How numbers are written on screen. Plain functions, tested natively; the browser tests write
//! the same figures the same way to compare with what the page shows.

/// `1234567` → `1,234,567`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Cents as whole yuan, rounded half away from zero: `123450` → `¥1,235`.
pub fn yuan(cents: i64) -> String {
    // Half a yuan rounds away from zero; in i128 so that i64::MIN cents cannot overflow.
    let rounded = (cents as i128 + if cents >= 0 { 50 } else { -50 }) / 100;
    let digits = thousands(rounded.unsigned_abs() as i64);
    // The sign before the currency, as people write it: -¥1,500, not ¥-1,500.
    if rounded < 0 {
        format!("-¥{digits}")
    } else {
        format!("¥{digits}")
    }
}

/// A share as a percentage with one decimal: `0.6234` → `62.3%`.
pub fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(-1234567), "-1,234,567");
        assert_eq!(yuan(123_450), "¥1,235");
        assert_eq!(yuan(123_449), "¥1,234");
        assert_eq!(yuan(-150), "-¥2");
        assert_eq!(yuan(i64::MIN), "-¥92,233,720,368,547,758");
        assert_eq!(yuan(i64::MAX), "¥92,233,720,368,547,758");
        assert_eq!(percent(0.6234), "62.3%");
        assert_eq!(percent(1.0), "100.0%");
    }
}
