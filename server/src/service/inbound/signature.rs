//! PagerDuty's webhook signatures: `X-PagerDuty-Signature: v1=<hex>[,v1=<hex>]`,
//! each the HMAC-SHA256 of the raw body under a signing secret. Several are
//! sent while a secret is being rotated; any one may match.
use hmac::{Hmac, Mac};
use sha2::Sha256;

const MAX_SIGNATURES: usize = 8;

/// The v1 signatures in the header, decoded; other versions and malformed
/// parts are left out.
pub fn v1_signatures(header: &str) -> Vec<Vec<u8>> {
    header
        .split(',')
        .filter_map(|part| part.trim().strip_prefix("v1="))
        .filter_map(|hex_text| hex::decode(hex_text.trim()).ok())
        .filter(|bytes| bytes.len() == 32)
        .take(MAX_SIGNATURES)
        .collect()
}

/// Whether any of `signatures` is the body's HMAC under `secret`, each
/// compared in constant time.
pub fn matches(secret: &str, body: &[u8], signatures: &[Vec<u8>]) -> bool {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(body);
    signatures
        .iter()
        .any(|signature| mac.clone().verify_slice(signature).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign(secret: &str, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(body);
        hex::encode(mac.finalize().into_bytes())
    }

    #[test]
    fn parses_every_v1_signature() {
        let a = sign("one", b"x");
        let header = format!("v1={a}, v0=abcd,v1=nothex, v1={}", sign("two", b"x"));
        assert_eq!(v1_signatures(&header).len(), 2);
        assert!(v1_signatures("").is_empty());
        assert!(v1_signatures("v1=abcd").is_empty());
    }

    #[test]
    fn any_listed_signature_may_match() {
        let body = br#"{"event":{}}"#;
        let header = format!(
            "v1={},v1={}",
            sign("old-secret", body),
            sign("new-secret", body)
        );
        let signatures = v1_signatures(&header);
        assert!(matches("new-secret", body, &signatures));
        assert!(matches("old-secret", body, &signatures));
        assert!(!matches("other-secret", body, &signatures));
        assert!(!matches("new-secret", b"tampered", &signatures));
    }
}
