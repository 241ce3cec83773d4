//! The `gongshi` command. All logic lives in the library; see `cli`.

/// mimalloc: the build allocates many small strings on every core; glibc's
/// allocator spent a third of a 10,000-risk build in malloc and free.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    no_huge_pages();
    purge_sooner();
    std::process::exit(gongshi::cli::run());
}

/// mimalloc's `mi_option_purge_delay` (its index in `mi_option_e`, the same
/// in mimalloc 2 and 3; the test below holds it to that option's default).
const PURGE_DELAY: std::ffi::c_int = 15;

/// Memory a thread has freed goes back to the system after 500 ms instead
/// of mimalloc 3's 1,000 ms. A large build frees its big documents (each
/// tens of MB) on other threads than the ones that allocate next, all
/// within a second; measured at 10,000 risks (BENCHMARKS.md): peak RSS
/// 343–410 MB with the default, 312–355 MB with 500 ms, no slower.
fn purge_sooner() {
    // SAFETY: sets one of mimalloc's integer options; no pointers.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, 500) };
}

/// Transparent huge pages off for this process: mimalloc asks for them,
/// and each is zeroed whole on first touch. Measured on the benchmark
/// machine (BENCHMARKS.md): 5 of 15 s of CPU at 100,000 risks went to that
/// zeroing; with 4 KiB pages the kernel time fell from ~7 s to ~2 s.
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with PR_SET_THP_DISABLE takes plain integers and only
    // sets a flag on this process; its result is deliberately ignored.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        // SAFETY: reads one of mimalloc's integer options.
        let default = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
        assert_eq!(
            default,
            1000,
            "option {} is not mimalloc 3's purge_delay",
            super::PURGE_DELAY
        );
    }
}
