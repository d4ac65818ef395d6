//! The proof a mail from a staff address must bring before it may act as staff (see
//! [`fixdesk_domain::mail_proof`]): a reply token the desk made for that person and ticket, or
//! the believed mail host's verdict for the sender's domain. Requesters' mail needs none: a
//! faked requester can only write on tickets the real one could (and is told of every message
//! on them), while a faked staff member could answer anyone's ticket in the desk's name.

use fixdesk_domain::mail_proof::{TokenScope, token_in, verified_by};
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Hex digits of a token: 128 bits of the HMAC.
const TOKEN_HEX: usize = 32;

/// The key reply tokens are made with, derived from the token-signing secret (so every
/// instance of one desk agrees, and rotating the secret retires old tokens).
#[derive(Clone)]
pub(crate) struct ReplyKey([u8; 32]);

impl std::fmt::Debug for ReplyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReplyKey(***)")
    }
}

impl ReplyKey {
    pub(crate) fn derive(secret: &[u8]) -> Self {
        let mut mac = mac_with(secret);
        mac.update(b"fixdesk mail reply tokens v1");
        Self(mac.finalize().into_bytes().into())
    }

    /// The token for a mail about `scope`.
    pub(crate) fn token(&self, scope: TokenScope) -> String {
        let mut mac = mac_with(&self.0);
        mac.update(scope.message().as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .take(TOKEN_HEX / 2)
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Whether one of the message ids a reply answers carries a token of ours for `user` about
    /// `ticket`.
    pub(crate) fn answers(&self, answered: &[String], user: i64, ticket: i64) -> bool {
        answered
            .iter()
            .filter_map(|id| token_in(id))
            .any(|(scope, token)| {
                scope.user == user
                    && scope.ticket == ticket
                    && constant_time_eq(self.token(scope).as_bytes(), token.as_bytes())
            })
    }
}

fn mac_with(key: &[u8]) -> HmacSha256 {
    // HMAC takes a key of any length: the fallback is never taken.
    HmacSha256::new_from_slice(key).unwrap_or_else(|_| HmacSha256::new(&Default::default()))
}

/// Compares without stopping at the first difference, so timing tells nothing of a token.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What proved a staff sender, for the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Proof {
    /// The mail answers one the desk sent to them about this ticket.
    ReplyToken,
    /// The believed mail host checked the sender's domain by this method.
    MailHost(&'static str),
    /// An admin re-delivered it after reading it.
    Admin,
}

impl Proof {
    pub(crate) fn as_str(self) -> String {
        match self {
            Proof::ReplyToken => "a reply token".into(),
            Proof::MailHost(method) => format!("the mail host's {method} pass"),
            Proof::Admin => "an admin's re-delivery".into(),
        }
    }
}

/// The proof a message brings for `user` (its sender's account) acting on `ticket` (`None`:
/// filing a new one), if any.
pub(crate) fn proof<'a>(
    key: &ReplyKey,
    authserv_id: Option<&str>,
    headers: impl IntoIterator<Item = (&'a str, &'a str)>,
    sender: &str,
    answered: &[String],
    user: i64,
    ticket: Option<i64>,
) -> Option<Proof> {
    if let Some(t) = ticket
        && key.answers(answered, user, t)
    {
        return Some(Proof::ReplyToken);
    }
    let authserv_id = authserv_id?;
    verified_by(headers, authserv_id, sender).map(Proof::MailHost)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_proves_only_its_person_and_ticket_under_its_key() {
        let key = ReplyKey::derive(b"secret one");
        let scope = TokenScope {
            ticket: 7,
            notification: 70,
            user: 3,
        };
        let id = fixdesk_domain::mail_proof::message_id_with_token(scope, &key.token(scope), "d");
        let answered = vec!["<other@x>".to_string(), id];
        assert!(key.answers(&answered, 3, 7));
        assert!(!key.answers(&answered, 4, 7), "another person");
        assert!(!key.answers(&answered, 3, 8), "another ticket");
        assert!(
            !ReplyKey::derive(b"secret two").answers(&answered, 3, 7),
            "another desk's key"
        );
        let forged = fixdesk_domain::mail_proof::message_id_with_token(
            scope,
            "00000000000000000000000000000000",
            "d",
        );
        assert!(!key.answers(&[forged], 3, 7));
        assert_eq!(key.token(scope).len(), TOKEN_HEX);
    }
}
