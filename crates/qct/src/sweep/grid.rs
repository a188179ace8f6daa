//! The grid of a sweep: axes (linear, log-spaced, explicit lists), N-D grids numbered
//! row-major with the first axis slowest, and shards of the point list.

use super::units::axis_unit;
use super::{MAX_POINTS, number_text};
use crate::error::{Error, Result};
use crate::units::Dimension;
use std::collections::HashSet;
use std::fmt;
use std::ops::Range;
use std::str::FromStr;

/// One grid axis: `NAME=START:STOP:N` (N ≥ 1 points from START to STOP, both included,
/// evenly spaced), `NAME=log:START:STOP:N` (the same, evenly spaced in log; START and STOP
/// of one sign, nonzero) or `NAME=V1,V2,...` (an explicit list, in the given order).
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub name: String,
    /// First value.
    pub start: f64,
    /// Last value.
    pub stop: f64,
    pub points: usize,
    pub spacing: Spacing,
    /// Set when the values were given with units (`eps=0:1meV:41`, `T_l=log:10mK:1K:30`):
    /// `start`, `stop` and listed values are then in natural units with the meV energy
    /// unit ([`crate::units`]).
    pub unit: Option<AxisUnit>,
}

/// The unit of an axis given with units (`sweep::units`).
#[derive(Debug, Clone, PartialEq)]
pub struct AxisUnit {
    /// What the values measure.
    pub dimension: Dimension,
    /// The range as written after `NAME=`, shown by `Display` (parses back to the axis).
    pub written: String,
}

/// How an axis places its points between `start` and `stop`.
#[derive(Debug, Clone, PartialEq)]
pub enum Spacing {
    /// start + (stop − start)·i/(N − 1).
    Linear,
    /// start·(stop/start)^{i/(N − 1)}.
    Log,
    /// The listed values.
    List(Vec<f64>),
}

impl FromStr for Axis {
    type Err = Error;

    /// Parses `NAME=START:STOP:N`, `NAME=log:START:STOP:N` or `NAME=V1,V2,...`; values
    /// finite, 1 ≤ N ≤ [`MAX_POINTS`], log ends nonzero and of one sign.
    fn from_str(text: &str) -> Result<Axis> {
        let usage = || {
            Error::BadAssignment(format!(
                "--vary {text} must be NAME=START:STOP:N (N points, both ends included), \
                 NAME=log:START:STOP:N (log-spaced) or NAME=V1,V2,... (a list), \
                 e.g. eps=-1:1:21, eps=log:1e-3:1:50, eps=0,0.5,1"
            ))
        };
        let (name, range) = text.split_once('=').ok_or_else(usage)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(usage());
        }
        let mut values = Vec::new();
        let mut number = |which: &str, value: &str| -> Result<f64> {
            let parsed = crate::units::parse(value, &format!("--vary {text}: {which}"))?;
            match parsed.natural() {
                x if x.is_finite() => {
                    values.push(parsed);
                    Ok(x)
                }
                _ => Err(Error::BadAssignment(format!(
                    "--vary {text}: {which} must be a finite number, not '{value}'"
                ))),
            }
        };
        let mut parts: Vec<&str> = range.split(':').map(str::trim).collect();
        if parts.len() == 1 {
            let list = parts[0]
                .split(',')
                .map(|v| number("a listed value", v))
                .collect::<Result<Vec<f64>>>()?;
            let unit = axis_unit(text, range, &values)?;
            if list.len() > MAX_POINTS {
                return Err(Error::BadAssignment(format!(
                    "--vary {text}: more than the limit of {MAX_POINTS} points"
                )));
            }
            return Ok(Axis {
                name: name.to_string(),
                start: list[0],
                stop: list[list.len() - 1],
                points: list.len(),
                spacing: Spacing::List(list),
                unit,
            });
        }
        let log = parts[0] == "log";
        if log {
            parts.remove(0);
        }
        if parts.len() != 3 {
            return Err(usage());
        }
        let start = number("START", parts[0])?;
        let stop = number("STOP", parts[1])?;
        let unit = axis_unit(text, range, &values)?;
        let points: usize = parts[2].parse().map_err(|_| {
            Error::BadAssignment(format!(
                "--vary {text}: N '{}' must be a whole number of points ≥ 1",
                parts[2]
            ))
        })?;
        if points == 0 {
            return Err(Error::BadAssignment(format!(
                "--vary {text}: N must be at least 1 (N = 1 evaluates START only)"
            )));
        }
        if points > MAX_POINTS {
            return Err(Error::BadAssignment(format!(
                "--vary {text}: {points} points is more than the limit of {MAX_POINTS}"
            )));
        }
        if log && !(start * stop > 0.0) {
            return Err(Error::BadAssignment(format!(
                "--vary {text}: a log axis needs START and STOP nonzero and of one sign"
            )));
        }
        Ok(Axis {
            name: name.to_string(),
            start,
            stop,
            points,
            spacing: if log { Spacing::Log } else { Spacing::Linear },
            unit,
        })
    }
}

impl Axis {
    /// The i-th value, start + (stop − start)·i/(N − 1) (log axes: evenly spaced in log; list
    /// axes: the i-th listed value): exactly START at i = 0 and STOP at i = N − 1, monotone
    /// in i (lists: as given), the same on every machine and thread.
    pub fn value(&self, i: usize) -> f64 {
        debug_assert!(i < self.points, "axis {} has no point {i}", self.name);
        if i == 0 || self.points <= 1 {
            return self.start;
        }
        if i + 1 >= self.points {
            return self.stop;
        }
        let t = i as f64 / (self.points - 1) as f64;
        match &self.spacing {
            Spacing::List(list) => return list[i],
            Spacing::Log => {
                // Exact ends above; in between 10^{lg a + (lg b − lg a) t} (decades land
                // on powers of ten exactly), clamped like the linear case.
                let (a, b) = (self.start.abs().log10(), self.stop.abs().log10());
                let x = self.start.signum() * 10f64.powf(a + (b - a) * t);
                return x.clamp(self.start.min(self.stop), self.start.max(self.stop));
            }
            Spacing::Linear => {}
        }
        let span = self.stop - self.start;
        let x = if span.is_finite() {
            self.start + span * t
        } else {
            // START and STOP of opposite signs near f64::MAX: the weighted sum cannot overflow.
            self.start * (1.0 - t) + self.stop * t
        };
        // Rounding may step past STOP; clamping keeps the values monotone.
        x.clamp(self.start.min(self.stop), self.start.max(self.stop))
    }

    /// All N values in order.
    pub fn values(&self) -> Vec<f64> {
        (0..self.points).map(|i| self.value(i)).collect()
    }
}

impl fmt::Display for Axis {
    /// `NAME=START:STOP:N`, `NAME=log:START:STOP:N` or `NAME=V1,V2,...`, which parses back
    /// to the same axis.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(unit) = &self.unit {
            return write!(f, "{}={}", self.name, unit.written);
        }
        let range = format!(
            "{}:{}:{}",
            number_text(self.start),
            number_text(self.stop),
            self.points
        );
        match &self.spacing {
            Spacing::Linear => write!(f, "{}={range}", self.name),
            Spacing::Log => write!(f, "{}=log:{range}", self.name),
            Spacing::List(list) => {
                let values: Vec<String> = list.iter().map(|&x| number_text(x)).collect();
                write!(f, "{}={}", self.name, values.join(","))
            }
        }
    }
}

/// A grid of one or more axes. Points are numbered row-major with the first axis slowest.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub axes: Vec<Axis>,
}

impl Grid {
    /// A grid of one or more axes with distinct names and at most [`MAX_POINTS`] points.
    pub fn new(axes: Vec<Axis>) -> Result<Grid> {
        let grid = Grid { axes };
        grid.validate()?;
        Ok(grid)
    }

    /// Checks what [`Grid::new`] promises (the fields are public).
    pub fn validate(&self) -> Result<()> {
        if self.axes.is_empty() {
            return Err(Error::BadAssignment(
                "a sweep needs at least one --vary NAME=START:STOP:N".into(),
            ));
        }
        let mut seen = HashSet::new();
        for axis in &self.axes {
            if axis.name.is_empty() {
                return Err(Error::BadAssignment(
                    "a --vary axis has an empty name".into(),
                ));
            }
            if !seen.insert(axis.name.as_str()) {
                return Err(Error::BadAssignment(format!(
                    "parameter '{}' is varied twice",
                    axis.name
                )));
            }
            if axis.points == 0 || !axis.start.is_finite() || !axis.stop.is_finite() {
                return Err(Error::BadAssignment(format!(
                    "--vary {axis} needs finite ends and at least one point"
                )));
            }
        }
        let total = self
            .axes
            .iter()
            .try_fold(1usize, |n, axis| n.checked_mul(axis.points))
            .filter(|&n| n <= MAX_POINTS);
        if total.is_none() {
            return Err(Error::BadAssignment(format!(
                "the grid {self} has more than {MAX_POINTS} points"
            )));
        }
        Ok(())
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.axes.iter().map(|axis| axis.points).product()
    }

    /// Whether the grid has no points (never, for a valid grid).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The axis names, in order.
    pub fn names(&self) -> Vec<String> {
        self.axes.iter().map(|axis| axis.name.clone()).collect()
    }

    /// The per-axis indices of point `index` (first axis slowest).
    pub fn indices(&self, index: usize) -> Vec<usize> {
        let mut rest = index;
        let mut indices = vec![0; self.axes.len()];
        for (slot, axis) in indices.iter_mut().zip(&self.axes).rev() {
            *slot = rest % axis.points;
            rest /= axis.points;
        }
        indices
    }

    /// The axis values at point `index`.
    pub fn point(&self, index: usize) -> Vec<f64> {
        self.indices(index)
            .into_iter()
            .zip(&self.axes)
            .map(|(i, axis)| axis.value(i))
            .collect()
    }

    /// `name=value, name=value` for messages.
    pub fn describe(&self, values: &[f64]) -> String {
        self.axes
            .iter()
            .zip(values)
            .map(|(axis, &x)| format!("{}={}", axis.name, number_text(x)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Grid {
    /// The axes as `--vary` arguments, space-separated (the `grid` header value).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let axes: Vec<String> = self.axes.iter().map(Axis::to_string).collect();
        f.write_str(&axes.join(" "))
    }
}

/// `--shard K/N`: the K-th (1-based) of N contiguous, near-equal parts of the point list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// Shard K of N, with 1 ≤ K ≤ N.
    pub fn new(index: usize, count: usize) -> Result<Shard> {
        if count == 0 {
            return Err(Error::BadAssignment("--shard K/N needs N ≥ 1 parts".into()));
        }
        if index == 0 || index > count {
            return Err(Error::BadAssignment(format!(
                "--shard {index}/{count}: K must be between 1 and {count}"
            )));
        }
        Ok(Shard { index, count })
    }

    /// Rows ⌊(K−1)T/N⌋..⌊KT/N⌋ of `total`: the parts differ in size by at most one and
    /// together are 0..total in order.
    pub fn range(&self, total: usize) -> Range<usize> {
        debug_assert!(self.index >= 1 && self.index <= self.count);
        let edge = |k: usize| (k as u128 * total as u128 / self.count as u128) as usize;
        edge(self.index - 1)..edge(self.index)
    }
}

impl FromStr for Shard {
    type Err = Error;

    /// Parses `K/N`.
    fn from_str(text: &str) -> Result<Shard> {
        let usage = || {
            Error::BadAssignment(format!(
                "--shard {text} must be K/N: part K (1-based) of N, e.g. 2/8"
            ))
        };
        let (k, n) = text.split_once('/').ok_or_else(usage)?;
        let k: usize = k.trim().parse().map_err(|_| usage())?;
        let n: usize = n.trim().parse().map_err(|_| usage())?;
        Shard::new(k, n)
    }
}

impl fmt::Display for Shard {
    /// `K/N`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}
