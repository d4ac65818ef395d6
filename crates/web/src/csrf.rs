//! CSRF tokens. A form's token is a hash of a secret the browser holds only in an HttpOnly
//! cookie — the session token once signed in, a random pre-session value before — so another
//! site can neither read nor compute it, and nothing has to be stored on the server (several
//! instances agree without sharing state). A token dies with its session.

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The token for forms of the holder of `secret`.
pub fn token_for(secret: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(b"fixdesk-csrf\0");
    hash.update(secret.as_bytes());
    hex::encode(hash.finalize())
}

/// Whether `presented` is the token for `secret`, compared in constant time.
pub fn matches(secret: &str, presented: &str) -> bool {
    !secret.is_empty()
        && token_for(secret)
            .as_bytes()
            .ct_eq(presented.as_bytes())
            .into()
}

/// A fresh random pre-session secret.
pub fn new_secret() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_belongs_to_its_secret() {
        let a = new_secret();
        let b = new_secret();
        assert_ne!(a, b);
        assert!(matches(&a, &token_for(&a)));
        assert!(!matches(&a, &token_for(&b)));
        assert!(!matches(&a, ""));
        assert!(!matches("", &token_for("")));
    }
}
