// The fixed-seed generator and the models of the exact-oracle tests, shared by the library's
// (`tests/exact_oracle.rs`) and the command line's (`crates/qct-cli/tests/exact.rs`) by
// `include!`: one text, so both draw the same instances. The including module imports
// `Model` and the `builtin` and `json` modules of `model` (from `crate::` in the library,
// from `qct::` in the command line's tests). Plain comments: an included file cannot carry
// inner doc comments.

/// splitmix64: a fixed-seed generator, so every run checks the same instances.
struct Rng(u64);

#[allow(dead_code)] // the command line's tests draw only `next`
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform integer in lo..=hi.
    fn int(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.next() as usize % items.len()]
    }
}

/// Every built-in and every `examples/*.json` with a diagonal H (the exact oracle refuses
/// interdot tunnelling: its eigenenergies are not rational).
fn models() -> Vec<Model> {
    let mut models: Vec<Model> = builtin::NAMES
        .iter()
        .map(|name| builtin::builtin(name).unwrap())
        .filter(|m| m.hoppings.is_empty())
        .collect();
    let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../..")).join("examples");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 7, "examples/*.json not found");
    for file in files {
        let mut model = json::from_file(&file).unwrap();
        if !model.hoppings.is_empty() {
            continue; // the exact oracle needs a diagonal H
        }
        model.name = format!("examples/{}", file.file_name().unwrap().to_string_lossy());
        models.push(model);
    }
    models
}

/// Agreement required between the f64 solver and the exact oracle.
const RTOL: f64 = 1e-12;

fn relative(a: f64, b: f64, scale: f64) -> f64 {
    if scale > 0.0 {
        (a - b).abs() / scale
    } else {
        (a - b).abs()
    }
}
