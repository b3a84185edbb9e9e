//! Random secrets (session ids, API tokens, invitation links) and the
//! hashes the store keeps instead of them. They carry 256 random bits, so
//! a fast hash (SHA-256) is enough; passwords use argon2 instead.
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Every API token starts with this, so secret scanners can spot them.
pub const TOKEN_PREFIX: &str = "fbk_";

pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn new_api_token() -> String {
    format!("{TOKEN_PREFIX}{}", random_secret())
}

/// The first characters of a token, shown to tell tokens apart.
pub fn token_display_prefix(token: &str) -> String {
    token.chars().take(TOKEN_PREFIX.len() + 6).collect()
}

pub fn hash_secret(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_and_hash_stably() {
        let (a, b) = (random_secret(), random_secret());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(hash_secret(&a), hash_secret(&a));
        assert_ne!(hash_secret(&a), hash_secret(&b));
        assert_eq!(hash_secret("abc").len(), 64);
        assert!(new_api_token().starts_with(TOKEN_PREFIX));
        assert_eq!(token_display_prefix("fbk_abcdefghij"), "fbk_abcdef");
    }
}
