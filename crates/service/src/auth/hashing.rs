//! Password hashing on a fixed pool of threads. argon2id costs tens of milliseconds of CPU and
//! 7 MiB per hash: on the async threads it would stall every other request, and without a
//! bound a login flood would exhaust memory. So:
//!
//! - `workers` threads hash, at most `queue` more hashes wait, anything beyond gets
//!   `Overloaded` at once;
//! - each worker owns the 7 MiB of argon2 memory it hashes in and reuses it while busy, so
//!   the peak is `workers` × 7 MiB however long a flood lasts, and gives it back to the
//!   system after [`IDLE`] without work, so memory returns to idle after the flood.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use argon2::{
    Algorithm, Argon2, Block, Params, Version,
    password_hash::phc::{Output, ParamsString, PasswordHash, Salt},
};
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender, TrySendError};
use fixdesk_domain::Password;
use tokio::sync::{OnceCell, oneshot};

use fixdesk_usecases::ServiceError;

/// One of OWASP's argon2id settings: m = 7168 KiB, t = 5, p = 1. OWASP lists it with
/// m = 19 MiB, t = 2 as giving the same defence (the attacker's cost is memory × passes); the
/// smaller memory is what keeps a login flood inside the server's memory budget.
const M_COST: u32 = 7_168;
const T_COST: u32 = 5;
const P_COST: u32 = 1;
/// The PHC prefix of a hash made with the current parameters; anything else (the old
/// service's bcrypt, earlier versions' m = 19 MiB) is re-hashed at the next sign-in.
const CURRENT_PREFIX: &str = "$argon2id$v=19$m=7168,t=5,p=1$";
/// Longer inputs are refused before hashing: no real password is this long, and hashing
/// megabytes on demand is a cheap denial of service.
const MAX_INPUT_BYTES: usize = 1024;
/// How long a worker keeps its memory without work.
const IDLE: Duration = Duration::from_secs(1);
/// Blocks (1 KiB each) reserved for a worker's memory: more than glibc's 32 MiB ceiling for
/// its adaptive mmap threshold, so the buffer is always a mapping of its own that freeing
/// returns to the system at once (a smaller one would stay cached in the thread's heap).
/// Only the blocks a hash uses are ever touched, so only they become resident.
const RESERVED_BLOCKS: usize = 33 * 1024;

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

/// argon2's working memory, reused by one worker. Counted in `held`, for `/metrics`.
struct Memory {
    blocks: Vec<Block>,
    held: Arc<AtomicUsize>,
}

impl Memory {
    fn new(held: Arc<AtomicUsize>) -> Self {
        held.fetch_add(1, Ordering::Relaxed);
        Self {
            blocks: Vec::with_capacity(RESERVED_BLOCKS),
            held,
        }
    }

    /// `n` blocks (zeroed only when first touched; argon2 overwrites every block it uses).
    fn blocks(&mut self, n: usize) -> &mut [Block] {
        if self.blocks.len() < n {
            self.blocks.resize(n, Block::default());
        }
        &mut self.blocks[..n]
    }
}

impl Drop for Memory {
    fn drop(&mut self) {
        self.held.fetch_sub(1, Ordering::Relaxed);
    }
}

type Job = Box<dyn FnOnce(&mut Memory) + Send>;

#[derive(Debug, Clone)]
pub struct PasswordHasher {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    jobs: Sender<Job>,
    /// Workers holding argon2 memory right now.
    held: Arc<AtomicUsize>,
    /// A real hash of a random password, verified against when the user does not exist so
    /// that unknown names cost as much time as wrong passwords.
    dummy: OnceCell<String>,
}

fn argon2(params: Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn current_params() -> Result<Params, ServiceError> {
    Params::new(M_COST, T_COST, P_COST, None).map_err(ServiceError::internal)
}

/// Hashes `plain` with the current parameters and a fresh salt, into a PHC string.
fn hash_with(memory: &mut Memory, plain: &[u8]) -> Result<String, ServiceError> {
    let params = current_params()?;
    let salt_bytes: [u8; 16] = rand::random();
    let salt = Salt::new(&salt_bytes).map_err(ServiceError::internal)?;
    let mut out = [0u8; 32];
    let blocks = memory.blocks(params.block_count());
    argon2(params.clone())
        .hash_password_into_with_memory(plain, &salt_bytes, &mut out, blocks)
        .map_err(ServiceError::internal)?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(ServiceError::internal)?,
        salt: Some(salt),
        hash: Some(Output::new(&out).map_err(ServiceError::internal)?),
    };
    Ok(phc.to_string())
}

/// Whether `plain` matches the argon2 PHC string `stored` (any argon2 variant and parameters).
fn argon2_matches(memory: &mut Memory, plain: &[u8], stored: &str) -> bool {
    let mut check = || -> Option<bool> {
        let phc = PasswordHash::new(stored).ok()?;
        let algorithm = Algorithm::try_from(phc.algorithm.as_str()).ok()?;
        let version = match phc.version {
            Some(v) => Version::try_from(v).ok()?,
            None => Version::default(),
        };
        let params = Params::try_from(&phc).ok()?;
        let (salt, expected) = (phc.salt?, phc.hash?);
        let mut out = vec![0u8; expected.len()];
        let blocks = memory.blocks(params.block_count());
        Argon2::new(algorithm, version, params)
            .hash_password_into_with_memory(plain, &salt, &mut out, blocks)
            .ok()?;
        // `Output`'s equality is constant-time.
        Some(Output::new(&out).ok()? == expected)
    };
    check().unwrap_or(false)
}

/// A worker: hashes what comes in, keeps its memory while there is work, and frees it after
/// [`IDLE`] without any.
fn work(jobs: Receiver<Job>, held: Arc<AtomicUsize>) {
    let mut memory: Option<Memory> = None;
    loop {
        let job = if memory.is_some() {
            match jobs.recv_timeout(IDLE) {
                Ok(job) => job,
                Err(RecvTimeoutError::Timeout) => {
                    memory = None;
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match jobs.recv() {
                Ok(job) => job,
                Err(_) => return,
            }
        };
        job(memory.get_or_insert_with(|| Memory::new(held.clone())));
    }
}

impl PasswordHasher {
    pub fn new(limits: HashingLimits) -> Self {
        let workers = limits.workers.max(1);
        let (jobs, incoming) = crossbeam_channel::bounded(limits.queue);
        let held = Arc::new(AtomicUsize::new(0));
        for n in 0..workers {
            let (incoming, held) = (incoming.clone(), held.clone());
            let spawned = std::thread::Builder::new()
                .name(format!("fixdesk-hash-{n}"))
                .spawn(move || work(incoming, held));
            if let Err(e) = spawned {
                tracing::error!(error = %e, "cannot start a password-hashing thread");
            }
        }
        Self {
            inner: Arc::new(Inner {
                jobs,
                held,
                dummy: OnceCell::new(),
            }),
        }
    }

    /// Bytes of argon2 memory the workers hold right now: at most `workers` × 7 MiB during
    /// a flood of sign-ins, none a second after it.
    pub fn memory_held(&self) -> usize {
        self.inner.held.load(Ordering::Relaxed) * M_COST as usize * Block::SIZE
    }

    /// Runs CPU-heavy `job` on a hashing worker, or refuses at once when the queue is full.
    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce(&mut Memory) -> Result<T, ServiceError> + Send + 'static,
    ) -> Result<T, ServiceError> {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |memory| {
            // The caller may have gone away (a dropped request); nothing to do then.
            let _ = tx.send(job(memory));
        });
        match self.inner.jobs.try_send(job) {
            Ok(()) => {}
            Err(TrySendError::Full(_)) => {
                return Err(ServiceError::Overloaded {
                    retry_after_secs: 1,
                });
            }
            Err(TrySendError::Disconnected(_)) => {
                return Err(ServiceError::internal(std::io::Error::other(
                    "no password-hashing thread is running",
                )));
            }
        }
        rx.await.map_err(ServiceError::internal)?
    }

    pub async fn hash(&self, password: &Password) -> Result<String, ServiceError> {
        let plain = password.expose().to_owned();
        self.run(move |memory| hash_with(memory, plain.as_bytes()))
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
        self.run(move |memory| {
            let matches = if hash.starts_with("$2") {
                bcrypt::verify(&plain, &hash).unwrap_or(false)
            } else {
                argon2_matches(memory, plain.as_bytes(), &hash)
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
    async fn hashes_of_the_argon2_crate_itself_verify_and_old_parameters_ask_for_rehash()
    -> Result<(), ServiceError> {
        use argon2::PasswordHasher as _;
        let params = Params::new(8_192, 3, 1, None).map_err(ServiceError::internal)?;
        let theirs = argon2(params)
            .hash_password(b"legacy pass")
            .map_err(ServiceError::internal)?
            .to_string();
        let h = PasswordHasher::new(HashingLimits::default());
        assert_eq!(
            h.verify("legacy pass", Some(&theirs)).await?,
            Verified {
                matches: true,
                needs_rehash: true
            }
        );
        assert!(!h.verify("legacy pasS", Some(&theirs)).await?.matches);
        assert!(!h.verify("x", Some("$argon2id$garbage")).await?.matches);
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
    async fn a_flood_holds_at_most_one_buffer_per_worker_and_none_after_it() {
        let h = PasswordHasher::new(HashingLimits {
            workers: 2,
            queue: 64,
        });
        let stored = h.hash(&pw("correct horse")).await.unwrap_or_default();
        let mut peak = 0;
        let flood: Vec<_> = (0..24)
            .map(|_| {
                let (h, stored) = (h.clone(), stored.clone());
                tokio::spawn(async move { h.verify("guess", Some(&stored)).await })
            })
            .collect();
        for f in flood {
            peak = peak.max(h.memory_held());
            assert!(matches!(f.await, Ok(Ok(v)) if !v.matches));
        }
        let per_hash = M_COST as usize * Block::SIZE;
        assert!(peak <= 2 * per_hash, "peak {peak}");
        assert!(h.memory_held() > 0, "kept while there is work");
        tokio::time::sleep(IDLE * 3).await;
        assert_eq!(h.memory_held(), 0, "given back after the flood");
    }

    #[tokio::test]
    async fn sheds_work_beyond_workers_plus_queue() {
        let h = PasswordHasher::new(HashingLimits {
            workers: 1,
            queue: 1,
        });
        let slow = || {
            let h = h.clone();
            tokio::spawn(async move {
                h.run(|_| {
                    std::thread::sleep(Duration::from_millis(300));
                    Ok(())
                })
                .await
            })
        };
        let first = slow();
        tokio::time::sleep(Duration::from_millis(50)).await;
        let second = slow();
        tokio::time::sleep(Duration::from_millis(50)).await;
        let third = h.run(|_| Ok(())).await;
        assert!(matches!(third, Err(ServiceError::Overloaded { .. })));
        assert!(matches!(first.await, Ok(Ok(()))));
        assert!(matches!(second.await, Ok(Ok(()))));
    }
}
