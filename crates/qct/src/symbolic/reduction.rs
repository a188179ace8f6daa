//! The reduction of the equilibrium transition network behind the compact form (see the
//! compact module's documentation): parallel merges that close loops, series steps and
//! star–mesh eliminations, each recorded as a rank-one term c a aᵀ of L. Runs on the engine
//! thread only.

use super::compact::{Builder, Q};
use std::collections::BTreeMap;

/// How an edge of the reduced network is spelled: a conductance, or (after series steps)
/// a resistance, so chains print as sums of 1/G rather than nested fractions.
#[derive(Debug, Clone)]
pub(super) enum Cond {
    G(Q),
    R(Q),
}

impl Cond {
    fn conductance(&self) -> Q {
        match self {
            Cond::G(g) => g.clone(),
            Cond::R(r) => r.inv(),
        }
    }
    fn resistance(&self) -> Q {
        match self {
            Cond::G(g) => g.inv(),
            Cond::R(r) => r.clone(),
        }
    }
}

/// An edge between states u < v; `emf` is oriented u → v.
#[derive(Debug, Clone)]
pub(super) struct Edge {
    pub(super) cond: Cond,
    pub(super) emf: Vec<Q>,
}

/// A rank-one term c a aᵀ of L.
pub(super) struct Term {
    pub(super) coefficient: Q,
    pub(super) vector: Vec<Q>,
}

pub(super) struct Reduction<'b, 'a> {
    pub(super) builder: &'b mut Builder<'a>,
    pub(super) edges: BTreeMap<(usize, usize), Edge>,
    pub(super) terms: Vec<Term>,
    pub(super) steps: Vec<String>,
    pub(super) labels: Vec<String>,
    pub(super) flux_tags: Vec<String>,
    pub(super) loops: usize,
    pub(super) merges: usize,
    pub(super) stars: usize,
    /// Neighbour counts of the eliminated states (the star–mesh identities used).
    pub(super) degrees: std::collections::BTreeSet<usize>,
}

impl Reduction<'_, '_> {
    fn emf_from(&self, from: usize, to: usize) -> Vec<Q> {
        let (key, sign) = if from < to {
            ((from, to), 1)
        } else {
            ((to, from), -1)
        };
        self.edges[&key]
            .emf
            .iter()
            .map(|a| {
                if sign == 1 {
                    a.clone()
                } else {
                    Q::num(0).sub(a)
                }
            })
            .collect()
    }

    /// Add an edge u → v, merging it with an existing parallel edge (which closes a loop).
    pub(super) fn add(&mut self, u: usize, v: usize, cond: Cond, emf: Vec<Q>) {
        let (key, emf) = if u < v {
            ((u, v), emf)
        } else {
            ((v, u), emf.iter().map(|a| Q::num(0).sub(a)).collect())
        };
        let Some(old) = self.edges.remove(&key) else {
            self.edges.insert(key, Edge { cond, emf });
            return;
        };
        self.loops += 1;
        let k = self.loops;
        let (a, b) = (&self.labels[key.0], &self.labels[key.1]);
        let coefficient = self.builder.define(
            &format!("K_{k}"),
            &format!("K_{{{k}}}"),
            &format!(
                "series conductance of loop {k} (closed between {a} and {b}): 1/K = sum of the \
                 resistances 1/G around it"
            ),
            old.cond.resistance().add(&cond.resistance()).inv(),
            false,
        );
        let vector = emf_difference(&old.emf, &emf);
        let mut named = Vec::with_capacity(vector.len());
        for (j, a_j) in vector.into_iter().enumerate() {
            let short = format!("{}", a_j.sym).len() <= 24;
            named.push(if a_j.is_zero() || short {
                a_j
            } else {
                let tag = &self.flux_tags[j];
                self.builder.define(
                    &format!("a{k}_{tag}"),
                    &format!("a^{{({k})}}_{{{}}}", latex_tag(tag)),
                    &format!(
                        "what loop {k} transports of J_{} per turn",
                        latex_tag(tag).replace(['{', '}'], "")
                    ),
                    a_j,
                    false,
                )
            });
        }
        self.steps.push(format!(
            "loop {k} closed between {a} and {b}: term K_{k} a aᵀ with a = what the loop transports"
        ));
        self.terms.push(Term {
            coefficient,
            vector: named,
        });
        // The merged edge: conductances add, EMFs average with the conductances.
        self.merges += 1;
        let m = self.merges;
        let (g1, g2) = (old.cond.conductance(), cond.conductance());
        let total = self.builder.define(
            &format!("G_p{m}"),
            &format!("G_{{\\parallel {m}}}"),
            &format!("conductance of the parallel edges {a}–{b} (merge {m})"),
            g1.add(&g2),
            true,
        );
        let mut merged = Vec::with_capacity(emf.len());
        for (j, (x, y)) in old.emf.iter().zip(&emf).enumerate() {
            let mean = x.mul(&g1).add(&y.mul(&g2)).div(&total);
            merged.push(if x.is_zero() && y.is_zero() {
                Q::num(0)
            } else {
                let tag = &self.flux_tags[j];
                let flux = latex_tag(tag).replace(['{', '}'], "");
                self.builder.define(
                    &format!("e{m}_{tag}"),
                    &format!("e^{{({m})}}_{{{}}}", latex_tag(tag)),
                    &format!(
                        "EMF of J_{flux} on the merged edge {a}–{b} (merge {m}): the \
                         conductance-weighted mean of its parallel branches"
                    ),
                    mean,
                    true,
                )
            });
        }
        let emf = merged;
        self.edges.insert(
            key,
            Edge {
                cond: Cond::G(total),
                emf,
            },
        );
    }

    fn neighbours(&self, v: usize) -> Vec<usize> {
        self.edges
            .keys()
            .filter_map(|&(a, b)| {
                if a == v {
                    Some(b)
                } else if b == v {
                    Some(a)
                } else {
                    None
                }
            })
            .collect()
    }

    /// Eliminate states, fewest neighbours first, until no edge is left.
    pub(super) fn run(&mut self, n: usize) {
        loop {
            let Some((v, next)) = (0..n)
                .map(|v| (v, self.neighbours(v)))
                .filter(|(_, nb)| !nb.is_empty())
                .min_by_key(|(v, nb)| (nb.len(), *v))
            else {
                return;
            };
            let incoming: Vec<(usize, Edge)> = next
                .iter()
                .map(|&m| {
                    let emf = self.emf_from(m, v);
                    let key = (m.min(v), m.max(v));
                    let edge = self.edges.remove(&key).expect("edge to a neighbour");
                    (
                        m,
                        Edge {
                            cond: edge.cond,
                            emf,
                        },
                    )
                })
                .collect();
            let label = self.labels[v].clone();
            self.degrees.insert(incoming.len());
            match incoming.len() {
                1 => self.steps.push(format!(
                    "state {label} hangs on one edge: no current through it, dropped"
                )),
                2 => {
                    let (m1, e1) = &incoming[0];
                    let (m2, e2) = &incoming[1];
                    self.steps.push(format!(
                        "state {label} in series between {} and {}: resistances add",
                        self.labels[*m1], self.labels[*m2]
                    ));
                    let cond = Cond::R(e1.cond.resistance().add(&e2.cond.resistance()));
                    let emf = emf_difference(&e1.emf, &e2.emf);
                    self.add(*m1, *m2, cond, emf);
                }
                _ => {
                    self.stars += 1;
                    let s = self.stars;
                    let sum = incoming
                        .iter()
                        .fold(Q::num(0), |acc, (_, e)| acc.add(&e.cond.conductance()));
                    let sum = self.builder.define(
                        &format!("S_{s}"),
                        &format!("S_{{{s}}}"),
                        &format!("total conductance at state {label} (star–mesh step {s})"),
                        sum,
                        true,
                    );
                    self.steps.push(format!(
                        "state {label} with {} neighbours: star–mesh step {s}",
                        incoming.len()
                    ));
                    for x in 0..incoming.len() {
                        for y in (x + 1)..incoming.len() {
                            let (ma, ea) = &incoming[x];
                            let (mb, eb) = &incoming[y];
                            let g = ea.cond.conductance().mul(&eb.cond.conductance()).div(&sum);
                            let (la, lb) = (&self.labels[*ma], &self.labels[*mb]);
                            let g = self.builder.define(
                                &format!("G_{s}{la}{lb}"),
                                &format!("G^{{({s})}}_{{{la}{lb}}}"),
                                &format!("conductance {la}–{lb} after star–mesh step {s}"),
                                g,
                                true,
                            );
                            let emf = emf_difference(&ea.emf, &eb.emf);
                            self.add(*ma, *mb, Cond::G(g), emf);
                        }
                    }
                }
            }
        }
    }
}

/// a − b component by component: the EMF along a path m_a → v → m_b from the EMFs
/// a, b oriented towards v (series and star–mesh steps), and the transport of a loop
/// closed by two parallel edges.
pub(super) fn emf_difference(a: &[Q], b: &[Q]) -> Vec<Q> {
    a.iter().zip(b).map(|(x, y)| x.sub_expanded(y)).collect()
}

/// LaTeX of a flux tag: `Nl` → `N^{l}`.
pub(super) fn latex_tag(tag: &str) -> String {
    let mut chars = tag.chars();
    match chars.next() {
        Some(kind) => format!("{kind}^{{{}}}", chars.as_str()),
        None => String::new(),
    }
}
