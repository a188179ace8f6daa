fn main() -> std::process::ExitCode {
    qct_cli::cli::run(std::env::args_os())
}
