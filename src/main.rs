fn main() -> std::process::ExitCode {
    qct::cli::run(std::env::args_os())
}
