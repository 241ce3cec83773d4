//! The `gongshi` command. All logic lives in the library; see `cli`.

/// mimalloc: the build allocates many small strings on every core; glibc's
/// allocator spent a third of a 10,000-risk build in malloc and free.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    no_huge_pages();
    std::process::exit(gongshi::cli::run());
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
