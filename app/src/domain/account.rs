//! Account fields: emails, display names and passwords.
use unicode_normalization::UnicodeNormalization;

pub const MIN_PASSWORD_CHARS: usize = 8;
/// Generous, so pass phrases fit; bounded, so hashing stays cheap.
pub const MAX_PASSWORD_CHARS: usize = 256;
const MAX_EMAIL_CHARS: usize = 254;
const MAX_NAME_CHARS: usize = 100;

/// A plausible email address, trimmed and lower-cased. Delivery is not
/// checked: Firebreak sends no mail, the address is a login name.
pub fn parse_email(text: &str) -> Result<String, String> {
    let email = text.trim().to_lowercase();
    if email.is_empty() {
        return Err("must not be empty".into());
    }
    if email.chars().count() > MAX_EMAIL_CHARS {
        return Err(format!("must be at most {MAX_EMAIL_CHARS} characters"));
    }
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        }
        None => false,
    };
    if !valid || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("must look like name@example.com".into());
    }
    Ok(email)
}

/// A display name: one line, not empty, NFC-normalised.
pub fn parse_display_name(text: &str) -> Result<String, String> {
    let name: String = text.trim().nfc().collect();
    if name.is_empty() {
        return Err("must not be empty".into());
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(format!("must be at most {MAX_NAME_CHARS} characters"));
    }
    if name.chars().any(char::is_control) {
        return Err("must be one line without control characters".into());
    }
    Ok(name)
}

/// Checks a new password's length; any characters are allowed.
pub fn check_new_password(text: &str) -> Result<(), String> {
    let n = text.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(format!("must be at least {MIN_PASSWORD_CHARS} characters"));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(format!("must be at most {MAX_PASSWORD_CHARS} characters"));
    }
    if text.contains('\0') {
        return Err("must not contain NUL characters".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_lowercased_and_checked() {
        assert_eq!(
            parse_email(" Ada@Example.COM "),
            Ok("ada@example.com".into())
        );
        for bad in [
            "",
            "ada",
            "@example.com",
            "ada@",
            "a b@example.com",
            "a@b@c",
            "ada@.com",
        ] {
            assert!(parse_email(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn passwords_need_eight_and_accept_sixty_four() {
        assert!(check_new_password("short").is_err());
        assert!(check_new_password("eight ch").is_ok());
        assert!(check_new_password(&"x".repeat(64)).is_ok());
        assert!(check_new_password(&"x".repeat(257)).is_err());
        assert!(check_new_password("with\0nul").is_err());
    }

    #[test]
    fn names_are_one_line() {
        assert_eq!(parse_display_name("  Ada  "), Ok("Ada".into()));
        assert!(parse_display_name("a\nb").is_err());
        assert!(parse_display_name(" ").is_err());
    }
}
