//! The `selaras` command line: a thin shell over the library.

fn main() -> std::process::ExitCode {
    selaras::cli::main()
}
