//! Password hashing with argon2id (the crate's defaults: 19 MiB, 2 passes),
//! always on the blocking pool so a login never stalls the async workers.
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use super::ServiceError;

pub async fn hash(password: String) -> Result<String, ServiceError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| ServiceError::Internal(format!("hashing a password: {e}")))
    })
    .await
    .map_err(|e| ServiceError::Internal(format!("password hashing task: {e}")))?
}

/// Whether `password` matches `stored`. With no stored hash (an unknown
/// email, an invitation not yet accepted) it still does the work of one
/// verification, so timing does not tell which emails have accounts.
pub async fn verify(password: String, stored: Option<String>) -> Result<bool, ServiceError> {
    tokio::task::spawn_blocking(move || {
        let decoy;
        let phc = match &stored {
            Some(s) => s.as_str(),
            None => {
                decoy = decoy_hash();
                decoy.as_str()
            }
        };
        let parsed = PasswordHash::new(phc)
            .map_err(|e| ServiceError::Internal(format!("stored password hash: {e}")))?;
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(ok && stored.is_some())
    })
    .await
    .map_err(|e| ServiceError::Internal(format!("password check task: {e}")))?
}

fn decoy_hash() -> String {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY
        .get_or_init(|| {
            let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
            Argon2::default()
                .hash_password(b"decoy password for unknown accounts", &salt)
                .map(|h| h.to_string())
                .unwrap_or_default()
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_and_verify() {
        let h = hash("correct horse".into()).await.unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(
            verify("correct horse".into(), Some(h.clone()))
                .await
                .unwrap()
        );
        assert!(!verify("wrong horse".into(), Some(h)).await.unwrap());
        assert!(!verify("anything".into(), None).await.unwrap());
    }
}
