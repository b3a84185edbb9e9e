//! The signature a receiver checks: `X-Firebreak-Signature: t=<unix>,v1=<hex>`
//! where the hex is HMAC-SHA256 with the endpoint's secret over
//! `"<t>.<body>"`. The time is signed too, so a receiver can refuse replays
//! (Stripe's scheme).
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

fn mac(secret: &str, timestamp: i64, body: &[u8]) -> HmacSha256 {
    // HMAC takes keys of any length, so this cannot fail.
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The header value for `body` sent at `timestamp` (unix seconds).
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    let digest = mac(secret, timestamp, body).finalize().into_bytes();
    format!("t={timestamp},v1={}", hex::encode(digest))
}

/// What a receiver does: the header parses, its time is within
/// `tolerance_secs` of `now`, and one `v1` matches (compared in constant time).
pub fn verify(secret: &str, header: &str, body: &[u8], now: i64, tolerance_secs: i64) -> bool {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", v)) => signatures.extend(hex::decode(v).ok()),
            _ => {}
        }
    }
    let Some(t) = timestamp else { return false };
    if (now - t).abs() > tolerance_secs {
        return false;
    }
    signatures
        .iter()
        .any(|s| mac(secret, t, body).verify_slice(s).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mac_is_rfc_4231_hmac_sha256() {
        // The crates compute RFC 4231's HMAC-SHA256 (test case 2)…
        let mut m = HmacSha256::new_from_slice(b"Jefe").unwrap();
        m.update(b"what do ya want for nothing?");
        let expected = hex::encode(m.finalize().into_bytes());
        assert_eq!(
            expected,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // …and the header is that HMAC over "<t>.<body>".
        let header = sign("secret", 1_700_000_000, br#"{"a":1}"#);
        let mut m = HmacSha256::new_from_slice(b"secret").unwrap();
        m.update(br#"1700000000.{"a":1}"#);
        assert_eq!(
            header,
            format!("t=1700000000,v1={}", hex::encode(m.finalize().into_bytes()))
        );
    }

    #[test]
    fn receivers_accept_only_a_fresh_untouched_body_with_the_right_secret() {
        let body = br#"{"event":"ping"}"#;
        let header = sign("whsec_x", 1000, body);
        assert!(verify("whsec_x", &header, body, 1000, 300));
        assert!(verify("whsec_x", &header, body, 1299, 300));
        assert!(!verify("whsec_x", &header, body, 1301, 300), "a replay");
        assert!(
            !verify("whsec_y", &header, body, 1000, 300),
            "another secret"
        );
        assert!(!verify(
            "whsec_x",
            &header,
            br#"{"event":"pong"}"#,
            1000,
            300
        ));
        assert!(!verify("whsec_x", "t=1000", body, 1000, 300));
        assert!(!verify("whsec_x", "garbage", body, 1000, 300));
        let moved = header.replace("t=1000", "t=1001");
        assert!(
            !verify("whsec_x", &moved, body, 1000, 300),
            "the time is signed"
        );
    }
}
