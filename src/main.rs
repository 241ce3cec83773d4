//! The `gongshi` command. All logic lives in the library; see `cli`.

fn main() {
    std::process::exit(gongshi::cli::run());
}
