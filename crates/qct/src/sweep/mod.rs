//! Parameter sweeps: evaluate numeric quantities on an N-D grid, split the grid into
//! shards, and join the shard outputs. Purely numeric — the physics is the caller's `eval`.
//!
//! # Grid
//!
//! Each axis is `NAME=START:STOP:N`: N ≥ 1 points from START to STOP, both included
//! (N = 1 is START alone; START may exceed STOP); `NAME=log:START:STOP:N`, the same evenly
//! spaced in log; or `NAME=V1,V2,...`, an explicit list (`grid`). Any number of axes;
//! points are numbered row-major with the first axis slowest, so a 2-D output reads as
//! blocks of the second axis. At most [`MAX_POINTS`] points in all.
//!
//! # Failing points
//!
//! [`OnError::Stop`] (the default) aborts at the first failing point in grid order;
//! [`OnError::Record`] adds a last column `error` that holds the message of a failing point
//! (its quantity cells empty) and is empty elsewhere, so shards still merge byte for byte.
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
//! [`merge`] reads CSV with the `csv` crate (after qct's `#` lines) and JSON with serde, by
//! key, so a JSON shard may be re-indented, pretty-printed or have its keys reordered (the
//! order of the `header` keys is data and is kept). It re-renders every cell as above, so
//! the merge is byte-identical to an unsharded run; it tells JSON from CSV by the first
//! non-space character (`{`).

use crate::error::{Error, Result};
#[cfg(feature = "parallel")]
use rayon::prelude::*;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Largest number of grid points a sweep may have.
pub const MAX_POINTS: usize = 100_000_000;

/// Header keys that [`run`] writes itself.
pub const RESERVED_KEYS: [&str; 2] = ["grid", "shard"];

mod grid;
pub use grid::{Axis, AxisUnit, Grid, Shard, Spacing};
mod units;
pub use units::sweep_in_physical_units;

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
/// parallel with rayon (feature `parallel`), rows in grid order whatever the thread count.
///
/// Each row is the axis values followed by the cells of `eval`; the columns are the axis
/// names followed by `quantity_columns`. `header` gets `("grid", grid)` appended; its keys
/// must be distinct, non-empty, free of `:` and line breaks, and not in [`RESERVED_KEYS`].
/// An error at a point (from `eval`, a NaN cell, or a wrong number of cells) aborts the
/// sweep as [`Error::AtPoint`]; with several failing points the first in grid order is
/// reported. `progress`, when given, is called once per evaluated point with the number of
/// points this run evaluates (a client draws a progress bar with it; the library prints
/// nothing).
pub fn run(
    grid: &Grid,
    shard: Option<Shard>,
    header: Vec<(String, String)>,
    quantity_columns: Vec<String>,
    eval: impl Fn(&[f64]) -> Result<Vec<Cell>> + Sync,
    progress: Option<&(dyn Fn(usize) + Sync)>,
) -> Result<Table> {
    run_with(
        grid,
        shard,
        header,
        quantity_columns,
        eval,
        progress,
        OnError::Stop,
    )
}

/// What a sweep does at a point whose evaluation fails (`--on-error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnError {
    /// Abort the sweep with the first failing point (in grid order).
    Stop,
    /// Keep going: every row gets a last column `error`, empty where the point evaluated,
    /// else the message, with the quantity cells of that row empty.
    Record,
}

impl crate::error::Named for OnError {
    const WHAT: &'static str = "on-error choice";
    const ALL: &'static [(Self, &'static str)] =
        &[(OnError::Stop, "stop"), (OnError::Record, "record")];
}

/// Name of the column that [`OnError::Record`] adds.
pub const ERROR_COLUMN: &str = "error";

impl Table {
    /// Rows whose `error` cell holds a message (0 without an `error` column).
    pub fn failed_points(&self) -> usize {
        if self.columns.last().map(String::as_str) != Some(ERROR_COLUMN) {
            return 0;
        }
        self.rows
            .iter()
            .filter(|row| matches!(row.last(), Some(Cell::Label(message)) if !message.is_empty()))
            .count()
    }
}

/// [`run`] with a choice of what happens at a failing point.
pub(crate) fn run_with(
    grid: &Grid,
    shard: Option<Shard>,
    header: Vec<(String, String)>,
    quantity_columns: Vec<String>,
    eval: impl Fn(&[f64]) -> Result<Vec<Cell>> + Sync,
    progress: Option<&(dyn Fn(usize) + Sync)>,
    on_error: OnError,
) -> Result<Table> {
    let record = on_error == OnError::Record;
    let mut quantity_columns = quantity_columns;
    if record {
        quantity_columns.push(ERROR_COLUMN.to_string());
    }
    let measured = quantity_columns[..quantity_columns.len() - usize::from(record)].to_vec();
    let eval = |point: &[f64]| -> Result<Vec<Cell>> {
        if !record {
            return eval(point);
        }
        let n = measured.len();
        let mut cells = match evaluate_point(point, &measured, &eval) {
            Ok(row) => row[point.len()..].to_vec(),
            Err(error) => {
                let mut cells = vec![Cell::Empty; n];
                cells.push(Cell::Label(error.to_string()));
                return Ok(cells);
            }
        };
        cells.push(Cell::Empty);
        Ok(cells)
    };
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

    let points = range.len();
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
        if let Some(progress) = progress {
            progress(points);
        }
        Some(row)
    };
    #[cfg(feature = "parallel")]
    let results: Vec<Option<Result<Vec<Cell>>>> =
        range.clone().into_par_iter().map(evaluate).collect();
    #[cfg(not(feature = "parallel"))]
    let results: Vec<Option<Result<Vec<Cell>>>> = range.clone().map(evaluate).collect();

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
pub fn number_text(x: f64) -> String {
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
struct Part {
    preamble: String,
    shard: Shard,
    total: usize,
    rows: Vec<String>,
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
        .flat_map(|part| part.rows.iter().map(String::as_str));
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

/// Splits a CSV shard output: qct's comment lines and shard line, then the column line and
/// records, read with the `csv` crate and re-rendered field by field as [`to_csv`] writes them.
fn split_csv(text: &str) -> std::result::Result<Part, String> {
    let mut preamble = String::new();
    let mut shard = None;
    let mut rest = text;
    while rest.starts_with('#') {
        let Some((line, after)) = rest.split_once('\n') else {
            return Err("no column line (not a qct sweep CSV?)".into());
        };
        rest = after;
        if let Some(spec) = line.strip_prefix("# shard: ") {
            if shard.is_some() {
                return Err("two shard lines".into());
            }
            shard = Some(parse_csv_shard(spec)?);
        } else if shard.is_some() {
            return Err("a header line after the shard line".into());
        } else {
            preamble.push_str(line);
            preamble.push('\n');
        }
    }
    let Some((shard, range, total)) = shard else {
        return Err("no '# shard: K/N' line: not the output of a --shard run".into());
    };
    if !rest.ends_with('\n') {
        return Err("the last line has no line end (truncated file?)".into());
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(rest.as_bytes());
    let csv_error = |e: csv::Error| format!("unreadable CSV: {e}");
    let line = |record: &csv::StringRecord| -> String {
        record.iter().map(csv_field).collect::<Vec<_>>().join(",")
    };
    let columns = reader.headers().map_err(csv_error)?;
    if columns.is_empty() {
        return Err("no column line (not a qct sweep CSV?)".into());
    }
    preamble.push_str(&line(columns));
    preamble.push('\n');
    let rows = reader
        .records()
        .map(|record| record.map(|r| line(&r)).map_err(csv_error))
        .collect::<std::result::Result<Vec<_>, _>>()?;
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

/// A JSON shard output as [`to_json`] writes it, read by keys (any layout, any key order).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonShard<'a> {
    header: serde_json::Map<String, serde_json::Value>,
    columns: Vec<String>,
    total_points: usize,
    shard: Option<JsonShardMember>,
    #[serde(borrow)]
    rows: Vec<Vec<&'a serde_json::value::RawValue>>,
}

/// The `"shard"` member: shard K of N holds rows `start..end` of the whole grid.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonShardMember {
    index: usize,
    count: usize,
    start: usize,
    end: usize,
}

/// A JSON row value as the cell [`to_json`] wrote it from. Numbers are parsed from their
/// text by the standard library (correctly rounded), so they re-render to the same digits.
fn json_cell(value: &serde_json::value::RawValue) -> std::result::Result<Cell, String> {
    let text = value.get();
    match text.as_bytes().first() {
        Some(b'n') if text == "null" => Ok(Cell::Empty),
        Some(b'"') => serde_json::from_str::<String>(text)
            .map(Cell::Label)
            .map_err(|e| e.to_string()),
        Some(b'-' | b'0'..=b'9') => text
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .map(Cell::Number)
            .ok_or_else(|| format!("the number {text} is out of range")),
        _ => Err(format!("{text} is not a number, string or null")),
    }
}

/// Reads a JSON shard output with serde and re-renders its parts as [`to_json`] writes them.
fn split_json(text: &str) -> std::result::Result<Part, String> {
    let doc: JsonShard =
        serde_json::from_str(text).map_err(|e| format!("not a qct sweep JSON: {e}"))?;
    let Some(member) = doc.shard else {
        return Err("no \"shard\" member: not the output of a --shard run".into());
    };
    let header = doc
        .header
        .into_iter()
        .map(|(key, value)| match value {
            serde_json::Value::String(value) => Ok((key, value)),
            _ => Err(format!("header \"{key}\" is not a string")),
        })
        .collect::<std::result::Result<_, String>>()?;
    let mut rows = Vec::with_capacity(doc.rows.len());
    for (r, row) in doc.rows.iter().enumerate() {
        if row.len() != doc.columns.len() {
            return Err(format!(
                "row {} has {} values but there are {} columns",
                r + 1,
                row.len(),
                doc.columns.len()
            ));
        }
        let cells = row
            .iter()
            .map(|value| json_cell(value))
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| format!("row {}: {e}", r + 1))?;
        rows.push(json_row(&cells));
    }
    let empty = Table {
        header,
        columns: doc.columns,
        rows: Vec::new(),
        total_points: doc.total_points,
        shard: None,
    };
    // `to_json` of a table without rows ends with the empty rows member: cut it off.
    let mut preamble = to_json(&empty);
    preamble.truncate(preamble.len() - json_rows(std::iter::empty()).len());
    let shard = Shard {
        index: member.index,
        count: member.count,
    };
    let range = member.start..member.end;
    check_shard(shard, &range, doc.total_points, rows.len())?;
    Ok(Part {
        preamble,
        shard,
        total: doc.total_points,
        rows,
    })
}

#[cfg(test)]
mod tests;
