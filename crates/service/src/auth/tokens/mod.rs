//! Access tokens: HS256 JWTs carrying `sub` (the username, as the old API did), `exp`, `iat`
//! and `sid`, the session that can be revoked. A token without `exp` or `sid` is refused.

mod hs256;

use std::time::Duration;

use chrono::NaiveDateTime;
use fixdesk_domain::SessionId;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use fixdesk_usecases::ServiceError;

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    exp: i64,
    iat: i64,
    sid: String,
}

#[derive(Clone)]
pub(crate) struct TokenIssuer {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
}

impl std::fmt::Debug for TokenIssuer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenIssuer")
            .field("ttl", &self.ttl)
            .finish_non_exhaustive()
    }
}

impl TokenIssuer {
    pub(crate) fn new(secret: &[u8], ttl: Duration) -> Self {
        hs256::install();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_required_spec_claims(&["exp", "sub"]);
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl,
        }
    }

    pub(crate) fn ttl(&self) -> Duration {
        self.ttl
    }

    pub(crate) fn issue(
        &self,
        username: &str,
        session: &SessionId,
        issued_at: NaiveDateTime,
        expires_at: NaiveDateTime,
    ) -> Result<String, ServiceError> {
        let claims = Claims {
            sub: username.to_string(),
            exp: expires_at.and_utc().timestamp(),
            iat: issued_at.and_utc().timestamp(),
            sid: session.0.clone(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(ServiceError::internal)
    }

    /// The session a valid token names. Signature, algorithm and expiry are all checked.
    pub(crate) fn verify(&self, token: &str) -> Result<SessionId, ServiceError> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| SessionId(data.claims.sid))
            .map_err(|_| ServiceError::InvalidToken)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn issuer(secret: &str) -> TokenIssuer {
        TokenIssuer::new(secret.as_bytes(), Duration::from_secs(60))
    }

    #[test]
    fn round_trip_names_the_session() {
        let now = Utc::now().naive_utc();
        let t = issuer("k").issue(
            "alice",
            &SessionId("s1".into()),
            now,
            now + chrono::Duration::minutes(1),
        );
        let sid = t.and_then(|t| issuer("k").verify(&t));
        assert_eq!(sid.ok(), Some(SessionId("s1".into())));
    }

    #[test]
    fn rejects_expired_forged_and_exp_less_tokens() {
        let now = Utc::now().naive_utc();
        let sid = SessionId("s1".into());
        let expired = issuer("k").issue("a", &sid, now, now - chrono::Duration::minutes(5));
        assert!(expired.and_then(|t| issuer("k").verify(&t)).is_err());
        let forged = issuer("other").issue("a", &sid, now, now + chrono::Duration::minutes(5));
        assert!(forged.and_then(|t| issuer("k").verify(&t)).is_err());
        let no_exp = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &serde_json::json!({"sub": "a", "sid": "s1"}),
            &EncodingKey::from_secret(b"k"),
        );
        assert!(no_exp.is_ok_and(|t| issuer("k").verify(&t).is_err()));
    }

    #[test]
    fn only_hs256_is_spoken() {
        issuer("k");
        let claims =
            serde_json::json!({"sub": "a", "sid": "s1", "iat": 0, "exp": 4_102_444_800i64});
        let other = jsonwebtoken::encode(
            &Header::new(Algorithm::HS512),
            &claims,
            &EncodingKey::from_secret(b"k"),
        );
        assert!(other.is_err(), "no other algorithm signs");
        // A token whose header names another algorithm, signed with HS256 bytes, is refused.
        let good = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(b"k"),
        )
        .unwrap_or_default();
        let mut parts: Vec<&str> = good.split('.').collect();
        let hs384 = "eyJhbGciOiJIUzM4NCIsInR5cCI6IkpXVCJ9";
        parts[0] = hs384;
        assert!(issuer("k").verify(&parts.join(".")).is_err());
        assert!(issuer("k").verify(&good).is_ok());
    }
}
