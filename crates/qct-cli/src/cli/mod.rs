//! The `qct` command line: clap arguments → validated request → run → exit code.
//!
//! Exit status: 0 success, 1 a physics check failed, 2 usage, input or model error, 3 a
//! sweep with `--on-error record` finished with failing points (the count on stderr). Data
//! (text tables, JSON) goes to stdout; errors and notices to stderr.

mod args;
mod commands;
mod figure;
mod point_reports;
mod si_commands;

pub use args::Cli;
use args::{Command, DeriveArgs, DeriveFormat, Method, ModelArgs, PointArgs, SweepFormat};

use crate::report;
use clap::Parser;
use qct::error::{Error, Result};
use qct::model::{Model, References, builtin, json};
use qct::thermo::ForceBasis;
use std::process::ExitCode;

/// Parse `args` (including the program name) and run; errors go to stderr.
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) if e.use_stderr() => {
            // A usage error: its first line names the problem; point to --help for the rest.
            let message = e.to_string();
            let first = message.lines().next().unwrap_or("error: invalid arguments");
            eprintln!("{first} (see qct --help)");
            return ExitCode::from(2);
        }
        Err(e) => {
            let _ = e.print(); // --help, --version
            return ExitCode::SUCCESS;
        }
    };
    match execute(cli) {
        Ok(Output {
            text,
            passed,
            failed_points,
        }) => {
            print!("{text}");
            if failed_points > 0 {
                ExitCode::from(3)
            } else if passed {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// What a command prints on stdout, and whether its physics checks passed (exit 1 if not).
pub struct Output {
    pub text: String,
    pub passed: bool,
    /// Sweep points recorded as failed (`--on-error record`; exit 3 if any).
    pub failed_points: usize,
}

impl From<String> for Output {
    fn from(text: String) -> Output {
        Output {
            text,
            passed: true,
            failed_points: 0,
        }
    }
}

/// How this process uses the symbolic engine: stdout is machine-readable (JSON, LaTeX,
/// CSV, and the engine child's reply), so Symbolica's licence notice goes to stderr; and
/// every derivation runs in a fresh child process (deterministic term order), except in
/// that child itself (`qct engine`).
fn set_up_symbolic_engine(command: &Command) {
    qct::symbolic::engine::redirect_stdout_while_running(true);
    if !matches!(command, Command::Engine)
        && let Ok(exe) = std::env::current_exe()
    {
        qct::symbolic::isolate::isolate_in(exe);
    }
}

/// Run a parsed command and return what it prints on stdout.
pub fn execute(cli: Cli) -> Result<Output> {
    set_up_symbolic_engine(&cli.command);
    Ok(match cli.command {
        Command::Engine => commands::engine()?.into(),
        Command::Models { name, format } => commands::models(name, format)?.into(),
        Command::Solve {
            point,
            exact,
            method,
            units,
        } => commands::solve(&point, exact, method, units)?.into(),
        Command::Onsager {
            point,
            units,
            method: Some(method @ (Method::Lindblad | Method::Redfield)),
        } => commands::onsager_by_method(&point, units, method)?.into(),
        Command::Onsager { point, units, .. } => commands::onsager(&point, units)?.into(),
        Command::Derive { args } => derive(&args)?.into(),
        Command::Sweep {
            at,
            vary,
            quantity,
            format,
            shard,
            plot,
            level_lines,
            on_error,
            units,
            figure,
            method,
        } => sweep(
            method.into(),
            &at,
            &vary,
            &quantity,
            format,
            shard.as_deref(),
            plot.as_deref(),
            level_lines,
            on_error,
            units,
            &figure.style()?,
        )?,
        Command::Merge { files } => commands::merge(&files)?.into(),
        Command::Regime {
            point,
            units,
            method,
        } => point_reports::regime(&point, units, method.into())?.into(),
        Command::Performance {
            point,
            tradeoff: true,
            samples,
            plot,
            figure,
            units,
            method,
            ..
        } => {
            if method != Method::Pauli {
                return Err(Error::BadAssignment(
                    "--tradeoff uses the Pauli rate equation only; drop --method or --tradeoff"
                        .into(),
                ));
            }
            si_commands::tradeoff(&point, samples, plot.as_ref(), &figure, units)?.into()
        }
        Command::Performance { plot: Some(_), .. } => {
            return Err(Error::BadAssignment(
                "--plot draws the trade-off: give --tradeoff too".into(),
            ));
        }
        Command::Performance {
            point,
            units,
            method,
            ..
        } => point_reports::performance(&point, units, method.into())?.into(),
        Command::Icc {
            point,
            radius,
            directions,
            no_symbolic,
            units,
        } => commands::icc(&point, &radius, directions, no_symbolic, units)?.into(),
        Command::Bench {
            no_symbolic,
            format,
        } => commands::bench(no_symbolic, format)?.into(),
        Command::Derivations { out } => commands::derivations(&out)?.into(),
        Command::Noise { point, units } => si_commands::noise(&point, units)?.into(),
        Command::Fcs {
            point,
            lead,
            order,
            units,
        } => si_commands::fcs(&point, &lead, order, units)?.into(),
        Command::Check { point, rtol, units } => si_commands::check(&point, rtol, units)?,
    })
}

fn derive(args: &DeriveArgs) -> Result<String> {
    if (args.fragment || args.standalone) && args.format != DeriveFormat::Latex {
        return Err(Error::BadAssignment(format!(
            "--{} applies to --format latex only",
            if args.fragment {
                "fragment"
            } else {
                "standalone"
            }
        )));
    }
    let model = load_model(args.model.as_deref(), args.model_file.as_deref())?;
    let references = choose_references(&model, &args.reference)?;
    let basis = ForceBasis::new(&model, args.representation, references)?;
    let derivation = qct::symbolic::derive(&model, &basis, args.form)?;
    Ok(match args.format {
        DeriveFormat::Text => report::derivation::text(&derivation),
        DeriveFormat::Json => to_json(&report::derivation::DeriveReport::new(
            &derivation,
            args.syntax,
        )),
        DeriveFormat::Latex => report::derivation::latex(&derivation, !args.fragment),
    })
}

/// A progress bar on stderr for a long sweep (its length is set by the first point).
fn progress_bar() -> indicatif::ProgressBar {
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {pos}/{len} points, {elapsed} elapsed, about {eta} left",
    ) {
        bar.set_style(style);
    }
    bar
}

/// `qct sweep`: parse the grid and quantities, run, render, and draw.
#[allow(clippy::too_many_arguments)]
fn sweep(
    method: qct::method::Method,
    at: &ModelArgs,
    vary: &[String],
    quantities: &[String],
    format: SweepFormat,
    shard: Option<&str>,
    plot: Option<&std::path::Path>,
    level_lines: bool,
    on_error: qct::sweep::OnError,
    units: crate::report::units::Units,
    style: &crate::plot::Style,
) -> Result<Output> {
    use qct::sweep::{self as engine, Axis, Grid, Shard};
    use std::io::IsTerminal;
    let (model, values, united, basis) = at.resolve_with_unit_flags()?;
    let axes = vary
        .iter()
        .map(|v| v.parse::<Axis>())
        .collect::<Result<Vec<_>>>()?;
    for axis in &axes {
        let set_too = at.set.iter().any(|s| {
            s.split_once('=')
                .is_some_and(|(n, _)| n.trim() == axis.name)
        });
        if set_too {
            return Err(Error::BadAssignment(format!(
                "{} is both --set and --vary; give it once",
                axis.name
            )));
        }
    }
    let grid = Grid::new(axes)?;
    let physical =
        qct::sweep::sweep_in_physical_units(&model, &basis, &values, &united, &grid.axes)?;
    let si = units == crate::report::units::Units::Si;
    if si {
        crate::report::units::require_physical(physical)?;
    }
    let shard = shard.map(|s| s.parse::<Shard>()).transpose()?;
    if plot.is_some() && shard.is_some() {
        return Err(Error::Sweep(
            "--plot needs the whole grid: merge the shards, then plot an unsharded sweep".into(),
        ));
    }
    let quantities: Vec<String> = quantities.iter().map(|q| q.trim().to_string()).collect();
    let bar = std::io::stderr().is_terminal().then(progress_bar);
    let progress_bar = bar.as_ref().map(|bar| {
        move |points: usize| {
            bar.set_length(points as u64);
            bar.inc(1);
        }
    });
    let mut table = qct::quantity::sweep_table_with(
        method,
        &model,
        &values,
        &basis,
        &grid,
        &quantities,
        shard,
        progress_bar
            .as_ref()
            .map(|tick| tick as &(dyn Fn(usize) + Sync)),
        on_error,
    )?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let failed_points = table.failed_points();
    if failed_points > 0 {
        eprintln!(
            "qct sweep: {failed_points} of {} points failed (messages in the error column)",
            table.rows.len()
        );
    }
    if let Some(path) = plot {
        crate::report::figures::sweep_plot(
            path,
            &model,
            &basis,
            &values,
            &grid,
            &table,
            level_lines,
            style,
            units,
        )?;
    }
    // Figures are drawn from the natural-unit table (in SI scaled per axis); the printed
    // one follows --units.
    if si {
        crate::report::quantity_units::table_to_si(&mut table, &model, &basis);
    } else if physical {
        crate::report::quantity_units::table_physical_natural(&mut table);
    }
    let text = match format {
        SweepFormat::Csv => engine::to_csv(&table),
        SweepFormat::Json => engine::to_json(&table),
    };
    Ok(Output {
        text,
        passed: true,
        failed_points,
    })
}

/// A built-in by name or a JSON model file (exactly one of them).
fn load_model(name: Option<&str>, file: Option<&std::path::Path>) -> Result<Model> {
    match (name, file) {
        (Some(name), None) => builtin::builtin(name),
        (None, Some(path)) if path == std::path::Path::new("-") => {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|e| {
                Error::ModelFile {
                    path: "-".into(),
                    reason: format!("cannot read the model from stdin: {e}"),
                }
            })?;
            json::from_json(&text, "<stdin>")
        }
        (None, Some(path)) => json::from_file(path),
        (Some(_), Some(_)) => Err(Error::BadAssignment(
            "give either a built-in MODEL or --model-file, not both".into(),
        )),
        (None, None) => Err(Error::BadAssignment(format!(
            "no model: give a built-in MODEL ({}) or --model-file PATH",
            builtin::NAMES.join(", ")
        ))),
    }
}

/// Whether `--units si` applies, checking that the point has units.
fn si_json_units(
    model: &Model,
    point: &PointArgs,
    units: crate::report::units::Units,
) -> Result<bool> {
    if units == crate::report::units::Units::Natural {
        return Ok(false);
    }
    let (_, physical) = apply_assignments_with_units(model, &point.at.set)?;
    crate::report::units::require_physical(physical)?;
    Ok(true)
}

fn to_json(value: &impl serde::Serialize) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("reports serialise");
    s.push('\n');
    s
}

impl PointArgs {
    fn resolve(&self) -> Result<(Model, Vec<f64>, ForceBasis)> {
        self.at.resolve()
    }
}

impl ModelArgs {
    /// Load the model, apply `--set`, choose references and build the force basis.
    fn resolve(&self) -> Result<(Model, Vec<f64>, ForceBasis)> {
        let (model, values, united, basis) = self.resolve_with_unit_flags()?;
        let names: Vec<&str> = model.parameters.iter().map(|p| p.name.as_str()).collect();
        let roles: Vec<_> = model.parameters.iter().map(|p| p.role).collect();
        qct::units::check_mixing(&names, &roles, &values, &united)?;
        Ok((model, values, basis))
    }

    /// [`ModelArgs::resolve`] without the check that units are not mixed (a sweep checks
    /// it with its axes); also which values were given with units.
    fn resolve_with_unit_flags(&self) -> Result<(Model, Vec<f64>, Vec<bool>, ForceBasis)> {
        let model = load_model(self.model.as_deref(), self.model_file.as_deref())?;
        let (values, united) = assignments_with_unit_flags(&model, &self.set)?;
        qct::model::check_values(&model, &values)?;
        let references = choose_references(&model, &self.reference)?;
        let basis = ForceBasis::new(&model, self.representation, references)?;
        Ok((model, values, united, basis))
    }
}

/// Model defaults overridden by `NAME=VALUE` assignments (later ones win).
pub fn apply_assignments(model: &Model, assignments: &[String]) -> Result<Vec<f64>> {
    apply_assignments_with_units(model, assignments).map(|(values, _)| values)
}

/// [`apply_assignments`], values optionally with units (`eps=0.1meV`, `T_l=200mK`,
/// `gamma_l=1e9/s`; see [`qct::units`]); also says whether the point is in physical units
/// (natural units with the meV energy unit).
pub fn apply_assignments_with_units(
    model: &Model,
    assignments: &[String],
) -> Result<(Vec<f64>, bool)> {
    let mut parameters = model.parameters();
    parameters.assign(assignments)?;
    let physical = parameters.physical()?;
    // The defaults of a model file are checked too, even where a command never uses them.
    qct::model::check_values(model, parameters.values())?;
    Ok((parameters.values().to_vec(), physical))
}

/// Model defaults overridden by `NAME=VALUE` assignments, and which values carry a unit
/// (given or default); the mixing of units not checked.
fn assignments_with_unit_flags(
    model: &Model,
    assignments: &[String],
) -> Result<(Vec<f64>, Vec<bool>)> {
    let mut parameters = model.parameters();
    parameters.assign(assignments)?;
    Ok((parameters.values().to_vec(), parameters.united().to_vec()))
}

/// Reference leads from `--reference` choices ([`Model::references`]).
pub fn choose_references(model: &Model, choices: &[String]) -> Result<References> {
    model.references(choices)
}
