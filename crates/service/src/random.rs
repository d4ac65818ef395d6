//! Random identifiers and secrets from the thread-local CSPRNG.

use rand::{Rng as _, distr::Alphanumeric};

/// `bytes` random bytes as lowercase hex.
pub(crate) fn hex(bytes: usize) -> String {
    let mut rng = rand::rng();
    (0..bytes)
        .map(|_| format!("{:02x}", rng.random::<u8>()))
        .collect()
}

/// A random password of `len` letters and digits.
pub(crate) fn password(len: usize) -> String {
    rand::rng()
        .sample_iter(Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}
