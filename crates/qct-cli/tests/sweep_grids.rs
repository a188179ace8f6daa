//! `qct sweep` with failing points (`--on-error record`), N-D grids, log-spaced and list
//! axes, through the binary: exit statuses, the error column, and shards that merge into
//! the bytes of the unsharded run.

#[path = "support/cli.rs"]
mod support;

use support::qct;

fn text(out: &std::process::Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("utf-8")
}

/// A temperature list with a negative entry: `stop` (the default) refuses the sweep with
/// exit 2 naming the point; `record` finishes, exit 3, the failing rows carry the message
/// and empty cells, and the other rows equal those of a sweep without the bad value.
#[test]
fn record_keeps_going_and_counts_failures() {
    let args = [
        "sweep",
        "sqd",
        "--vary",
        "T_l=-1,0.5,1",
        "--vary",
        "eps=log:0.1:10:3",
    ];
    let stop = qct(&[&args[..], &["--quantity", "J_N^l,P"]].concat());
    assert_eq!(stop.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&stop.stderr).contains("at T_l=-1, eps=0.1"));
    let record = qct(&[
        &args[..],
        &["--quantity", "J_N^l,P", "--on-error", "record"],
    ]
    .concat());
    assert_eq!(record.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&record.stderr).contains("3 of 9 points failed"));
    let csv = text(&record);
    let rows: Vec<&str> = csv.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(rows[0], "T_l,eps,J_N^l,P,error");
    for row in &rows[1..4] {
        assert!(
            row.starts_with("-1,") && row.contains(",,,\"parameter T_l = -1"),
            "{row}"
        );
    }
    let good = qct(&[
        "sweep",
        "sqd",
        "--vary",
        "T_l=0.5,1",
        "--vary",
        "eps=log:0.1:10:3",
        "--quantity",
        "J_N^l,P",
    ]);
    assert_eq!(good.status.code(), Some(0));
    let good_rows: Vec<String> = text(&good)
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| format!("{l},"))
        .collect();
    assert_eq!(rows[4..].to_vec(), good_rows);
}

/// A 3-D grid (log, list, linear): the decades land on powers of ten, the row count is the
/// product of the axis lengths, and 4 shards (with failing points recorded) merge into
/// exactly the unsharded bytes, CSV and JSON.
#[test]
fn n_dimensional_log_and_list_grids_shard_and_merge() {
    let dir = std::env::temp_dir().join(format!("qct-sweep-grids-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let base = [
        "sweep",
        "sqd",
        "--vary",
        "gamma_l=log:1e-2:1e2:5",
        "--vary",
        "T_l=-1,1.5",
        "--vary",
        "eps=-1:1:3",
        "--quantity",
        "J_N^l",
        "--on-error",
        "record",
    ];
    for format in ["csv", "json"] {
        let whole = qct(&[&base[..], &["--format", format]].concat());
        assert_eq!(whole.status.code(), Some(3));
        let whole = text(&whole);
        if format == "csv" {
            let rows: Vec<&str> = whole.lines().filter(|l| !l.starts_with('#')).collect();
            assert_eq!(rows.len(), 1 + 5 * 2 * 3);
            let gammas: Vec<&str> = rows[1..]
                .iter()
                .step_by(6)
                .map(|r| &r[..r.find(',').unwrap()])
                .collect();
            assert_eq!(gammas, ["0.01", "0.1", "1", "10", "100"]);
            assert!(whole.contains("# grid: gamma_l=log:0.01:100:5 T_l=-1,1.5 eps=-1:1:3\n"));
        }
        let mut files = Vec::new();
        for k in 1..=4 {
            let shard = format!("{k}/4");
            let out = qct(&[&base[..], &["--format", format, "--shard", &shard]].concat());
            let path = dir.join(format!("part{k}.{format}"));
            std::fs::write(&path, &out.stdout).unwrap();
            files.push(path.to_string_lossy().into_owned());
        }
        files.reverse();
        let mut merge_args = vec!["merge"];
        merge_args.extend(files.iter().map(String::as_str));
        let merged = qct(&merge_args);
        assert_eq!(merged.status.code(), Some(0));
        assert_eq!(text(&merged), whole, "{format}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// A figure's title names what it draws: a 1-D sweep of J_N^l, regime and sigma draws the
/// two numeric curves, so the title is "sqd: J_N^l, Σ̇" (regime is not drawn); the
/// error column of `--on-error record` is never a curve or in the title.
#[test]
fn figure_titles_name_what_is_drawn() {
    let dir = std::env::temp_dir().join(format!("qct-sweep-titles-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("lines.svg");
    let out = qct(&[
        "sweep",
        "sqd",
        "--vary",
        "eps=-2:2:21",
        "--quantity",
        "J_N^l,regime,sigma",
        "--on-error",
        "record",
        "--plot",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let svg = std::fs::read_to_string(&path).unwrap();
    // The title is the first text; its runs (J, subscript N, superscript l) joined.
    let title = svg
        .split("<text ")
        .nth(1)
        .unwrap()
        .split("</text>")
        .next()
        .unwrap();
    let runs: String = title
        .split("<tspan ")
        .skip(1)
        .map(|span| span.split('>').nth(1).unwrap().split('<').next().unwrap())
        .collect();
    assert_eq!(runs, "sqd: JNl, Σ\u{307}", "{}", &svg[..600]);
    assert!(!svg.contains("regime") && !svg.contains(">\nerror\n<"));
    std::fs::remove_dir_all(&dir).ok();
}
