//! The session cookie. HttpOnly and SameSite=Lax always. Over https, or on
//! a loopback address, it is also Secure and named with the `__Host-` prefix
//! (browsers and curl accept Secure cookies from 127.0.0.1). Plain http on
//! another host gets an unprefixed cookie without Secure, and a warning at
//! start-up, because clients drop a `__Host-` cookie that is not Secure.
use axum::http::header::COOKIE;
use axum::http::{HeaderMap, HeaderValue};

const SECURE_NAME: &str = "__Host-firebreak_session";
const PLAIN_NAME: &str = "firebreak_session";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CookiePolicy {
    pub secure: bool,
    /// Seconds the browser keeps the cookie: the session's absolute lifetime.
    pub max_age_secs: i64,
}

impl CookiePolicy {
    pub fn name(&self) -> &'static str {
        if self.secure { SECURE_NAME } else { PLAIN_NAME }
    }

    fn header(&self, value: &str, max_age: i64) -> HeaderValue {
        let secure = if self.secure { "; Secure" } else { "" };
        let cookie = format!(
            "{}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}",
            self.name()
        );
        HeaderValue::from_str(&cookie).expect("session secrets are URL-safe base64")
    }

    pub fn set(&self, secret: &str) -> HeaderValue {
        self.header(secret, self.max_age_secs)
    }

    pub fn clear(&self) -> HeaderValue {
        self.header("", 0)
    }

    /// The session secret the request carries, if any.
    pub fn read(&self, headers: &HeaderMap) -> Option<String> {
        headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, value)| *name == self.name() && !value.is_empty())
            .map(|(_, value)| value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secure_cookies_use_the_host_prefix() {
        let policy = CookiePolicy {
            secure: true,
            max_age_secs: 60,
        };
        let set = policy.set("abc");
        let text = set.to_str().unwrap();
        assert!(
            text.starts_with("__Host-firebreak_session=abc; Path=/;"),
            "{text}"
        );
        for attribute in ["HttpOnly", "SameSite=Lax", "Secure", "Max-Age=60"] {
            assert!(text.contains(attribute), "{attribute} in {text}");
        }
        assert!(!text.contains("Domain"), "{text}");
    }

    #[test]
    fn plain_http_cookies_drop_the_prefix_and_secure() {
        let policy = CookiePolicy {
            secure: false,
            max_age_secs: 60,
        };
        let text = policy.set("abc").to_str().unwrap().to_string();
        assert!(text.starts_with("firebreak_session=abc;"), "{text}");
        assert!(!text.contains("Secure"), "{text}");
    }

    #[test]
    fn reads_its_own_cookie_among_others() {
        let policy = CookiePolicy {
            secure: true,
            max_age_secs: 60,
        };
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            "a=b; __Host-firebreak_session=s3cret; firebreak_session=other"
                .parse()
                .unwrap(),
        );
        assert_eq!(policy.read(&headers), Some("s3cret".into()));
        headers.insert(COOKIE, "__Host-firebreak_session=".parse().unwrap());
        assert_eq!(policy.read(&headers), None);
    }
}
