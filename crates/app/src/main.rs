use std::process::ExitCode;

fn main() -> ExitCode {
    commissioner::cli::main()
}
