//! Unit tests of the sweep engine: grids, shards, outputs, merges and failing points.

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
    run(grid, shard, header(), quantities(), eval, None).unwrap()
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
        None,
    )
    .unwrap();
    assert_eq!(table.columns, vec!["a", "b", "q"]);
    assert_eq!(
        to_csv(&table),
        "# grid: a=0:1:2 b=0:2:3\na,b,q\n0,0,0\n0,1,1\n0,2,2\n1,0,10\n1,1,11\n1,2,12\n"
    );
}

/// Log axes: exact ends, decades exactly on powers of ten, constant ratio between
/// neighbours; list axes: the values as given; both print back to what parses to them.
#[test]
fn log_and_list_axes() {
    let a = axis("eps=log:1e-3:1:4");
    assert_eq!(a.values(), vec![1e-3, 1e-2, 1e-1, 1.0]);
    let b = axis("g=log:2:3e5:50");
    let v = b.values();
    assert_eq!((v[0], v[49]), (2.0, 3e5));
    let ratio = (3e5f64 / 2.0).powf(1.0 / 49.0);
    for w in v.windows(2) {
        assert!((w[1] / w[0] / ratio - 1.0).abs() < 1e-13, "{w:?}");
    }
    let negative = axis("x=log:-10:-0.1:3");
    assert_eq!(negative.values(), vec![-10.0, -1.0, -0.1]);
    let list = axis("eps=0, 0.5,1,-2");
    assert_eq!(list.values(), vec![0.0, 0.5, 1.0, -2.0]);
    assert_eq!(axis("eps=0.25").values(), vec![0.25]);
    for a in [a, b, negative, list] {
        assert_eq!(axis(&a.to_string()), a, "{a}");
    }
    for (text, needle) in [
        ("eps=log:0:1:3", "nonzero and of one sign"),
        ("eps=log:-1:1:3", "nonzero and of one sign"),
        ("eps=log:1:2", "must be NAME=START:STOP:N"),
        ("eps=0,x,1", "not a number"),
        ("eps=0,,1", "not a number"),
        ("eps=0,inf", "finite"),
    ] {
        let m = message(text.parse::<Axis>().unwrap_err());
        assert!(m.contains(needle), "{text}: {m}");
    }
}

/// Three axes (log, list, linear): row-major with the first axis slowest.
#[test]
fn n_dimensional_grids() {
    let g = grid(&["a=log:1:100:3", "b=5,-5", "c=0:1:2"]);
    assert_eq!(g.len(), 12);
    assert_eq!(g.point(0), vec![1.0, 5.0, 0.0]);
    assert_eq!(g.point(1), vec![1.0, 5.0, 1.0]);
    assert_eq!(g.point(2), vec![1.0, -5.0, 0.0]);
    assert_eq!(g.point(4), vec![10.0, 5.0, 0.0]);
    assert_eq!(g.point(11), vec![100.0, -5.0, 1.0]);
}

/// `--on-error record`: failing points become rows with empty cells and the message in
/// the last column `error`; the others are exactly the rows of a sweep without failures.
#[test]
fn recorded_errors_keep_the_sweep_going() {
    let g = grid(&["x=-1:1:5", "y=0,1"]);
    let eval = |p: &[f64]| -> Result<Vec<Cell>> {
        if p[0] < 0.0 && p[1] == 1.0 {
            Err(Error::BadAssignment(format!("x = {} is refused", p[0])))
        } else if p[0] == 1.0 && p[1] == 0.0 {
            Ok(vec![Cell::Number(f64::NAN)])
        } else {
            Ok(vec![Cell::Number(p[0] + 10.0 * p[1])])
        }
    };
    let record = |shard| {
        run_with(
            &g,
            shard,
            vec![],
            vec!["q".into()],
            eval,
            None,
            OnError::Record,
        )
        .unwrap()
    };
    let table = record(None);
    assert_eq!(table.columns, vec!["x", "y", "q", "error"]);
    assert_eq!(table.failed_points(), 3);
    let csv = to_csv(&table);
    assert!(csv.contains("\n-1,1,,x = -1 is refused\n"), "{csv}");
    assert!(
        csv.contains("\n1,0,,non-finite result in column q (NaN)"),
        "{csv}"
    );
    assert!(csv.contains("\n0,1,10,\n"), "{csv}");
    // Stop is the default: the first failing point in grid order.
    let stop = run(&g, None, vec![], vec!["q".into()], eval, None).unwrap_err();
    assert!(message(stop).contains("at x=-1, y=1"));
    // Shards of a recording sweep merge into the unsharded bytes.
    for render in [to_csv as fn(&Table) -> String, to_json] {
        let parts: Vec<String> = (1..=4)
            .map(|k| render(&record(Some(Shard::new(k, 4).unwrap()))))
            .collect();
        assert_eq!(merge(&shuffled(&parts, 3)).unwrap(), render(&table));
    }
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
    for axes in [
        &["x=-1:1:5", "y=0:3:4"][..],
        &["x=0.3:-2:7"][..],
        &["x=log:1e-3:1:4", "y=0,0.5,1", "z=-1:1:3"][..],
    ] {
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
    // An independent CSV reader (the `csv` crate) gets every cell back: numbers as the same
    // f64, labels with their commas, quotes and line breaks, empty cells empty.
    let body = csv.split_once("# grid: x=-1:1:5 y=0:3:4\n").unwrap().1;
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    assert_eq!(reader.headers().unwrap(), table.columns.as_slice());
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), table.rows.len());
    for (row, record) in table.rows.iter().zip(&records) {
        assert_eq!(record.len(), row.len());
        for (cell, field) in row.iter().zip(record) {
            match cell {
                Cell::Number(x) => assert_eq!(field.parse::<f64>().unwrap(), *x),
                Cell::Label(text) => assert_eq!(field, text),
                Cell::Empty => assert_eq!(field, ""),
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
                None,
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
        None,
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
            None,
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
            None,
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
                None,
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
            None,
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

/// A JSON text rewritten by serde: pretty-printed, compact, or with keys reordered.
fn rewritten(text: &str, rewrite: fn(serde_json::Value) -> String) -> String {
    rewrite(serde_json::from_str(text).unwrap())
}

/// The object's members in reverse order (the `header` keys are data and keep theirs).
fn reversed_keys(value: serde_json::Value) -> serde_json::Value {
    let serde_json::Value::Object(map) = value else {
        return value;
    };
    let mut members: Vec<(String, serde_json::Value)> = map.into_iter().collect();
    members.reverse();
    let reversed = members.into_iter().map(|(key, value)| {
        let value = if key == "shard" {
            reversed_keys(value)
        } else {
            value
        };
        (key, value)
    });
    serde_json::Value::Object(reversed.collect())
}

#[test]
fn merge_reads_reformatted_json_shards_by_key() {
    let g = grid(&["x=log:1e-3:1:4", "y=0,0.5,1", "z=-1:1:3"]);
    let expected = to_json(&sweep(&g, None));
    let parts = shard_outputs(&g, 5, to_json);
    let rewrites: [fn(serde_json::Value) -> String; 3] = [
        |v| serde_json::to_string_pretty(&v).unwrap(),
        |v| serde_json::to_string(&v).unwrap(),
        |v| serde_json::to_string_pretty(&reversed_keys(v)).unwrap() + "\n",
    ];
    for rewrite in rewrites {
        let reformatted: Vec<String> = parts.iter().map(|p| rewritten(p, rewrite)).collect();
        // The rewrite really changed the bytes, but not the merge.
        assert!(reformatted.iter().zip(&parts).all(|(r, p)| r != p));
        assert_eq!(merge(&reformatted).unwrap(), expected);
        // Reformatted and original shards mix.
        let mut mixed = parts.clone();
        mixed[1] = reformatted[1].clone();
        mixed[4] = reformatted[4].clone();
        assert_eq!(merge(&shuffled(&mixed, 2)).unwrap(), expected);
    }
    // Reordered keys: "rows" first, "header" last, the shard member backwards.
    let reordered = rewritten(&parts[0], |v| {
        serde_json::to_string(&reversed_keys(v)).unwrap()
    });
    assert!(reordered.starts_with("{\"rows\":") && reordered.contains("\"end\":"));
    let mut with_reordered = parts.clone();
    with_reordered[0] = reordered;
    assert_eq!(merge(&with_reordered).unwrap(), expected);
}

#[test]
fn merge_of_damaged_json_shards_fails_with_one_line() {
    let g = grid(&["x=-1:1:5", "y=0:3:4"]);
    let parts = shard_outputs(&g, 3, to_json);
    let pretty: Vec<String> = parts
        .iter()
        .map(|p| rewritten(p, |v| serde_json::to_string_pretty(&v).unwrap()))
        .collect();
    for original in [&parts, &pretty] {
        let text = &original[1];
        // Cut anywhere (on a character boundary): never a panic, always one line naming input 2.
        for cut in (1..text.len() - 1)
            .filter(|&c| text.is_char_boundary(c))
            .step_by(7)
        {
            let mut damaged = original.clone();
            damaged[1] = text[..cut].to_string();
            let m = message(merge(&damaged).unwrap_err());
            assert!(m.contains("input 2") && !m.contains('\n'), "cut {cut}: {m}");
        }
    }
    // A truncated file: valid until the cut, then EOF inside the rows.
    let mut damaged = parts.clone();
    damaged[1] = parts[1][..parts[1].len() - 20].to_string();
    let m = message(merge(&damaged).unwrap_err());
    assert!(m.contains("input 2: not a qct sweep JSON: EOF"), "{m}");
    // Well-formed JSON that is not a qct shard.
    let wrong = |edit: fn(&mut serde_json::Value)| {
        let mut value: serde_json::Value = serde_json::from_str(&parts[1]).unwrap();
        edit(&mut value);
        let mut damaged = parts.clone();
        damaged[1] = value.to_string();
        message(merge(&damaged).unwrap_err())
    };
    assert!(wrong(|v| v["rows"][0] = serde_json::json!([1.0])).contains("row 1 has 1 values"));
    assert!(wrong(|v| v["rows"][2][0] = serde_json::json!(true)).contains("row 3: true"));
    assert!(wrong(|v| v["extra"] = serde_json::json!(1)).contains("unknown field `extra`"));
    let no_total = wrong(|v| {
        v.as_object_mut().unwrap().remove("total_points");
    });
    assert!(
        no_total.contains("missing field `total_points`"),
        "{no_total}"
    );
}

#[test]
fn merge_of_damaged_csv_shards_fails_with_one_line() {
    let g = grid(&["x=-1:1:5", "y=0:3:4"]);
    let parts = shard_outputs(&g, 3, to_csv);
    let text = &parts[1];
    for cut in (1..text.len() - 1).filter(|&c| text.is_char_boundary(c)) {
        let mut damaged = parts.clone();
        damaged[1] = text[..cut].to_string();
        let m = message(merge(&damaged).unwrap_err());
        assert!(m.contains("input 2") && !m.contains('\n'), "cut {cut}: {m}");
    }
    // A record with a field too few.
    let mut damaged = parts.clone();
    let last = text.trim_end().rfind(',').unwrap();
    damaged[1] = format!("{}\n", &text[..last]);
    let m = message(merge(&damaged).unwrap_err());
    assert!(
        m.contains("input 2: unreadable CSV") && !m.contains('\n'),
        "{m}"
    );
}
