//! The error every use case answers with: the domain's rule violations plus authentication,
//! overload, unavailable storage and opaque internal failures. A transport maps each to a
//! status once, at its edge; the storage layers provide their own conversions into it. It
//! lives here, at the bottom, so that those layers need not depend on the use-case port.

use thiserror::Error;

use crate::DomainError;

#[derive(Debug, Error)]
pub enum ServiceError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// No credentials were presented.
    #[error("Not authenticated")]
    NotAuthenticated,
    /// A token that is forged, expired, revoked or names a user that is gone.
    #[error("Некорректные учетные данные")]
    InvalidToken,
    /// Wrong username or password; deliberately the same for both.
    #[error("Неверное имя пользователя или пароль")]
    BadCredentials,
    #[error("Неактивный пользователь")]
    InactiveUser,
    /// Too many failed sign-ins for this account (from this address); try again later.
    #[error("Слишком много неудачных попыток входа, повторите попытку позже")]
    TooManyAttempts { retry_after_secs: u64 },
    /// A bounded resource is full; the client should retry after the given delay.
    #[error("Сервер перегружен, повторите попытку позже")]
    Overloaded { retry_after_secs: u64 },
    /// The database cannot make a change durable right now (disk full, file gone or
    /// read-only, connection lost): nothing was changed; the client may retry later.
    #[error("Хранилище данных временно недоступно, повторите попытку позже")]
    Unavailable { retry_after_secs: u64 },
    /// A fault the caller cannot fix. The source is logged, never shown.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ServiceError {
    pub fn internal(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        ServiceError::Internal(Box::new(e))
    }
}
