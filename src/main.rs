//! The `gongshi` command. All logic lives in the library; see `cli`.

/// mimalloc: the build allocates many small strings on every core; glibc's
/// allocator spent a third of a 10,000-risk build in malloc and free.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    no_huge_pages();
    let code = gongshi::cli::run();
    exit_now(code);
}

/// Ends the process without the C library's exit handlers, once what was
/// written is flushed. The handler that matters is mimalloc's: linked
/// statically, it frees and returns to the system every page the process
/// still holds (a 10,000-risk build spent ~30 ms of its last moments in
/// that), which the kernel does anyway, at once, when the process ends.
/// Nothing else of ours registers one; files are closed as they are written.
fn exit_now(code: i32) -> ! {
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    #[cfg(target_os = "linux")]
    // SAFETY: _exit takes a plain integer and does not return; the standard
    // streams were flushed above and no destructor is owed to the system.
    unsafe {
        libc::_exit(code)
    }
    #[cfg(not(target_os = "linux"))]
    std::process::exit(code)
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
