//! clap argument definitions.

use clap::{Args, Parser, Subcommand, ValueEnum};
use qct::error::Named;
use qct::symbolic::{Form, Syntax};
use qct::thermo::Representation;
use std::path::PathBuf;

/// clap's parser for a library enum spelled by name; `--help` lists the names.
fn named<T: Named + Send + Sync>() -> impl clap::builder::TypedValueParser<Value = T> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(T::names()).try_map(|text: String| T::from_name(&text))
}

/// qct — thermodynamics of quantum dots coupled to thermal leads (sequential tunnelling,
/// Pauli master equation). Units: k_B = hbar = 1; energies, temperatures and chemical
/// potentials share one energy unit; rates and currents are per unit time.
#[derive(Debug, Parser)]
#[command(name = "qct", version, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the built-in models with their parameters, defaults, units and seed sections.
    ///
    /// `qct models cqd --format json` prints a built-in written as a JSON model file.
    #[command(after_help = "Examples:\n  qct models\n  qct models icc --format json > icc.json")]
    Models {
        /// Show only this built-in model.
        name: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Solve the nonlinear Pauli steady state: probabilities, currents per lead, forces,
    /// fluxes, entropy production and conservation residuals.
    #[command(
        after_help = "Examples:\n  qct solve cqd\n  qct solve cqd --set eps_b=1 --set kappa=-2 --set T_l=1.5\n  \
                            qct solve sqd --representation heat --format json\n  \
                            qct solve --model-file examples/double_dot_two_terminal.json\n  \
                            qct solve sqd --set eps=0.1meV --set T_l=200mK --set T_r=100mK --set mu_l=0.05meV --set gamma_l=1ueV --set gamma_r=1ueV --units si"
    )]
    Solve {
        #[command(flatten)]
        point: PointArgs,
        /// Solve the Pauli problem in exact rational arithmetic (exact for the f64 Fermi
        /// factors of the point; up to 6 dots). An independent oracle for the f64 solver.
        #[arg(long, conflicts_with = "method")]
        exact: bool,
        /// Steady-state method: pauli (rate equation, default), lindblad (the secular
        /// Born–Markov Lindblad equation of seed App. A, up to 3 dots; its populations and
        /// currents must equal the Pauli ones) or redfield (Bloch–Redfield in the eigenbasis
        /// of H, up to 4 dots: differs from Pauli where eigenstates are split by less than
        /// about gamma). With interdot tunnelling, lindblad also works in the eigenbasis.
        #[arg(long, value_enum)]
        method: Option<Method>,
        /// Output units: natural (k_B = hbar = 1, default) or si (J, K, 1/s, A, W, W/K;
        /// text with engineering prefixes). si needs inputs with units, e.g.
        /// --set eps=0.1meV --set T_l=200mK --set gamma_l=1ueV.
        #[arg(long, value_enum, default_value_t = crate::report::units::Units::Natural)]
        units: crate::report::units::Units,
    },
    /// Numeric Onsager matrix L_ij = dJ_i/dF_j at the equilibrium of the given point
    /// (every lead at T of the energy reference, every lead of a component at mu of its
    /// particle reference), by exact linear response, with a finite-difference check.
    #[command(after_help = "Examples:\n  qct onsager icc --set eps_b=0.5\n  \
                            qct onsager sb --representation heat --format json\n  \
                            qct onsager cqd --reference energy=l --reference b=l\n  \
                            qct onsager serial_dd --set eps_1=0.3 --method redfield")]
    Onsager {
        #[command(flatten)]
        point: PointArgs,
        /// pauli (default: exact linear response) or lindblad/redfield in the eigenbasis of
        /// H (finite differences of that equation, beside the Pauli L).
        #[arg(long, value_enum)]
        method: Option<Method>,
        /// Output units: natural (default) or si (L entries in 1/s, W or J W by the flux
        /// and force; needs inputs with units; text with engineering prefixes).
        #[arg(long, value_enum, default_value_t = crate::report::units::Units::Natural)]
        units: crate::report::units::Units,
    },
    /// Closed-form Onsager coefficients derived symbolically (Symbolica): spectrum,
    /// forces, equilibrium, every L_ij, a proof of reciprocity, det L and the sign
    /// conditions of the cross coefficients.
    #[command(
        after_help = "Examples:\n  qct derive cqd\n  qct derive icc --format latex > icc.tex\n  \
                            qct derive sb --format json --syntax sympy\n  \
                            qct derive --model-file my.json --representation heat\n\n\
                            Symbolica runs unlicensed unless you hold a key: one symbolic run per user \
                            at a time (a second qct derive waits). Its notice is printed on stderr."
    )]
    Derive {
        #[command(flatten)]
        args: DeriveArgs,
    },
    /// Regenerate the checked-in derivations/ folder (LaTeX, JSON and README per built-in
    /// model, with the seed corrections and the ICC evidence). Deterministic.
    #[command(after_help = "Example:\n  cargo run --release -- derivations --out derivations")]
    Derivations {
        /// Folder to write into.
        #[arg(long, default_value = "derivations")]
        out: PathBuf,
    },
    /// Internal: the symbolic engine child process (reads a request on stdin, writes the
    /// derivation as JSON). Every derivation of the command line runs in such a child.
    #[command(name = "__engine", hide = true)]
    Engine,
    /// Measure qct's speed on this machine: cqd steady states/s and Onsager matrices/s (one
    /// core), a parallel sweep's scaling with cores, 10- and 12-dot steady states, and the
    /// symbolic derivation times of the built-ins.
    #[command(after_help = "Examples:\n  qct bench\n  qct bench --format json --no-symbolic")]
    Bench {
        /// Skip the symbolic derivation timings (do not start Symbolica).
        #[arg(long)]
        no_symbolic: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Cross-check: the closed forms evaluated at the equilibrium of the point against the
    /// numeric L (exact linear response) and against finite differences of the nonlinear
    /// solver. Exit status 1 if a relative deviation exceeds --rtol.
    #[command(
        after_help = "Examples:\n  qct check icc --set eps_b=-0.3 --set kappa_c=1\n  \
                            qct check --model-file examples/double_dot_two_terminal.json --format json"
    )]
    Check {
        #[command(flatten)]
        point: PointArgs,
        /// Tolerance on max |L_closed - L_other| / max |L_numeric|.
        #[arg(long, default_value_t = 1e-9)]
        rtol: f64,
        /// Output units: natural (default) or si (L entries in 1/s, W or J W by the flux
        /// and force; needs inputs with units; text with engineering prefixes).
        #[arg(long, value_enum, default_value_t = crate::report::units::Units::Natural)]
        units: crate::report::units::Units,
    },
    /// Classify the nonlinear operating point (seed Fig. 3): Seebeck or Peltier
    /// (conventional or not), heat engine, refrigerator, normal transport, pseudo-ICC,
    /// genuine ICC, or a trivial inverse response of a tightly coupled level below the
    /// reference; with the linear-response prediction from L, the gradients ΔT, Δμ beside
    /// the forces, and power/efficiency of engines and refrigerators.
    #[command(
        after_help = "Examples:\n  qct regime sqd --set T_l=1.2 --set mu_l=0.05\n  \
                            qct regime icc --set eps_b=0.1 --set kappa_c=0.25 --set kappa_s=0.25 --set T_l=1.05 --set mu_l=0.002 --format json\n  \
                            qct regime sb --set T_u=2 --set gamma_l1=0.1 --set gamma_r0=0.1\n  \
                            qct regime serial_dd --set eps_1=0.3 --set t=0.01 --set T_l=1.2 --method redfield\n\n\
                            JSON: \"regime\" and \"linear_prediction\" hold one of seebeck, seebeck_unconventional, \
                            peltier, peltier_unconventional, heat_engine, refrigerator, normal, pseudo_icc, \
                            genuine_icc, trivial_inverse, equilibrium, multi_force."
    )]
    Regime {
        #[command(flatten)]
        point: PointArgs,
        /// Steady-state method: pauli (rate equation, default), lindblad (secular Lindblad
        /// equation in the eigenbasis of H) or redfield (Bloch–Redfield, keeps coherences
        /// between near-degenerate eigenstates); up to 4 dots. L (and G, S, K, ZT) of
        /// lindblad/redfield by finite differences of their fluxes.
        #[arg(long, value_enum, default_value_t = Method::Pauli)]
        method: Method,
        /// Output units: natural (default) or si (forces, fluxes, gradients, Σ̇ and power in
        /// SI; text with engineering prefixes, particle fluxes as I = e J_N in A); needs
        /// inputs with units.
        #[arg(long, value_enum, default_value_t = crate::report::units::Units::Natural)]
        units: crate::report::units::Units,
    },
    /// Thermoelectric performance: power, efficiency and COP of the steady state; G, S, K,
    /// power factor and ZT = L_NQ^2/det L (heat representation) at its equilibrium with the
    /// linear-response maximum efficiency and efficiency at maximum power; and the engine
    /// optimised over its load (the bias of the particle force's lead).
    #[command(after_help = "Examples:\n  qct performance anderson --set T_l=1.1\n  \
                            qct performance sb --set T_u=1.5 --set gamma_l1=0.1 --set gamma_r0=0.1 --format json\n  \
                            qct performance serial_dd --set T_l=1.5 --set t=0.05 --method redfield\n\n\
                            Units (k_B = hbar = 1): G in particles/(time energy), S in k_B per particle, \
                            K in energy/(time temperature), power in energy/time; formulas in README.md.")]
    Performance {
        #[command(flatten)]
        point: PointArgs,
        /// Steady-state method: pauli (rate equation, default), lindblad (secular Lindblad
        /// equation in the eigenbasis of H) or redfield (Bloch–Redfield, keeps coherences
        /// between near-degenerate eigenstates); up to 4 dots; not with --tradeoff. L (and G, S, K, ZT) of
        /// lindblad/redfield by finite differences of their fluxes.
        #[arg(long, value_enum, default_value_t = Method::Pauli)]
        method: Method,
        /// Output units: natural (default) or si (W, K, S, V/K, W/K; needs inputs with
        /// units; text with engineering prefixes; with --tradeoff: biases in J, P, Q_c and
        /// W in W).
        #[arg(long, value_enum, default_value_t = crate::report::units::Units::Natural)]
        units: crate::report::units::Units,
        /// Instead: the engine's efficiency-power curve eta(P) and the refrigerator's
        /// COP(cooling power) over the load, with the linear-response curve from ZT.
        #[arg(long)]
        tradeoff: bool,
        /// Biases per trade-off curve.
        #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(4..=100_000))]
        samples: u32,
        /// With --tradeoff: draw eta/eta_C against P (.svg or .png).
        #[arg(long, value_name = "PATH")]
        plot: Option<PathBuf>,
        #[command(flatten)]
        figure: super::figure::FigureArgs,
    },
    /// Inverse currents in coupled transport: the linear-response wedge of force ratios
    /// (0 < F_N/F_E < -L_NE/L_NN when L_NE < 0, and its analogue for J_E), the nonlinear
    /// region found by scanning force directions around the point's equilibrium, and the
    /// level-ordering criterion from the symbolic layer evaluated at the point.
    #[command(
        after_help = "Examples:\n  qct icc icc --set eps_b=0.1 --set kappa_c=0.25 --set kappa_s=0.25 --set gamma_l0=0.01 --set gamma_r0=0.01\n  \
                            qct icc sqd --no-symbolic\n  \
                            qct icc --model-file examples/double_dot_two_terminal.json --format json\n\n\
                            The scan plane is (F_E/beta_ref, F_N): dimensionless; theta = 0 is +F_E, 90 deg is +F_N."
    )]
    Icc {
        #[command(flatten)]
        point: PointArgs,
        /// Radius of a direction scan in (F_E/beta_ref, F_N), in (0, 1). Repeatable.
        #[arg(long, default_values_t = vec![0.01, 0.2])]
        radius: Vec<f64>,
        /// Directions per scan, evenly spaced over the circle.
        #[arg(long, default_value_t = 720, value_parser = clap::value_parser!(u32).range(4..=1_000_000))]
        directions: u32,
        /// Skip the level-ordering criterion (do not start Symbolica).
        #[arg(long)]
        no_symbolic: bool,
        /// Output units: natural (default) or si (L in 1/s, W, J W; wedge bounds on F_N/F_E
        /// in J; needs inputs with units; text with engineering prefixes).
        #[arg(long, value_enum, default_value_t = crate::report::units::Units::Natural)]
        units: crate::report::units::Units,
    },
    /// Evaluate quantities on an N-D grid of parameters or forces, in parallel on all
    /// cores. A force axis (e.g. F_E^l) moves the leads around the equilibrium of the point,
    /// the other forces keeping the point's values.
    #[command(after_help = "Examples:\n  \
        qct sweep sqd --vary eps=-5:5:401 --quantity J_N^l --quantity sigma --plot current.svg\n  \
        qct sweep icc --vary eps_b=-1:1:81 --vary kappa_c=-3:3:121 --quantity L_NE --plot lne.png\n  \
        qct sweep icc --set eps_b=0.1 --set kappa_c=0.25 --set kappa_s=0.25 --set gamma_l0=0.01 --set gamma_r0=0.01 \\\n      \
        --vary F_E^l=-0.2:0.2:101 --vary F_N^l=-0.2:0.2:101 --quantity regime --plot regimes.svg\n  \
        qct sweep sqd --vary eps=-5:5:100001 --shard 3/8 > part3.csv   (then: qct merge part*.csv)\n  \
        qct sweep sqd --vary gamma_l=log:1e-3:1e3:61 --set mu_l=1 --quantity J_N^l,sigma --log-x --log-y --size 640x480 --dpi 300 --plot current.png\n  \
        qct sweep sqd --vary gamma_l=log:1e-3:1e3:61 --vary T_l=0.5,1,2 --vary eps=-2:2:41 --on-error record\n  \
        qct sweep sqd --set eps=0.1meV --set T_r=20mK --set gamma_l=1ueV --set gamma_r=1ueV --vary T_l=log:20mK:1K:30 --quantity I^l --units si\n  \
        qct sweep serial_dd --set t=0.05 --set T_l=1.5 --vary eps_1=-1:1:81 --quantity J_N^l,sigma --method redfield\n  \
        qct sweep zeeman_dot --set T_l=1.5 --vary B=0:2:21 --quantity J_S^l\n\n\
        Quantities (see README.md): J_N^LEAD, J_E^LEAD, J_Q^LEAD, J_S^LEAD (spin current J_N,up - J_N,down, \
        particles per unit time; models with spinful dots), I^LEAD (e J_N), the forces (F_N^l, ...), sigma, p_A, ..., \
        L_i_j, L_NN, L_NE, L_EN, L_EE, det_L, det_L_relative, regime, linear_regime, P, eta, eta_over_carnot, \
        cop, cop_over_carnot, G, S, K, power_factor, ZT, eta_max_over_carnot, eta_at_max_power_over_carnot, \
        S_J_N^LEAD (noise), fano_J_N^LEAD, tur_J_N^LEAD (also for J_E, J_Q; --method pauli only). \
        Default: the fluxes, sigma and regime. Grid: NAME=START:STOP:N (both ends included), \
        NAME=log:START:STOP:N or NAME=V1,V2,...; any number of axes, the first --vary slowest. A progress bar is drawn on stderr when it is a terminal.")]
    Sweep {
        #[command(flatten)]
        at: ModelArgs,
        /// A grid axis (a parameter or a force; any number of axes, the first slowest):
        /// NAME=START:STOP:N, NAME=log:START:STOP:N (log-spaced) or NAME=V1,V2,... (a list).
        #[arg(long, value_name = "NAME=START:STOP:N", required = true)]
        vary: Vec<String>,
        /// A quantity to evaluate (repeatable, or comma-separated).
        #[arg(long, value_name = "NAME", value_delimiter = ',')]
        quantity: Vec<String>,
        #[arg(long, value_enum, default_value_t = SweepFormat::Csv)]
        format: SweepFormat,
        /// Compute only the K-th of N contiguous parts of the grid (for job arrays); join the
        /// parts with `qct merge`.
        #[arg(long, value_name = "K/N")]
        shard: Option<String>,
        /// Also draw the sweep: .svg or .png. 1-D: lines of the numeric quantities; 2-D: a
        /// regime map when the first quantity is regime or linear_regime, else a heat map of
        /// the first quantity.
        #[arg(long, value_name = "PATH")]
        plot: Option<PathBuf>,
        /// Overlay the lines where a transition energy omega_t (minus the reference mu in
        /// the heat representation) vanishes, on 2-D maps over energy parameters.
        #[arg(long)]
        level_lines: bool,
        /// At a point that cannot be evaluated: stop (the first failing point is the error,
        /// exit 2) or record (a last column `error` with the message, the other cells of
        /// that row empty; exit 3 when some point failed, the count on stderr).
        #[arg(long, value_parser = named::<qct::sweep::OnError>(), default_value = "stop")]
        on_error: qct::sweep::OnError,
        /// Output units: natural (default) or si (every column in SI base units, its unit in
        /// brackets in the column name, e.g. `I^l [A]`); needs values with units, e.g.
        /// --vary T_l=log:10mK:1K:30 --set eps=0.1meV.
        #[arg(long, value_enum, default_value_t = crate::report::units::Units::Natural)]
        units: crate::report::units::Units,
        #[command(flatten)]
        figure: super::figure::FigureArgs,
        /// Steady-state method: pauli (rate equation, default), lindblad (secular Lindblad
        /// equation in the eigenbasis of H) or redfield (Bloch–Redfield, keeps coherences
        /// between near-degenerate eigenstates); up to 4 dots. L (and G, S, K, ZT) of
        /// lindblad/redfield by finite differences of their fluxes; the noise quantities
        /// need pauli. The header records the method.
        #[arg(long, value_enum, default_value_t = Method::Pauli)]
        method: Method,
    },
    /// Zero-frequency noise at one operating point (full counting statistics of the Pauli
    /// master equation): the mean and the matrix of second cumulants <<J_i J_j>> per unit time
    /// of J_N, J_E, J_Q of every lead and of the fluxes conjugate to the forces, Fano factors,
    /// TUR ratios <<JJ>> sigma/<J>^2 (>= 2) and the fluctuation-theorem check of the entropy
    /// counter. Noise is the second cumulant, without the electrical factor 2.
    #[command(
        after_help = "Examples:\n  qct noise sqd --set mu_l=2 --set mu_r=-2\n  \
                            qct noise cqd --set T_l=1.5 --representation heat --format json\n  \
                            qct noise sqd --set eps=0.1meV --set T_l=20mK --set T_r=20mK --set mu_l=0 --set gamma_l=1ueV --set gamma_r=1ueV --units si\n\n\
                            JSON keys: currents, mean, noise, fano, tur, entropy_production, fluxes, \
                            flux_mean, flux_noise, flux_tur, gallavotti_cohen_residual (see README.md)."
    )]
    Noise {
        #[command(flatten)]
        point: PointArgs,
        /// Output units: natural (default) or si (means in 1/s and W, noise in 1/s, J/s,
        /// J^2/s = W^2/Hz, each lead's charge current I in A with its noise S_I in A^2/Hz,
        /// two-sided and one-sided; needs inputs with units; text with engineering prefixes).
        #[arg(long, value_enum, default_value_t = crate::report::units::Units::Natural)]
        units: crate::report::units::Units,
    },
    /// Cumulants kappa_1 ... kappa_n per unit time of the particle, energy and heat transfers
    /// into the system from chosen leads, and of the entropy delivered to the reservoirs
    /// (sigma), by the recursive perturbation scheme for the tilted generator.
    #[command(
        after_help = "Examples:\n  qct fcs sqd --lead l --order 4 --set mu_l=2 --set mu_r=-2\n  \
                            qct fcs cqd --lead l --lead u --order 3 --format json\n  \
                            qct fcs sqd --lead l --set eps=0.1meV --set T_l=200mK --set T_r=100mK --set mu_l=0.3meV --set gamma_l=1ueV --set gamma_r=1ueV --units si\n\n\
                            JSON: \"cumulants\": {current: [kappa_1, ..., kappa_n]}."
    )]
    Fcs {
        #[command(flatten)]
        point: PointArgs,
        /// A lead whose transfers are counted (repeatable; default: every lead).
        #[arg(long, value_name = "LEAD")]
        lead: Vec<String>,
        /// Highest cumulant order.
        #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=8))]
        order: u32,
        /// Output units: natural (default) or si (kappa_n in X^n/s: particles 1/s, charge
        /// I = e J_N in A and C^n/s, energy W and J^n/s, entropy W/K and (J/K)^n/s; needs
        /// inputs with units).
        #[arg(long, value_enum, default_value_t = crate::report::units::Units::Natural)]
        units: crate::report::units::Units,
    },
    /// Join the shard files of a sharded `qct sweep` (CSV or JSON, any order) into exactly
    /// the file one unsharded run writes.
    #[command(after_help = "Example:\n  qct merge part1.csv part2.csv part3.csv > sweep.csv")]
    Merge {
        /// The shard files.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

/// Options of `qct derive`.
#[derive(Debug, Args)]
pub struct DeriveArgs {
    /// Built-in model: sqd, cqd, sb, icc, anderson, zeeman_dot (see `qct models`).
    pub model: Option<String>,
    /// A user model in JSON (up to 4 dots); `-` reads it from stdin.
    #[arg(long, value_name = "PATH")]
    pub model_file: Option<PathBuf>,
    /// Force-flux representation: energy (seed's, origin-dependent) or heat (origin-free).
    #[arg(long, value_parser = named::<Representation>(), default_value = "energy")]
    pub representation: Representation,
    /// Reference lead: energy=LEAD, DOT=LEAD or LEAD (see `qct solve --help`).
    #[arg(long, value_name = "CHOICE")]
    pub reference: Vec<String>,
    /// compact (default): L in named physical quantities (transition energies w, Fermi
    /// functions f, pair conductances G, loop conductances K), proved equal to the expanded
    /// form; boltzmann / fermi: the expanded form N_ij/(Z tau), with the weights written as
    /// h_ij = x_i x_j/(x_i + x_j) or h_ij = x_i f(omega_ij). JSON always has both.
    #[arg(long, value_parser = named::<Form>(), default_value = "compact")]
    pub form: Form,
    /// Output: text (the derivation step by step), json, or latex (a document).
    #[arg(long, value_enum, default_value_t = DeriveFormat::Text)]
    pub format: DeriveFormat,
    /// Notation of the expression strings in JSON output.
    #[arg(long, value_parser = named::<Syntax>(), default_value = "symbolica")]
    pub syntax: Syntax,
    /// LaTeX: a complete document (the default).
    #[arg(long, conflicts_with = "fragment")]
    pub standalone: bool,
    /// LaTeX: only the sections, to \\input into a manuscript.
    #[arg(long)]
    pub fragment: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DeriveFormat {
    Text,
    Json,
    Latex,
}

/// A model and an operating point.
#[derive(Debug, Args)]
pub struct PointArgs {
    #[command(flatten)]
    pub at: ModelArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// A model, parameter values and a force basis.
#[derive(Debug, Args)]
pub struct ModelArgs {
    /// Built-in model: sqd, cqd, sb, icc, anderson, zeeman_dot (see `qct models`).
    pub model: Option<String>,
    /// A user model in JSON (schema in README.md, examples in examples/); `-` reads it from
    /// stdin.
    #[arg(long, value_name = "PATH")]
    pub model_file: Option<PathBuf>,
    /// Set a parameter, NAME=VALUE (repeatable); unset parameters keep their defaults.
    #[arg(long = "set", value_name = "NAME=VALUE")]
    pub set: Vec<String>,
    /// Force-flux representation: energy (seed's, origin-dependent) or heat (origin-free).
    #[arg(long, value_parser = named::<Representation>(), default_value = "energy")]
    pub representation: Representation,
    /// Reference lead: energy=LEAD, DOT=LEAD (particles of DOT's component), or LEAD
    /// (both, for LEAD's component). Repeatable. Default: r for the built-ins.
    #[arg(long, value_name = "CHOICE")]
    pub reference: Vec<String>,
}

/// Output of `qct sweep`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SweepFormat {
    /// Comma-separated values with `# key: value` header lines.
    Csv,
    /// One JSON document (header, columns, rows).
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Method {
    /// Pauli master equation (state reduction).
    Pauli,
    /// Secular Lindblad equation for the full density matrix.
    Lindblad,
    /// Bloch–Redfield equation in the eigenbasis of H (keeps coherences between
    /// near-degenerate eigenstates; the non-secular comparator).
    Redfield,
}

impl From<Method> for qct::method::Method {
    fn from(method: Method) -> qct::method::Method {
        match method {
            Method::Pauli => qct::method::Method::Pauli,
            Method::Lindblad => qct::method::Method::Lindblad,
            Method::Redfield => qct::method::Method::Redfield,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned tables for people.
    Text,
    /// JSON with stable keys (see README.md).
    Json,
}
