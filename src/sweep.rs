//! Parameter sweeps: evaluate numeric quantities on a 1-D or 2-D grid, split the grid into
//! shards, and join the shard outputs. Purely numeric — the physics is the caller's `eval`.
//!
//! # Grid
//!
//! Each axis is `NAME=START:STOP:N`: N ≥ 1 points from START to STOP, both included
//! (N = 1 is START alone; START may exceed STOP). Points are numbered row-major with the
//! first axis slowest, so a 2-D output reads as blocks of the second axis. At most
//! [`MAX_POINTS`] points in all.
//!
//! # Shards
//!
//! `--shard K/N` evaluates the K-th (1-based) of N contiguous parts of the point list;
//! part k (0-based) is rows ⌊kT/N⌋..⌊(k+1)T/N⌋ of T, so parts differ in size by at most
//! one and some are empty when N > T. [`merge`] joins the N outputs, in any order, into
//! exactly the bytes of the unsharded run.
//!
//! # CSV output
//!
//! ```text
//! # command: qct sweep ...        one `# key: value` line per header entry, in order;
//! # grid: eps=-1:1:21 T=0.5:2:4   the last one is always `grid` (added by `run`)
//! # shard: 2/3 rows 28..56 of 84  only in a shard file: 0-based, end-exclusive rows
//! eps,T,G,ZT                      column names: the axes, then the quantities
//! -1,0.5,0.125,inf                one line per point
//! ```
//!
//! Numbers are shortest round-trip decimals (they parse back to the same f64): plain
//! notation for 1e-5 ≤ |x| < 1e16 and zero, exponent notation (`1.5e-7`, `2e20`) beyond;
//! ±∞ is `inf`/`-inf`; an undefined quantity is an empty field; a label is written as is,
//! quoted per RFC 4180 when it holds a comma, a quote or a line break (column names too,
//! and also when they start with `#`).
//! Line breaks in header values are written as `\n`. Lines end in `\n`.
//!
//! # JSON output
//!
//! ```text
//! {
//!   "header": {
//!     "command": "qct sweep ...",
//!     "grid": "eps=-1:1:21 T=0.5:2:4"
//!   },
//!   "columns": ["eps", "T", "G", "ZT"],
//!   "total_points": 84,
//!   "shard": {"index": 2, "count": 3, "start": 28, "end": 56},
//!   "rows": [
//!     [-1.0, 0.5, 0.125, "inf"],
//!     ...
//!   ]
//! }
//! ```
//!
//! `shard` appears only in a shard file (start/end as in CSV). Numbers are JSON numbers
//! (shortest round-trip), ±∞ the strings `"inf"`/`"-inf"`, labels strings, undefined
//! quantities `null`. One row per line.
//!
//! [`merge`] reads files in exactly these layouts (as qct wrote them); it tells JSON from
//! CSV by the first non-space character (`{`).

use crate::error::{Error, Result};
use rayon::prelude::*;
use std::collections::HashSet;
use std::fmt;
use std::ops::Range;
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Largest number of grid points a sweep may have.
pub const MAX_POINTS: usize = 100_000_000;

/// Header keys that [`run`] writes itself.
pub const RESERVED_KEYS: [&str; 2] = ["grid", "shard"];

/// One grid axis, `NAME=START:STOP:N`: N ≥ 1 points from START to STOP, both included.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub name: String,
    pub start: f64,
    pub stop: f64,
    pub points: usize,
}

impl FromStr for Axis {
    type Err = Error;

    /// Parses `NAME=START:STOP:N`; START and STOP finite, 1 ≤ N ≤ [`MAX_POINTS`].
    fn from_str(text: &str) -> Result<Axis> {
        let usage = || {
            Error::BadAssignment(format!(
                "--vary {text} must be NAME=START:STOP:N (N points, both ends included), \
                 e.g. eps=-1:1:21"
            ))
        };
        let (name, range) = text.split_once('=').ok_or_else(usage)?;
        let name = name.trim();
        let parts: Vec<&str> = range.split(':').map(str::trim).collect();
        if name.is_empty() || parts.len() != 3 {
            return Err(usage());
        }
        let bound = |which: &str, value: &str| -> Result<f64> {
            match value.parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(x),
                Ok(_) => Err(Error::BadAssignment(format!(
                    "--vary {text}: {which} must be a finite number, not '{value}'"
                ))),
                Err(_) => Err(Error::BadAssignment(format!(
                    "--vary {text}: {which} '{value}' is not a number; the form is NAME=START:STOP:N"
                ))),
            }
        };
        let start = bound("START", parts[0])?;
        let stop = bound("STOP", parts[1])?;
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
        Ok(Axis {
            name: name.to_string(),
            start,
            stop,
            points,
        })
    }
}

impl Axis {
    /// The i-th value, start + (stop − start)·i/(N − 1): exactly START at i = 0 and STOP at
    /// i = N − 1, monotone in i, the same on every machine and thread.
    pub fn value(&self, i: usize) -> f64 {
        debug_assert!(i < self.points, "axis {} has no point {i}", self.name);
        if i == 0 || self.points <= 1 {
            return self.start;
        }
        if i + 1 >= self.points {
            return self.stop;
        }
        let t = i as f64 / (self.points - 1) as f64;
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
    /// `NAME=START:STOP:N`, which parses back to the same axis.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}={}:{}:{}",
            self.name,
            number_text(self.start),
            number_text(self.stop),
            self.points
        )
    }
}

/// A 1-D or 2-D grid. Points are numbered row-major with the first axis slowest.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub axes: Vec<Axis>,
}

impl Grid {
    /// A grid of one or two axes with distinct names and at most [`MAX_POINTS`] points.
    pub fn new(axes: Vec<Axis>) -> Result<Grid> {
        let grid = Grid { axes };
        grid.validate()?;
        Ok(grid)
    }

    /// Checks what [`Grid::new`] promises (the fields are public).
    pub fn validate(&self) -> Result<()> {
        match self.axes.len() {
            0 => {
                return Err(Error::BadAssignment(
                    "a sweep needs at least one --vary NAME=START:STOP:N".into(),
                ));
            }
            1 | 2 => {}
            n => {
                return Err(Error::BadAssignment(format!(
                    "a sweep varies one or two parameters, not {n} ({})",
                    self.names().join(", ")
                )));
            }
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

/// One output cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A value; ±∞ allowed (ZT = ∞ at tight coupling), NaN is rejected by [`run`].
    Number(f64),
    /// Text, e.g. a regime name.
    Label(String),
    /// The quantity is not defined at this point (an efficiency where the device is not an
    /// engine).
    Empty,
}

impl From<f64> for Cell {
    fn from(x: f64) -> Cell {
        Cell::Number(x)
    }
}

impl From<Option<f64>> for Cell {
    /// `None` is [`Cell::Empty`].
    fn from(x: Option<f64>) -> Cell {
        x.map_or(Cell::Empty, Cell::Number)
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Label(text.to_string())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Label(text)
    }
}

/// A sweep's result: metadata, column names, and one row per evaluated point.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Ordered metadata (command line, model, fixed parameters, ...; `grid` last).
    pub header: Vec<(String, String)>,
    /// Axis names, then quantity names.
    pub columns: Vec<String>,
    /// Axis values, then quantity cells, per point, in grid order.
    pub rows: Vec<Vec<Cell>>,
    /// Points in the whole grid.
    pub total_points: usize,
    /// For a shard: which shard, and which rows of the whole grid `rows` are.
    pub shard: Option<(Shard, Range<usize>)>,
}

/// Evaluates `eval` at every point of `grid` in `shard` (all points when `None`), in
/// parallel with rayon, rows in grid order whatever the thread count.
///
/// Each row is the axis values followed by the cells of `eval`; the columns are the axis
/// names followed by `quantity_columns`. `header` gets `("grid", grid)` appended; its keys
/// must be distinct, non-empty, free of `:` and line breaks, and not in [`RESERVED_KEYS`].
/// An error at a point (from `eval`, a NaN cell, or a wrong number of cells) aborts the
/// sweep as [`Error::AtPoint`]; with several failing points the first in grid order is
/// reported. A progress bar is drawn on stderr when `progress` is true.
pub fn run(
    grid: &Grid,
    shard: Option<Shard>,
    header: Vec<(String, String)>,
    quantity_columns: Vec<String>,
    eval: impl Fn(&[f64]) -> Result<Vec<Cell>> + Sync,
    progress: bool,
) -> Result<Table> {
    grid.validate()?;
    let mut header = header;
    let mut keys = HashSet::new();
    for (key, _) in &header {
        if key.is_empty() || key.contains([':', '\n', '\r']) {
            return Err(Error::Sweep(format!(
                "header key '{key}' must be non-empty, without ':' or line breaks"
            )));
        }
        if RESERVED_KEYS.contains(&key.as_str()) {
            return Err(Error::Sweep(format!(
                "header key '{key}' is reserved; the sweep writes it itself"
            )));
        }
        if !keys.insert(key.as_str()) {
            return Err(Error::Sweep(format!("header key '{key}' appears twice")));
        }
    }
    header.push(("grid".to_string(), grid.to_string()));

    let mut columns = grid.names();
    columns.extend(quantity_columns);
    let mut names = HashSet::new();
    if let Some(twice) = columns.iter().find(|name| !names.insert(name.as_str())) {
        return Err(Error::Sweep(format!("column '{twice}' appears twice")));
    }
    let quantities = &columns[grid.axes.len()..];

    let total = grid.len();
    let range = match shard {
        Some(shard) => Shard::new(shard.index, shard.count)?.range(total),
        None => 0..total,
    };

    let bar = if progress {
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(range.len() as u64),
            indicatif::ProgressDrawTarget::stderr(),
        );
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} points, {elapsed} elapsed, about {eta} left",
        ) {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };

    // Points after a failed one are skipped; points before it still run, so the reported
    // failure is the first in grid order, independent of scheduling.
    let first_failure = AtomicUsize::new(usize::MAX);
    let evaluate = |index: usize| -> Option<Result<Vec<Cell>>> {
        if index > first_failure.load(Ordering::Relaxed) {
            return None;
        }
        let point = grid.point(index);
        let row = evaluate_point(&point, quantities, &eval).map_err(|error| Error::AtPoint {
            point: grid.describe(&point),
            source: Box::new(error),
        });
        if row.is_err() {
            first_failure.fetch_min(index, Ordering::Relaxed);
        }
        bar.inc(1);
        Some(row)
    };
    let results: Vec<Option<Result<Vec<Cell>>>> =
        range.clone().into_par_iter().map(evaluate).collect();
    bar.finish_and_clear();

    let mut rows = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Some(Ok(row)) => rows.push(row),
            Some(Err(error)) => return Err(error),
            None => unreachable!("a point was skipped with no earlier failure"),
        }
    }
    Ok(Table {
        header,
        columns,
        rows,
        total_points: total,
        shard: shard.map(|shard| (shard, range)),
    })
}

/// One row: the axis values, then `eval`'s cells, checked for count and NaN.
fn evaluate_point(
    point: &[f64],
    quantities: &[String],
    eval: &(impl Fn(&[f64]) -> Result<Vec<Cell>> + Sync),
) -> Result<Vec<Cell>> {
    let cells = eval(point)?;
    if cells.len() != quantities.len() {
        return Err(Error::Sweep(format!(
            "the evaluation gave {} values for {} columns ({})",
            cells.len(),
            quantities.len(),
            quantities.join(", ")
        )));
    }
    if let Some((name, _)) = quantities
        .iter()
        .zip(&cells)
        .find(|(_, cell)| matches!(cell, Cell::Number(x) if x.is_nan()))
    {
        return Err(Error::NonFinite(format!("column {name} (NaN)")));
    }
    let mut row: Vec<Cell> = point.iter().map(|&x| Cell::Number(x)).collect();
    row.extend(cells);
    Ok(row)
}

/// Shortest round-trip decimal: plain for 1e-5 ≤ |x| < 1e16 and zero, exponent beyond.
fn number_text(x: f64) -> String {
    if x.is_nan() {
        "NaN".to_string()
    } else if x == f64::INFINITY {
        "inf".to_string()
    } else if x == f64::NEG_INFINITY {
        "-inf".to_string()
    } else if x == 0.0 || (1e-5..1e16).contains(&x.abs()) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

/// A CSV field, quoted per RFC 4180 when needed (and when it starts with `#`, so a column
/// line never reads as a comment).
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) || text.starts_with('#') {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// A CSV record (without its line end).
fn csv_record(row: &[Cell]) -> String {
    let fields: Vec<String> = row
        .iter()
        .map(|cell| match cell {
            Cell::Number(x) => number_text(*x),
            Cell::Label(text) => csv_field(text),
            Cell::Empty => String::new(),
        })
        .collect();
    fields.join(",")
}

/// The CSV shard line (with its line end).
fn csv_shard_line(shard: Shard, range: &Range<usize>, total: usize) -> String {
    format!(
        "# shard: {shard} rows {}..{} of {total}\n",
        range.start, range.end
    )
}

/// The table as CSV (see the module documentation).
pub fn to_csv(table: &Table) -> String {
    let mut out = String::new();
    for (key, value) in &table.header {
        let value = value.replace('\r', "\\r").replace('\n', "\\n");
        out.push_str(&format!("# {key}: {value}\n"));
    }
    if let Some((shard, range)) = &table.shard {
        out.push_str(&csv_shard_line(*shard, range, table.total_points));
    }
    let columns: Vec<String> = table.columns.iter().map(|name| csv_field(name)).collect();
    out.push_str(&columns.join(","));
    out.push('\n');
    for row in &table.rows {
        out.push_str(&csv_record(row));
        out.push('\n');
    }
    out
}

/// A JSON string literal.
fn json_string(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// A JSON row, `[a, b, ...]` on one line.
fn json_row(row: &[Cell]) -> String {
    let items: Vec<String> = row
        .iter()
        .map(|cell| match cell {
            Cell::Number(x) if x.is_finite() => serde_json::Value::from(*x).to_string(),
            Cell::Number(x) => json_string(&number_text(*x)),
            Cell::Label(text) => json_string(text),
            Cell::Empty => "null".to_string(),
        })
        .collect();
    format!("[{}]", items.join(", "))
}

/// The JSON shard line (with its line end).
fn json_shard_line(shard: Shard, range: &Range<usize>) -> String {
    format!(
        "  \"shard\": {{\"index\": {}, \"count\": {}, \"start\": {}, \"end\": {}}},\n",
        shard.index, shard.count, range.start, range.end
    )
}

/// The closing `"rows"` member and document end, from rendered rows.
fn json_rows<'a>(rows: impl ExactSizeIterator<Item = &'a str>) -> String {
    if rows.len() == 0 {
        return "  \"rows\": []\n}\n".to_string();
    }
    let rows: Vec<String> = rows.map(|row| format!("    {row}")).collect();
    format!("  \"rows\": [\n{}\n  ]\n}}\n", rows.join(",\n"))
}

/// The table as JSON (see the module documentation).
pub fn to_json(table: &Table) -> String {
    let mut out = String::from("{\n");
    if table.header.is_empty() {
        out.push_str("  \"header\": {},\n");
    } else {
        let entries: Vec<String> = table
            .header
            .iter()
            .map(|(key, value)| format!("    {}: {}", json_string(key), json_string(value)))
            .collect();
        out.push_str(&format!(
            "  \"header\": {{\n{}\n  }},\n",
            entries.join(",\n")
        ));
    }
    let columns: Vec<String> = table.columns.iter().map(|name| json_string(name)).collect();
    out.push_str(&format!("  \"columns\": [{}],\n", columns.join(", ")));
    out.push_str(&format!("  \"total_points\": {},\n", table.total_points));
    if let Some((shard, range)) = &table.shard {
        out.push_str(&json_shard_line(*shard, range));
    }
    let rows: Vec<String> = table.rows.iter().map(|row| json_row(row)).collect();
    out.push_str(&json_rows(rows.iter().map(String::as_str)));
    out
}

/// One shard output taken apart: everything but the shard line and the rows (identical
/// across the shards of one sweep), the shard, and the rendered rows.
struct Part<'a> {
    preamble: String,
    shard: Shard,
    total: usize,
    rows: Vec<&'a str>,
}

/// Joins shard outputs (all CSV or all JSON, in any order) into exactly the bytes one
/// unsharded run writes. Rejects mixed formats, differing headers, columns or grids, a
/// missing, duplicated or overlapping shard, and shards from different N.
pub fn merge(parts: &[String]) -> Result<String> {
    if parts.is_empty() {
        return Err(Error::Merge("no shard outputs given".into()));
    }
    let json = |text: &str| text.trim_start().starts_with('{');
    let is_json = json(&parts[0]);
    if let Some(other) = parts.iter().position(|text| json(text) != is_json) {
        let name = |json: bool| if json { "JSON" } else { "CSV" };
        return Err(Error::Merge(format!(
            "input 1 is {} but input {} is {}",
            name(is_json),
            other + 1,
            name(!is_json)
        )));
    }
    let mut split = Vec::with_capacity(parts.len());
    for (i, text) in parts.iter().enumerate() {
        let part = if is_json {
            split_json(text)
        } else {
            split_csv(text)
        };
        split.push(part.map_err(|reason| Error::Merge(format!("input {}: {reason}", i + 1)))?);
    }

    let first = &split[0];
    for (i, part) in split.iter().enumerate().skip(1) {
        if part.shard.count != first.shard.count {
            return Err(Error::Merge(format!(
                "input 1 is one of {} shards but input {} one of {}",
                first.shard.count,
                i + 1,
                part.shard.count
            )));
        }
        if part.total != first.total || part.preamble != first.preamble {
            return Err(Error::Merge(format!(
                "inputs 1 and {} come from different sweeps{}",
                i + 1,
                first_difference(&first.preamble, &part.preamble)
            )));
        }
    }
    let count = first.shard.count;
    let mut by_index: Vec<Option<&Part>> = vec![None; count];
    for (i, part) in split.iter().enumerate() {
        let slot = &mut by_index[part.shard.index - 1];
        if slot.is_some() {
            return Err(Error::Merge(format!(
                "shard {} is given twice (again as input {})",
                part.shard,
                i + 1
            )));
        }
        *slot = Some(part);
    }
    let missing: Vec<String> = (1..=count)
        .filter(|&k| by_index[k - 1].is_none())
        .map(|k| format!("{k}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(Error::Merge(format!(
            "missing shard{} {}",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", ")
        )));
    }

    let rows = by_index
        .iter()
        .flatten()
        .flat_map(|part| part.rows.iter().copied());
    let mut out = first.preamble.clone();
    if is_json {
        let rows: Vec<&str> = rows.collect();
        out.push_str(&json_rows(rows.into_iter()));
    } else {
        for row in rows {
            out.push_str(row);
            out.push('\n');
        }
    }
    Ok(out)
}

/// Where two preambles first differ, for the message.
fn first_difference(a: &str, b: &str) -> String {
    a.lines()
        .zip(b.lines())
        .find(|(x, y)| x != y)
        .map(|(x, y)| format!(": '{}' versus '{}'", x.trim(), y.trim()))
        .unwrap_or_default()
}

/// Checks a shard's claimed rows against K/N of T and its row count.
fn check_shard(
    shard: Shard,
    range: &Range<usize>,
    total: usize,
    rows: usize,
) -> std::result::Result<(), String> {
    if shard.index == 0 || shard.index > shard.count {
        return Err(format!("shard {shard} is not a part K/N with 1 ≤ K ≤ N"));
    }
    let expected = shard.range(total);
    if *range != expected {
        return Err(format!(
            "shard {shard} claims rows {}..{} but {shard} of {total} is rows {}..{}",
            range.start, range.end, expected.start, expected.end
        ));
    }
    if rows != range.len() {
        return Err(format!(
            "shard {shard} should have {} rows but has {rows} (truncated file?)",
            range.len()
        ));
    }
    Ok(())
}

/// Splits a CSV shard output (comment lines, shard line, column line, records).
fn split_csv(text: &str) -> std::result::Result<Part<'_>, String> {
    let mut preamble = String::new();
    let mut shard = None;
    let mut rest = text;
    loop {
        let Some((line, after)) = rest.split_once('\n') else {
            return Err("no column line (not a qct sweep CSV?)".into());
        };
        rest = after;
        if let Some(spec) = line.strip_prefix("# shard: ") {
            if shard.is_some() {
                return Err("two shard lines".into());
            }
            shard = Some(parse_csv_shard(spec)?);
        } else if line.starts_with('#') {
            if shard.is_some() {
                return Err("a header line after the shard line".into());
            }
            preamble.push_str(line);
            preamble.push('\n');
        } else {
            preamble.push_str(line);
            preamble.push('\n');
            break;
        }
    }
    let Some((shard, range, total)) = shard else {
        return Err("no '# shard: K/N' line: not the output of a --shard run".into());
    };
    let rows = csv_records(rest)?;
    check_shard(shard, &range, total, rows.len())?;
    Ok(Part {
        preamble,
        shard,
        total,
        rows,
    })
}

/// Parses `K/N rows A..B of T`.
fn parse_csv_shard(spec: &str) -> std::result::Result<(Shard, Range<usize>, usize), String> {
    let bad = || format!("unreadable shard line '# shard: {spec}'");
    let words: Vec<&str> = spec.split_whitespace().collect();
    let [k_n, "rows", a_b, "of", t] = words[..] else {
        return Err(bad());
    };
    let number = |s: &str| s.parse::<usize>().map_err(|_| bad());
    let (k, n) = k_n.split_once('/').ok_or_else(bad)?;
    let (a, b) = a_b.split_once("..").ok_or_else(bad)?;
    let shard = Shard {
        index: number(k)?,
        count: number(n)?,
    };
    Ok((shard, number(a)?..number(b)?, number(t)?))
}

/// The records of a CSV body (each without its line end); quoted fields may hold line breaks.
fn csv_records(body: &str) -> std::result::Result<Vec<&str>, String> {
    let mut records = Vec::new();
    let mut start = 0;
    let mut quoted = false;
    for (i, c) in body.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => {
                records.push(&body[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if start != body.len() {
        return Err("the last row has no line end (truncated file?)".into());
    }
    Ok(records)
}

/// Splits a JSON shard output in the layout [`to_json`] writes.
fn split_json(text: &str) -> std::result::Result<Part<'_>, String> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let field = |name: &str| {
        value
            .get(name)
            .ok_or_else(|| format!("no \"{name}\" member (not a qct sweep JSON?)"))
    };
    let total = field("total_points")?
        .as_u64()
        .ok_or("\"total_points\" is not a count")? as usize;
    let rows_value = field("rows")?
        .as_array()
        .ok_or("\"rows\" is not an array")?;
    let Some(shard_value) = value.get("shard") else {
        return Err("no \"shard\" member: not the output of a --shard run".into());
    };
    let get = |name: &str| {
        shard_value
            .get(name)
            .and_then(serde_json::Value::as_u64)
            .map(|x| x as usize)
            .ok_or_else(|| format!("\"shard\" has no count \"{name}\""))
    };
    let shard = Shard {
        index: get("index")?,
        count: get("count")?,
    };
    let range = get("start")?..get("end")?;

    let layout = || "not in the layout qct writes (was the file reformatted?)".to_string();
    let shard_line = json_shard_line(shard, &range);
    let (before, after) = text.split_once(&shard_line).ok_or_else(layout)?;
    let preamble = before.to_string();
    let rows: Vec<&str> = if after == "  \"rows\": []\n}\n" {
        Vec::new()
    } else {
        let body = after
            .strip_prefix("  \"rows\": [\n")
            .and_then(|body| body.strip_suffix("\n  ]\n}\n"))
            .ok_or_else(layout)?;
        body.split(",\n")
            .map(|row| row.strip_prefix("    ").ok_or_else(layout))
            .collect::<std::result::Result<_, _>>()?
    };
    if rows.len() != rows_value.len() {
        return Err(layout());
    }
    check_shard(shard, &range, total, rows.len())?;
    Ok(Part {
        preamble,
        shard,
        total,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn axis(text: &str) -> Axis {
        text.parse().unwrap()
    }

    fn grid(axes: &[&str]) -> Grid {
        Grid::new(axes.iter().map(|a| axis(a)).collect()).unwrap()
    }

    fn message(error: Error) -> String {
        error.to_string()
    }

    /// Cheap deterministic quantities covering every kind of cell.
    fn eval(point: &[f64]) -> Result<Vec<Cell>> {
        let s: f64 = point
            .iter()
            .enumerate()
            .map(|(i, x)| (i + 1) as f64 * x)
            .sum();
        let special = match (s * 7.0).round() as i64 % 5 {
            0 => Cell::Number(f64::INFINITY),
            1 => Cell::Number(f64::NEG_INFINITY),
            2 => Cell::Empty,
            3 => Cell::Label("engine, \"heat\" pump\nline".into()),
            _ => Cell::Label("refrigerator".into()),
        };
        Ok(vec![
            Cell::Number(s.sin()),
            Cell::Number(s.exp() * 1e-30),
            special,
        ])
    }

    fn quantities() -> Vec<String> {
        vec!["sin".into(), "tiny, exp".into(), "regime".into()]
    }

    fn header() -> Vec<(String, String)> {
        vec![
            (
                "command".into(),
                "qct sweep --model dot\nsecond line".into(),
            ),
            ("model".into(), "dot, \"single\"".into()),
        ]
    }

    fn sweep(grid: &Grid, shard: Option<Shard>) -> Table {
        run(grid, shard, header(), quantities(), eval, false).unwrap()
    }

    #[test]
    fn axis_endpoints_are_exact_and_values_monotone() {
        for text in [
            "a=0:1:11",
            "a=1:0:11",
            "a=-1:1:21",
            "a=0.1:0.3:7",
            "a=1e-300:3e-300:5",
            "a=-1.7e308:1.7e308:9",
            "a=1e15:1e15:4",
            "a=3:-7.25:1000",
        ] {
            let a = axis(text);
            let v = a.values();
            assert_eq!(v.len(), a.points);
            assert_eq!(v[0], a.start, "{text}");
            assert_eq!(*v.last().unwrap(), a.stop, "{text}");
            let ascending = a.stop >= a.start;
            for w in v.windows(2) {
                assert!(w[0].is_finite() && w[1].is_finite(), "{text}");
                assert!(
                    if ascending {
                        w[0] <= w[1]
                    } else {
                        w[0] >= w[1]
                    },
                    "{text}: {w:?}"
                );
            }
            // Display parses back to the same axis.
            assert_eq!(axis(&a.to_string()), a);
        }
        let a = axis("eps=-1:1:5");
        assert_eq!(a.values(), vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
        assert_eq!(a.to_string(), "eps=-1:1:5");
    }

    #[test]
    fn one_point_axis_is_start_only() {
        let a = axis("T=2:5:1");
        assert_eq!(a.values(), vec![2.0]);
        assert_eq!(grid(&["T=2:5:1"]).len(), 1);
    }

    #[test]
    fn axis_rejects_malformed_specs() {
        for text in ["eps=1:2", "eps", "=1:2:3", " =1:2:3", "eps=1:2:3:4"] {
            let m = message(text.parse::<Axis>().unwrap_err());
            assert!(m.contains("must be NAME=START:STOP:N"), "{text}: {m}");
            assert!(m.contains(text), "{text}: {m}");
        }
        for (text, needle) in [
            ("eps=nan:1:3", "finite"),
            ("eps=1:inf:3", "finite"),
            ("eps=x:1:3", "not a number"),
            ("eps=0:1:0", "at least 1"),
            ("eps=0:1:2.5", "whole number"),
            ("eps=0:1:-3", "whole number"),
            ("eps=0:1:100000001", "limit"),
        ] {
            let m = message(text.parse::<Axis>().unwrap_err());
            assert!(m.contains(needle), "{text}: {m}");
        }
    }

    #[test]
    fn grid_rejects_bad_axis_sets() {
        assert!(message(Grid::new(vec![]).unwrap_err()).contains("at least one --vary"));
        let three = vec![axis("a=0:1:2"), axis("b=0:1:2"), axis("c=0:1:2")];
        assert!(message(Grid::new(three).unwrap_err()).contains("one or two"));
        let twice = vec![axis("a=0:1:2"), axis("a=0:2:3")];
        assert!(message(Grid::new(twice).unwrap_err()).contains("'a' is varied twice"));
        let huge = vec![axis("a=0:1:100000"), axis("b=0:1:10000")];
        assert!(message(Grid::new(huge).unwrap_err()).contains("more than"));
    }

    #[test]
    fn two_dimensional_points_are_row_major_first_axis_slowest() {
        let g = grid(&["a=0:1:2", "b=0:2:3"]);
        assert_eq!(g.len(), 6);
        let points: Vec<Vec<f64>> = (0..g.len()).map(|i| g.point(i)).collect();
        assert_eq!(
            points,
            vec![
                vec![0.0, 0.0],
                vec![0.0, 1.0],
                vec![0.0, 2.0],
                vec![1.0, 0.0],
                vec![1.0, 1.0],
                vec![1.0, 2.0],
            ]
        );
        let table = run(
            &g,
            None,
            vec![],
            vec!["q".into()],
            |p| Ok(vec![Cell::Number(p[0] * 10.0 + p[1])]),
            false,
        )
        .unwrap();
        assert_eq!(table.columns, vec!["a", "b", "q"]);
        assert_eq!(
            to_csv(&table),
            "# grid: a=0:1:2 b=0:2:3\na,b,q\n0,0,0\n0,1,1\n0,2,2\n1,0,10\n1,1,11\n1,2,12\n"
        );
    }

    #[test]
    fn shard_ranges_partition_the_points() {
        for total in 0..60 {
            for count in 1..70 {
                let mut next = 0;
                let sizes: Vec<usize> = (1..=count)
                    .map(|index| {
                        let r = Shard::new(index, count).unwrap().range(total);
                        assert_eq!(r.start, next, "{index}/{count} of {total}");
                        assert!(r.end >= r.start);
                        next = r.end;
                        r.len()
                    })
                    .collect();
                assert_eq!(next, total, "{count} parts of {total}");
                let (min, max) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
                assert!(max - min <= 1, "{count} parts of {total}: {sizes:?}");
            }
        }
        let big = Shard::new(3, 7).unwrap().range(MAX_POINTS);
        assert_eq!(big, 28_571_428..42_857_142);
    }

    #[test]
    fn shard_parses_k_of_n() {
        assert_eq!(
            "2/8".parse::<Shard>().unwrap(),
            Shard { index: 2, count: 8 }
        );
        assert_eq!("1/1".parse::<Shard>().unwrap().range(5), 0..5);
        for (text, needle) in [
            ("0/3", "between 1 and 3"),
            ("4/3", "between 1 and 3"),
            ("1/0", "N ≥ 1"),
            ("2", "must be K/N"),
            ("a/3", "must be K/N"),
            ("-1/3", "must be K/N"),
        ] {
            let m = message(text.parse::<Shard>().unwrap_err());
            assert!(m.contains(needle), "{text}: {m}");
        }
    }

    /// A deterministic shuffle (no rand dependency).
    fn shuffled<T: Clone>(items: &[T], seed: usize) -> Vec<T> {
        let mut items = items.to_vec();
        let mut state = seed as u64 * 6_364_136_223_846_793_005 + 1_442_695_040_888_963_407;
        for i in (1..items.len()).rev() {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            items.swap(i, (state >> 33) as usize % (i + 1));
        }
        items
    }

    fn shard_outputs(g: &Grid, count: usize, render: fn(&Table) -> String) -> Vec<String> {
        (1..=count)
            .map(|index| render(&sweep(g, Some(Shard::new(index, count).unwrap()))))
            .collect()
    }

    #[test]
    fn merged_shards_equal_the_unsharded_output() {
        for axes in [&["x=-1:1:5", "y=0:3:4"][..], &["x=0.3:-2:7"][..]] {
            let g = grid(axes);
            let whole = sweep(&g, None);
            for render in [to_csv as fn(&Table) -> String, to_json] {
                let expected = render(&whole);
                assert!(!expected.contains("shard"));
                for count in (1..=7).chain([g.len() + 3]) {
                    let parts = shard_outputs(&g, count, render);
                    assert!(parts.iter().all(|p| p.contains("shard")));
                    for seed in 0..3 {
                        let merged = merge(&shuffled(&parts, seed + count)).unwrap();
                        assert_eq!(merged, expected, "{axes:?}, {count} shards");
                    }
                }
            }
        }
    }

    #[test]
    fn outputs_hold_every_kind_of_cell_and_parse_back() {
        let g = grid(&["x=-1:1:5", "y=0:3:4"]);
        let table = sweep(&g, None);
        let csv = to_csv(&table);
        assert!(csv.starts_with(
            "# command: qct sweep --model dot\\nsecond line\n# model: dot, \"single\"\n\
             # grid: x=-1:1:5 y=0:3:4\nx,y,sin,\"tiny, exp\",regime\n"
        ));
        for needle in [
            ",inf\n",
            ",-inf\n",
            ",\n",
            ",\"engine, \"\"heat\"\" pump\nline\"\n",
            ",refrigerator\n",
        ] {
            assert!(csv.contains(needle), "CSV lacks {needle:?}");
        }
        // Every number parses back to the same f64.
        for (row, record) in table
            .rows
            .iter()
            .zip(csv_records(csv.split_once("regime\n").unwrap().1).unwrap())
        {
            assert_eq!(record, csv_record(row));
            for (cell, field) in row.iter().zip(record.split(',')) {
                if let Cell::Number(x) = cell {
                    assert_eq!(field.parse::<f64>().unwrap(), *x);
                }
            }
        }
        let json = to_json(&table);
        assert!(json.ends_with("]\n}\n"));
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["header"]["grid"], "x=-1:1:5 y=0:3:4");
        assert_eq!(
            value["header"]["command"],
            "qct sweep --model dot\nsecond line"
        );
        assert_eq!(value["columns"][3], "tiny, exp");
        assert_eq!(value["total_points"], 20);
        assert!(value.get("shard").is_none());
        let rows = value["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 20);
        for (row, json_row) in table.rows.iter().zip(rows) {
            for (cell, v) in row.iter().zip(json_row.as_array().unwrap()) {
                match cell {
                    Cell::Number(x) if x.is_finite() => {
                        assert!((v.as_f64().unwrap() - x).abs() <= x.abs() * 1e-15)
                    }
                    Cell::Number(x) => assert_eq!(v, if *x > 0.0 { "inf" } else { "-inf" }),
                    Cell::Label(text) => assert_eq!(v, text.as_str()),
                    Cell::Empty => assert!(v.is_null()),
                }
            }
        }
        let shard = to_json(&sweep(&g, Some(Shard::new(2, 3).unwrap())));
        let value: serde_json::Value = serde_json::from_str(&shard).unwrap();
        assert_eq!(
            value["shard"],
            serde_json::json!({"index": 2, "count": 3, "start": 6, "end": 13})
        );
        let csv = to_csv(&sweep(&g, Some(Shard::new(2, 3).unwrap())));
        assert!(csv.contains("# grid: x=-1:1:5 y=0:3:4\n# shard: 2/3 rows 6..13 of 20\nx,y,"));
        let empty = to_json(&sweep(&grid(&["x=0:1:2"]), Some(Shard::new(1, 3).unwrap())));
        assert!(
            serde_json::from_str::<serde_json::Value>(&empty).unwrap()["rows"]
                .as_array()
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn merge_rejects_inconsistent_parts() {
        let g = grid(&["x=-1:1:5", "y=0:3:4"]);
        for (is_csv, render) in [(true, to_csv as fn(&Table) -> String), (false, to_json)] {
            let three = shard_outputs(&g, 3, render);
            let four = shard_outputs(&g, 4, render);
            let fail = |parts: Vec<String>| message(merge(&parts).unwrap_err());

            assert!(fail(vec![three[0].clone(), three[2].clone()]).contains("missing shard 2/3"));
            assert!(
                fail(vec![
                    three[0].clone(),
                    three[1].clone(),
                    three[1].clone(),
                    three[2].clone()
                ])
                .contains("shard 2/3 is given twice")
            );
            assert!(fail(vec![three[0].clone(), four[1].clone()]).contains("one of 3 shards"));
            assert!(fail(vec![]).contains("no shard outputs"));

            let other = grid(&["x=-1:1:5", "y=0:2:4"]);
            let mut parts = three.clone();
            parts[1] = render(&sweep(&other, Some(Shard::new(2, 3).unwrap())));
            let m = fail(parts);
            assert!(
                m.contains("different sweeps") && m.contains("y=0:2:4"),
                "{m}"
            );

            let mut parts = three.clone();
            let other_header = vec![("command".to_string(), "qct sweep --model other".to_string())];
            parts[2] = render(
                &run(
                    &g,
                    Some(Shard::new(3, 3).unwrap()),
                    other_header,
                    quantities(),
                    eval,
                    false,
                )
                .unwrap(),
            );
            assert!(fail(parts).contains("different sweeps"));

            let whole = render(&sweep(&g, None));
            assert!(fail(vec![whole]).contains("not the output of a --shard run"));

            // A truncated shard.
            let mut parts = three.clone();
            let cut = parts[1].rfind("\n    [").unwrap_or(parts[1].len() - 1);
            parts[1] = if is_csv {
                let mut lines: Vec<&str> = parts[1].lines().collect();
                lines.pop();
                lines.join("\n") + "\n"
            } else {
                parts[1][..cut].to_string() + "\n  ]\n}\n"
            };
            let m = fail(parts);
            assert!(m.contains("input 2"), "{m}");
        }
        let mixed = vec![
            to_csv(&sweep(&g, Some(Shard::new(1, 2).unwrap()))),
            to_json(&sweep(&g, Some(Shard::new(2, 2).unwrap()))),
        ];
        assert!(message(merge(&mixed).unwrap_err()).contains("input 1 is CSV but input 2 is JSON"));
    }

    #[test]
    fn nan_is_an_error_naming_column_and_point() {
        let g = grid(&["eps=-1:1:5"]);
        let error = run(
            &g,
            None,
            vec![],
            vec!["G".into(), "ZT".into()],
            |p| {
                Ok(vec![
                    Cell::Number(1.0),
                    Cell::Number(if p[0] > 0.2 { f64::NAN } else { 1.0 }),
                ])
            },
            false,
        )
        .unwrap_err();
        let m = message(error);
        assert!(
            m.contains("eps=0.5") && m.contains("ZT") && m.contains("NaN"),
            "{m}"
        );
    }

    #[test]
    fn the_first_failing_point_in_grid_order_is_reported() {
        let g = grid(&["a=0:9:10", "b=0:99:100"]);
        for _ in 0..5 {
            let error = run(
                &g,
                None,
                vec![],
                vec!["q".into()],
                |p| {
                    if p[0] * 100.0 + p[1] >= 317.0 {
                        Err(Error::BadValue {
                            name: "q".into(),
                            value: p[1],
                            reason: "too large".into(),
                        })
                    } else {
                        Ok(vec![Cell::Number(p[1])])
                    }
                },
                false,
            )
            .unwrap_err();
            assert_eq!(message(error), "at a=3, b=17: parameter q = 17: too large");
        }
        let m = message(
            run(
                &g,
                None,
                vec![],
                vec!["q".into(), "r".into()],
                |_| Ok(vec![Cell::Empty]),
                false,
            )
            .unwrap_err(),
        );
        assert!(
            m.contains("at a=0, b=0") && m.contains("1 values for 2 columns"),
            "{m}"
        );
    }

    #[test]
    fn run_rejects_bad_headers_and_columns() {
        let g = grid(&["a=0:1:2"]);
        let try_header = |key: &str| {
            message(
                run(
                    &g,
                    None,
                    vec![(key.into(), "v".into()), ("k".into(), "v".into())],
                    vec![],
                    |_| Ok(vec![]),
                    false,
                )
                .unwrap_err(),
            )
        };
        assert!(try_header("grid").contains("reserved"));
        assert!(try_header("shard").contains("reserved"));
        assert!(try_header("k").contains("twice"));
        assert!(try_header("a: b").contains("':'"));
        let m = message(
            run(
                &g,
                None,
                vec![],
                vec!["a".into()],
                |_| Ok(vec![Cell::Empty]),
                false,
            )
            .unwrap_err(),
        );
        assert!(m.contains("column 'a' appears twice"), "{m}");
    }

    #[test]
    fn parallel_rows_equal_sequential_rows() {
        let g = grid(&["x=-3:3:41", "y=0:1:23"]);
        let with_threads = |threads: usize, shard: Option<Shard>| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| sweep(&g, shard))
        };
        let sequential = with_threads(1, None);
        let expected: Vec<Vec<Cell>> = (0..g.len())
            .map(|i| {
                let p = g.point(i);
                let mut row: Vec<Cell> = p.iter().map(|&x| Cell::Number(x)).collect();
                row.extend(eval(&p).unwrap());
                row
            })
            .collect();
        assert_eq!(sequential.rows, expected);
        assert_eq!(with_threads(4, None), sequential);
        let shard = Shard::new(2, 5).unwrap();
        assert_eq!(
            with_threads(3, Some(shard)).rows,
            expected[shard.range(g.len())]
        );
    }

    #[test]
    fn numbers_are_shortest_round_trip() {
        for (x, text) in [
            (0.1, "0.1"),
            (-0.0, "-0"),
            (1.0, "1"),
            (1e15, "1000000000000000"),
            (1e16, "1e16"),
            (1.5e-7, "1.5e-7"),
            (-2.5e300, "-2.5e300"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
        ] {
            assert_eq!(number_text(x), text);
            assert_eq!(text.parse::<f64>().unwrap().to_bits(), x.to_bits());
        }
    }
}
