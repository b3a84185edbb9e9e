//! The resources that load a page's data through server functions.
//!
//! Pages are server components (islands mode), so these resources are
//! awaited while the server renders and never travel with the page. The
//! codec, [`JsonBytes`], decodes from bytes as server functions do; it kept
//! each reply type's decoder in the browser bundle once, when whole pages
//! hydrated, and stays so every page loads its data one way.
use leptos::prelude::*;
use leptos::server::codee::{Decoder, Encoder};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// JSON, decoded from bytes like a server function's reply.
pub struct JsonBytes;

impl<T: Serialize> Encoder<T> for JsonBytes {
    type Error = serde_json::Error;
    type Encoded = String;

    fn encode(value: &T) -> Result<String, serde_json::Error> {
        serde_json::to_string(value)
    }
}

impl<T: DeserializeOwned> Decoder<T> for JsonBytes {
    type Error = serde_json::Error;
    type Encoded = str;

    fn decode(encoded: &str) -> Result<T, serde_json::Error> {
        serde_json::from_slice(encoded.as_bytes())
    }
}

/// A page's data, loaded on the server while the page renders.
pub type PageResource<T> = Resource<T, JsonBytes>;

/// [`Resource::new`], with the [`JsonBytes`] codec.
#[track_caller]
pub fn page_resource<T, S, Fut>(
    source: impl Fn() -> S + Send + Sync + 'static,
    fetcher: impl Fn(S) -> Fut + Send + Sync + 'static,
) -> PageResource<T>
where
    T: Serialize + DeserializeOwned + Send + Sync + 'static,
    S: Send + Sync + Clone + PartialEq + 'static,
    Fut: Future<Output = T> + Send + 'static,
{
    Resource::new_with_options(source, fetcher, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_what_it_encodes() {
        let value: Result<Vec<String>, String> = Ok(vec!["dns".into(), "é \"quoted\"".into()]);
        let encoded = <JsonBytes as Encoder<_>>::encode(&value).unwrap();
        let decoded: Result<Vec<String>, String> = JsonBytes::decode(&encoded).unwrap();
        assert_eq!(decoded, value);
    }

    #[test]
    fn rejects_what_is_not_json() {
        let decoded: Result<u32, _> = JsonBytes::decode("{not json");
        assert!(decoded.is_err());
    }
}
