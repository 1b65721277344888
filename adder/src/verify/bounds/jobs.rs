//! The search split into jobs, one per answer step and last token, each a
//! [`Run`] of its own with its own random digits: run one after the other,
//! or on every core with the `std` feature; merged in job order either
//! way, so the outcome does not depend on the threads' timing.

use super::certify::Certificate;
use super::kernel::{Kernel, MAX_LEN};
use super::search::{Effort, Run};
use super::state::tables;

/// One step `k` and the token before it.
#[derive(Clone, Copy)]
struct Job {
    k: usize,
    last: u8,
}

/// Every job: step 0 after the prompt's last token, then each later step
/// after each digit.
fn jobs(fixed: &[u8; MAX_LEN], prompt_len: usize) -> impl Iterator<Item = Job> + Clone + '_ {
    let first = Job {
        k: 0,
        last: fixed[prompt_len - 1],
    };
    let rest = (1..=10).flat_map(|k| (0..10).map(move |last| Job { k, last }));
    core::iter::once(first).chain(rest)
}

/// One job's run: its step's tables, then every state of it.
fn run_job<'k, const E: usize, const Q: usize, const KV: usize, const V: usize>(
    kernel: &'k Kernel<E, Q, KV, V>,
    pass: &Pass<'_>,
    job: Job,
    index: usize,
) -> Run<'k, E, Q, KV, V> {
    let seed = 0x9E37_79B9_7F4A_7C15u64.wrapping_mul((index + 1000 * pass.number) as u64 + 1);
    let mut run = Run::new(kernel, seed, pass.effort);
    let len = kernel.format.prompt_len() + job.k;
    let tables = tables(kernel, pass.fixed, len, job.last);
    run.step(&tables, job.k, job.last, pass.done);
    run
}

/// One pass over the states: the context's fixed tokens, how hard it
/// works on each state, and the states earlier passes settled.
pub(super) struct Pass<'a> {
    pub(super) number: usize,
    pub(super) fixed: &'a [u8; MAX_LEN],
    pub(super) effort: Effort,
    pub(super) done: Option<&'a Certificate>,
}

/// Every job, merged in order into one run.
#[cfg(not(feature = "std"))]
pub(super) fn run_all<'k, const E: usize, const Q: usize, const KV: usize, const V: usize>(
    kernel: &'k Kernel<E, Q, KV, V>,
    pass: &Pass<'_>,
) -> Run<'k, E, Q, KV, V> {
    let mut all = Run::new(kernel, 0, pass.effort);
    for (index, job) in jobs(pass.fixed, kernel.format.prompt_len()).enumerate() {
        all.absorb(&run_job(kernel, pass, job, index));
    }
    all
}

/// How far the verifier has got in its current pass, for a progress bar:
/// the jobs of the pass finished, of [`JOBS`]. With several verifiers
/// running in one process it is theirs together, so only a guide.
#[cfg(feature = "std")]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// The pass: 0 bounds every state once, 1 splits those left open.
    pub pass: usize,
    /// Its jobs finished.
    pub done: usize,
}

/// The jobs of a pass: step 0, then ten later steps after each digit.
pub const JOBS: usize = 1 + 10 * 10;

#[cfg(feature = "std")]
static PASS: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);
#[cfg(feature = "std")]
static DONE: core::sync::atomic::AtomicUsize = core::sync::atomic::AtomicUsize::new(0);

/// Where the verifier's latest pass is.
#[cfg(feature = "std")]
#[must_use]
pub fn progress() -> Progress {
    use core::sync::atomic::Ordering;
    Progress {
        pass: PASS.load(Ordering::Relaxed),
        done: DONE.load(Ordering::Relaxed),
    }
}

/// Every job, on as many threads as the machine has cores, merged in
/// order into one run.
#[cfg(feature = "std")]
pub(super) fn run_all<'k, const E: usize, const Q: usize, const KV: usize, const V: usize>(
    kernel: &'k Kernel<E, Q, KV, V>,
    pass: &Pass<'_>,
) -> Run<'k, E, Q, KV, V> {
    use core::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Mutex, PoisonError};
    use std::vec::Vec;

    let jobs: Vec<Job> = jobs(pass.fixed, kernel.format.prompt_len()).collect();
    let done: Vec<Mutex<Option<Run<'k, E, Q, KV, V>>>> =
        jobs.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    PASS.store(pass.number, Ordering::Relaxed);
    DONE.store(0, Ordering::Relaxed);
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    std::thread::scope(|scope| {
        for _ in 0..threads.min(jobs.len()) {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(&job) = jobs.get(index) else { break };
                    let run = run_job(kernel, pass, job, index);
                    *done[index].lock().unwrap_or_else(PoisonError::into_inner) = Some(run);
                    DONE.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    let mut all = Run::new(kernel, 0, pass.effort);
    for run in done {
        if let Some(run) = run.into_inner().unwrap_or_else(PoisonError::into_inner) {
            all.absorb(&run);
        }
    }
    all
}
