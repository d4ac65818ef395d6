//! Password hashing on a bounded blocking pool. argon2id costs tens of milliseconds of CPU
//! and 19 MiB per hash: run on the async threads it would stall every other request, and run
//! without a bound a login flood would exhaust memory. So at most `workers` hashes run at
//! once, at most `queue` more wait, and anything beyond gets `Overloaded` at once.

use std::sync::Arc;

use argon2::{Algorithm, Argon2, Params, PasswordHasher as _, PasswordVerifier as _, Version};
use fixdesk_domain::Password;
use tokio::sync::{OnceCell, Semaphore};

use fixdesk_usecases::ServiceError;

/// OWASP's argon2id recommendation: m = 19456 KiB, t = 2, p = 1.
const M_COST: u32 = 19_456;
const T_COST: u32 = 2;
const P_COST: u32 = 1;
/// The PHC prefix of a hash made with the current parameters; anything else is re-hashed at
/// the next successful sign-in.
const CURRENT_PREFIX: &str = "$argon2id$v=19$m=19456,t=2,p=1$";
/// Longer inputs are refused before hashing: no real password is this long, and hashing
/// megabytes on demand is a cheap denial of service.
const MAX_INPUT_BYTES: usize = 1024;

#[derive(Debug, Clone, Copy)]
pub struct HashingLimits {
    pub workers: usize,
    pub queue: usize,
}

impl Default for HashingLimits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            workers: cores,
            queue: 32 * cores,
        }
    }
}

/// The outcome of checking a password against a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    pub matches: bool,
    /// The hash is bcrypt or uses older parameters and should be replaced.
    pub needs_rehash: bool,
}

#[derive(Debug, Clone)]
pub struct PasswordHasher {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// Workers plus waiting places: a request that cannot get one is shed.
    admission: Semaphore,
    workers: Semaphore,
    /// A real hash of a random password, verified against when the user does not exist so
    /// that unknown names cost as much time as wrong passwords.
    dummy: OnceCell<String>,
}

fn argon2() -> Result<Argon2<'static>, ServiceError> {
    let params = Params::new(M_COST, T_COST, P_COST, None).map_err(ServiceError::internal)?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

impl PasswordHasher {
    pub fn new(limits: HashingLimits) -> Self {
        let workers = limits.workers.max(1);
        Self {
            inner: Arc::new(Inner {
                admission: Semaphore::new(workers + limits.queue),
                workers: Semaphore::new(workers),
                dummy: OnceCell::new(),
            }),
        }
    }

    /// Runs CPU-heavy `job` on the blocking pool within the bounds.
    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> Result<T, ServiceError> + Send + 'static,
    ) -> Result<T, ServiceError> {
        let _admitted =
            self.inner
                .admission
                .try_acquire()
                .map_err(|_| ServiceError::Overloaded {
                    retry_after_secs: 1,
                })?;
        let _worker = self
            .inner
            .workers
            .acquire()
            .await
            .map_err(ServiceError::internal)?;
        tokio::task::spawn_blocking(job)
            .await
            .map_err(ServiceError::internal)?
    }

    pub async fn hash(&self, password: &Password) -> Result<String, ServiceError> {
        let plain = password.expose().to_owned();
        self.run(move || {
            argon2()?
                .hash_password(plain.as_bytes())
                .map(|h| h.to_string())
                .map_err(ServiceError::internal)
        })
        .await
    }

    /// Checks `password` against `stored` (argon2id or the old service's bcrypt). With no
    /// stored hash it still spends the time of a real check, and reports no match.
    pub async fn verify(
        &self,
        password: &str,
        stored: Option<&str>,
    ) -> Result<Verified, ServiceError> {
        if password.len() > MAX_INPUT_BYTES {
            return Ok(Verified {
                matches: false,
                needs_rehash: false,
            });
        }
        let (hash, real) = match stored {
            Some(h) => (h.to_owned(), true),
            None => (self.dummy_hash().await?.clone(), false),
        };
        let plain = password.to_owned();
        self.run(move || {
            let matches = if hash.starts_with("$2") {
                bcrypt::verify(&plain, &hash).unwrap_or(false)
            } else {
                argon2()?
                    .verify_password(plain.as_bytes(), hash.as_str())
                    .is_ok()
            };
            Ok(Verified {
                matches: matches && real,
                needs_rehash: !hash.starts_with(CURRENT_PREFIX),
            })
        })
        .await
    }

    async fn dummy_hash(&self) -> Result<&String, ServiceError> {
        self.inner
            .dummy
            .get_or_try_init(|| async {
                let random = uuid::Uuid::new_v4().to_string();
                let pw = Password::parse(&random).map_err(|e| ServiceError::Domain(e.into()))?;
                self.hash(&pw).await
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pw(s: &str) -> Password {
        Password::parse(s).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[tokio::test]
    async fn argon2id_round_trip_with_current_parameters() -> Result<(), ServiceError> {
        let h = PasswordHasher::new(HashingLimits::default());
        let hash = h.hash(&pw("correct horse")).await?;
        assert!(hash.starts_with(CURRENT_PREFIX), "{hash}");
        assert_eq!(
            h.verify("correct horse", Some(&hash)).await?,
            Verified {
                matches: true,
                needs_rehash: false
            }
        );
        assert!(!h.verify("wrong horse", Some(&hash)).await?.matches);
        Ok(())
    }

    #[tokio::test]
    async fn bcrypt_from_the_old_service_verifies_and_asks_for_rehash() -> Result<(), ServiceError>
    {
        let h = PasswordHasher::new(HashingLimits::default());
        let old = bcrypt::hash("benchpass123", 4).map_err(ServiceError::internal)?;
        assert_eq!(
            h.verify("benchpass123", Some(&old)).await?,
            Verified {
                matches: true,
                needs_rehash: true
            }
        );
        assert!(!h.verify("benchpass124", Some(&old)).await?.matches);
        Ok(())
    }

    #[tokio::test]
    async fn unknown_user_never_matches() -> Result<(), ServiceError> {
        let h = PasswordHasher::new(HashingLimits::default());
        assert!(!h.verify("anything", None).await?.matches);
        Ok(())
    }

    #[tokio::test]
    async fn sheds_work_beyond_workers_plus_queue() {
        let h = PasswordHasher::new(HashingLimits {
            workers: 1,
            queue: 0,
        });
        let slow = h.clone();
        let first = tokio::spawn(async move {
            slow.run(|| {
                std::thread::sleep(std::time::Duration::from_millis(300));
                Ok(())
            })
            .await
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let second = h.run(|| Ok(())).await;
        assert!(matches!(second, Err(ServiceError::Overloaded { .. })));
        assert!(matches!(first.await, Ok(Ok(()))));
    }
}
