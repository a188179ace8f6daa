//! A family of models for large state spaces (benchmarks and scaling tests).

use super::Model;
use super::json::from_json;
use crate::error::Result;

/// A chain of `n` capacitively coupled dots, dot k on its own lead x_k, plus a lead r on the
/// first dot: 2ⁿ states, the benchmark for large state spaces.
pub fn chain_model(n: usize) -> Result<Model> {
    let mut parameters = vec![];
    let mut dots = vec![];
    let mut interactions = vec![];
    let mut leads = vec![];
    for d in 0..n {
        parameters.push(format!("\"eps_{d}\": {}", 0.1 * d as f64 - 0.3));
        parameters.push(format!("\"g_{d}\": {}", 1.0 + 0.1 * d as f64));
        parameters.push(format!("\"T_{d}\": {}", 1.0 + 0.05 * d as f64));
        parameters.push(format!("\"mu_{d}\": 0.0"));
        dots.push(format!("{{\"name\": \"d{d}\", \"energy\": \"eps_{d}\"}}"));
        if d > 0 {
            parameters.push(format!("\"U_{d}\": 0.7"));
            interactions.push(format!(
                "{{\"dots\": [\"d{}\", \"d{d}\"], \"U\": \"U_{d}\"}}",
                d - 1
            ));
        }
        leads.push(format!(
            "{{\"name\": \"x{d}\", \"temperature\": \"T_{d}\", \"chemical_potential\": \"mu_{d}\", \
             \"couplings\": [{{\"dot\": \"d{d}\", \"rate\": \"g_{d}\"}}]}}"
        ));
    }
    parameters.push("\"T_r\": 1.0, \"mu_r\": 0.1, \"g_r\": 0.5".into());
    leads.push(
        "{\"name\": \"r\", \"temperature\": \"T_r\", \"chemical_potential\": \"mu_r\", \
         \"couplings\": [{\"dot\": \"d0\", \"rate\": \"g_r\"}]}"
            .into(),
    );
    let text = format!(
        "{{\"name\": \"chain{n}\", \"parameters\": {{{}}}, \"dots\": [{}], \"interactions\": [{}], \
         \"leads\": [{}]}}",
        parameters.join(", "),
        dots.join(", "),
        interactions.join(", "),
        leads.join(", ")
    );
    from_json(&text, "chain model")
}
