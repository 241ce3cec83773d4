//! The `gongshi` command. All logic lives in the library; see `cli`.

/// mimalloc: the build allocates many small strings on every core; glibc's
/// allocator spent a third of a 10,000-risk build in malloc and free.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(gongshi::cli::run());
}
