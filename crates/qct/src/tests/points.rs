// Parameter points shared by the library's cross-checks (`tests/common.rs`) and the command
// line's tests (`crates/qct-cli/tests/numeric/common.rs`): one text, included by both with
// `include!`, so the two test binaries draw the same points. The including module imports
// `Model`, `Role`, `ForceBasis`, `Representation`, `builtin`, `from_json` and `from_file`
// (from `crate::` in the library, from `qct::` in the command line's tests).

pub(crate) const BUILTINS: [&str; 6] = ["sqd", "cqd", "sb", "icc", "anderson", "zeeman_dot"];
pub(crate) const REPRESENTATIONS: [Representation; 2] =
    [Representation::Energy, Representation::Heat];

/// A two-terminal capacitively coupled double dot (both dots on l and r, attractive U,
/// occupation-dependent rates): one conserved component whose leads couple to two dots.
/// Not a built-in; it exercises multi-dot couplings in the same checks as the built-ins.
pub(crate) const DOUBLE_DOT_JSON: &str = r#"{
  "name": "dd2",
  "parameters": {"e1": 0.4, "e2": -0.3, "U": -1.2, "gl1": 1.0, "gr1": 0.4,
                 "gl2a": 0.3, "gl2b": 0.9, "gr2": 1.1, "T_l": 1.4, "T_r": 1.0,
                 "mu_l": 0.25, "mu_r": -0.1},
  "dots": [{"name": "d1", "energy": "e1"}, {"name": "d2", "energy": "e2"}],
  "interactions": [{"dots": ["d1", "d2"], "U": "U"}],
  "leads": [
    {"name": "l", "temperature": "T_l", "chemical_potential": "mu_l",
     "couplings": [{"dot": "d1", "rate": "gl1"},
                   {"dot": "d2", "rate": {"depends_on": ["d1"], "values": {"0": "gl2a", "1": "gl2b"}}}]},
    {"name": "r", "temperature": "T_r", "chemical_potential": "mu_r",
     "couplings": [{"dot": "d1", "rate": "gr1"}, {"dot": "d2", "rate": "gr2"}]}
  ]
}"#;

pub(crate) fn model(name: &str) -> Model {
    match name {
        "dd2" => from_json(DOUBLE_DOT_JSON, "dd2 (test)").expect("test model is valid"),
        _ => builtin(name).expect("built-in exists"),
    }
}

pub(crate) fn param(model: &Model, name: &str) -> usize {
    model
        .param(name)
        .unwrap_or_else(|| panic!("model {} has no parameter {name}", model.name))
        .0
}

/// Defaults of `model` with some parameters overridden.
pub(crate) fn values(model: &Model, set: &[(&str, f64)]) -> Vec<f64> {
    let mut v = model.defaults();
    for &(name, value) in set {
        v[param(model, name)] = value;
    }
    model.complete(&v)
}

/// Deterministic xorshift64* generator (no dev-dependency needed).
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub(crate) fn uniform(&mut self, lo: f64, hi: f64) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let bits = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11;
        lo + (hi - lo) * (bits as f64 / (1u64 << 53) as f64)
    }
}

/// A random-ish parameter point: energies (levels and interactions, either sign) in
/// [−2, 2], rates in [0.1, 2], temperatures in [0.5, 3], chemical potentials in [−1, 1],
/// pure numbers (polarisations) in [−0.9, 0.9]; with the derived quantities.
pub(crate) fn random_values(model: &Model, rng: &mut Rng) -> Vec<f64> {
    let free: Vec<f64> = model
        .parameters
        .iter()
        .map(|p| match p.role {
            Role::Energy => rng.uniform(-2.0, 2.0),
            Role::Rate => rng.uniform(0.1, 2.0),
            Role::Temperature => rng.uniform(0.5, 3.0),
            Role::ChemicalPotential => rng.uniform(-1.0, 1.0),
            Role::Dimensionless => rng.uniform(-0.9, 0.9),
        })
        .collect();
    model.complete(&free)
}

/// Number of random points per model in [`points`].
pub(crate) const RANDOM_POINTS: usize = 12;

/// Parameter points of every model: the defaults, hand-picked points (attractive
/// interactions, κ_s ≠ 0 for icc, levels below μ) and [`RANDOM_POINTS`] random ones.
pub(crate) fn points(name: &str) -> Vec<Vec<f64>> {
    let m = model(name);
    let mut pts = vec![m.defaults()];
    let hand: Vec<Vec<(&str, f64)>> = match name {
        "sqd" => vec![
            vec![("eps", -0.7), ("mu_l", -0.3), ("mu_r", 0.4), ("T_l", 0.6)],
            vec![
                ("eps", 2.5),
                ("gamma_l", 0.05),
                ("gamma_r", 3.0),
                ("T_r", 2.0),
            ],
        ],
        "cqd" => vec![
            vec![("kappa", -2.0), ("eps_b", 0.7), ("mu_u", 0.3), ("T_u", 0.8)],
            vec![
                ("kappa", -0.5),
                ("eps_b", -0.4),
                ("eps_u", 1.2),
                ("mu_r", 0.5),
            ],
        ],
        "sb" => vec![
            vec![("kappa", -1.5), ("eps_b", 0.3), ("mu_l", 0.4), ("T_u", 0.7)],
            vec![("kappa", 2.0), ("eps_u", -1.0), ("gamma_u1", 0.3)],
        ],
        "icc" => vec![
            vec![("kappa_s", -0.6), ("kappa_c", 1.2), ("eps_b", -0.3)],
            vec![
                ("kappa_s", 0.8),
                ("kappa_c", -1.0),
                ("T_l", 0.7),
                ("mu_u", -0.4),
            ],
        ],
        "anderson" => vec![
            vec![("U", -1.0), ("eps", 0.3), ("mu_l", -0.2)],
            vec![("U", 4.0), ("eps", -1.5), ("gamma_l", 0.3), ("T_l", 0.8)],
        ],
        "dd2" => vec![vec![("U", 1.5), ("e2", 0.9), ("T_l", 0.7)]],
        "zeeman_dot" => vec![
            vec![("B", 1.3), ("p_l", -0.6), ("mu_l", -0.2)],
            vec![("B", -0.8), ("p_l", 0.9), ("U", -1.0), ("T_l", 0.8)],
        ],
        _ => unreachable!(),
    };
    for set in hand {
        pts.push(values(&m, &set));
    }
    let mut rng = Rng::new(name.bytes().fold(7, |h, b| h * 31 + b as u64));
    for _ in 0..RANDOM_POINTS {
        pts.push(random_values(&m, &mut rng));
    }
    pts
}

pub(crate) fn basis(model: &Model, representation: Representation) -> ForceBasis {
    ForceBasis::new(model, representation, model.default_references()).expect("force basis")
}

/// Every example model file (`examples/*.json`), in the order of their paths.
pub(crate) fn example_models() -> Vec<Model> {
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join("examples");
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| from_file(f).unwrap_or_else(|e| panic!("{}: {e}", f.display())))
        .collect()
}

/// The models of the Lindblad cross-checks: the built-ins without interdot tunnelling and
/// every example without it (models with hoppings need the eigenbasis Lindblad equation,
/// tested with the tunnelling models), the 3-dot example included.
pub(crate) fn lindblad_models() -> Vec<Model> {
    let mut models: Vec<Model> = ["sqd", "cqd", "sb", "icc", "anderson"]
        .iter()
        .map(|n| builtin(n).unwrap())
        .collect();
    models.extend(
        example_models()
            .into_iter()
            .filter(|m| m.hoppings.is_empty()),
    );
    assert!(
        models.iter().any(|m| m.dots.len() == 3),
        "the examples include a 3-dot model"
    );
    models
}

/// The model of `examples/{name}.json`.
pub(crate) fn example(name: &str) -> Model {
    from_file(std::path::Path::new(&format!(
        "{}/../../examples/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    )))
    .expect("example model")
}

/// The `sb` (and `cqd`) point of the merged-force tests, as `NAME=VALUE` assignments: with
/// u as the energy reference and T_l = T_r, F_E^l and F_E^r are one force.
pub(crate) const MERGED_FORCES_POINT: [&str; 6] = [
    "eps_b=0.4",
    "eps_u=-0.3",
    "kappa=0.8",
    "T_u=1",
    "mu_l=0.2",
    "mu_u=0.1",
];
