//! Tests of the figures: determinism, degenerate and bad inputs, layout helpers.

use super::axes::tick_formatter;
use super::colour::ColourScale;
use super::maps::{cell_edges, clip_polyline};
use super::*;

fn plain() -> Style {
    Style::default()
}

fn one(y_label: &str, series: Vec<Series>) -> Vec<Panel> {
    vec![Panel {
        y_label: y_label.into(),
        series,
    }]
}

fn tmp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("qct-plot-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn axis(label: &str, n: usize, lo: f64, hi: f64) -> GridAxis {
    let values = (0..n)
        .map(|k| lo + (hi - lo) * k as f64 / (n.max(2) - 1) as f64)
        .collect();
    GridAxis {
        label: label.to_string(),
        values,
    }
}

fn sample_series() -> Vec<Series> {
    let a = (0..50)
        .map(|k| {
            let x = k as f64 / 10.0;
            (x, x.sin())
        })
        .collect();
    let mut b: Vec<(f64, f64)> = (0..50)
        .map(|k| {
            let x = k as f64 / 10.0;
            (x, 0.5 * x.cos())
        })
        .collect();
    b[20].1 = f64::INFINITY;
    b[21].1 = f64::NAN;
    vec![
        Series {
            name: "sin x".into(),
            points: a,
        },
        Series {
            name: "½ cos x (gap)".into(),
            points: b,
        },
    ]
}

fn diverging_map(path: &Path) -> Result<()> {
    let x = axis("ε_b (energy unit)", 30, -2.0, 2.0);
    let y = axis("Δ_T / T", 20, -1.0, 1.0);
    let mut z = Vec::new();
    for &xi in &x.values {
        for &yj in &y.values {
            z.push(xi * yj + 0.1 * xi);
        }
    }
    z[5] = f64::NAN;
    let boundary = Curve {
        name: "x y = −0.1 x".into(),
        points: (0..50)
            .map(|k| (-2.0 + 4.0 * k as f64 / 49.0, -0.1))
            .collect(),
    };
    heat_map(
        path,
        "Heat current J_Q",
        &x,
        &y,
        &z,
        "J_Q (β Γ)",
        &[boundary],
        &plain(),
    )
}

#[test]
fn format_from_extension() {
    assert_eq!(format_of(Path::new("a/b.svg")).unwrap(), PlotFormat::Svg);
    assert_eq!(format_of(Path::new("B.PNG")).unwrap(), PlotFormat::Png);
    for bad in ["x.pdf", "x", "svg"] {
        let err = format_of(Path::new(bad)).unwrap_err().to_string();
        assert!(err.contains(".svg") && err.contains(".png"), "{err}");
        assert!(err.contains(bad), "{err}");
    }
}

#[test]
fn svg_is_deterministic() {
    let (a, b) = (tmp("det-a.svg"), tmp("det-b.svg"));
    line_plot(&a, "Sweep", "x", &one("y", sample_series()), &plain()).unwrap();
    line_plot(&b, "Sweep", "x", &one("y", sample_series()), &plain()).unwrap();
    let (sa, sb) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    assert_eq!(sa, sb);
    let text = String::from_utf8(sa).unwrap();
    assert!(text.starts_with("<svg"));
    assert!(text.contains("½ cos x (gap)"));
    assert!(!text.contains("NaN") && !text.contains("inf"));

    diverging_map(&a).unwrap();
    diverging_map(&b).unwrap();
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

#[test]
fn png_is_written_with_text() {
    let path = tmp("line.png");
    line_plot(
        &path,
        "Power P (ε_b)",
        "β Δμ",
        &one("P", sample_series()),
        &plain(),
    )
    .unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    let path = tmp("map.png");
    diverging_map(&path).unwrap();
    assert!(
        std::fs::read(&path)
            .unwrap()
            .starts_with(b"\x89PNG\r\n\x1a\n")
    );
}

#[test]
fn degenerate_inputs_do_not_fail() {
    let path = tmp("degenerate.svg");
    let constant = Series {
        name: "c".into(),
        points: vec![(0.0, 2.0), (1.0, 2.0)],
    };
    line_plot(&path, "", "x", &one("y", vec![constant]), &plain()).unwrap();
    let nothing = Series {
        name: "none".into(),
        points: vec![(f64::INFINITY, 1.0), (0.0, f64::NEG_INFINITY)],
    };
    line_plot(&path, "t", "x", &one("y", vec![nothing.clone()]), &plain()).unwrap();
    line_plot(&path, "t", "x", &one("y", vec![]), &plain()).unwrap();
    line_plot(&path, "t", "x", &[], &plain()).unwrap();
    let single = Series {
        name: "one".into(),
        points: vec![(1.0, 1.0)],
    };
    line_plot(&path, "t", "x", &one("y", vec![single, nothing]), &plain()).unwrap();

    // 1-point axes, all-undefined and constant maps.
    let x = axis("x", 1, 3.0, 3.0);
    let y = axis("y", 1, 0.0, 0.0);
    heat_map(&path, "t", &x, &y, &[f64::NAN], "z", &[], &plain()).unwrap();
    heat_map(&path, "t", &x, &y, &[1.5], "z", &[], &plain()).unwrap();
    let y = axis("y", 3, 0.0, 1.0);
    heat_map(&path, "t", &x, &y, &[0.0; 3], "z", &[], &plain()).unwrap();
    category_map(&path, "t", &x, &y, &[0, 1, 0], &["a", "b"], &[], &plain()).unwrap();
}

#[test]
fn crowded_legends_do_not_fail() {
    let x = axis("x", 3, 0.0, 1.0);
    let y = axis("y", 2, 0.0, 1.0);
    let curves: Vec<Curve> = (0..25)
        .map(|k| Curve {
            name: format!("curve {k} with a rather long name that will not fit anywhere"),
            points: vec![(0.0, 0.0), (1.0, k as f64 / 25.0)],
        })
        .collect();
    for ext in ["svg", "png"] {
        let path = tmp(&format!("crowded.{ext}"));
        let z = [0.0, 1.0, f64::NAN, -1.0, 2.0, 3.0];
        heat_map(&path, "t", &x, &y, &z, "z", &curves, &plain()).unwrap();
        let names: Vec<String> = (0..40).map(|k| format!("category {k}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let labels = [0, 5, 13, 21, 34, 39];
        category_map(&path, "t", &x, &y, &labels, &names, &curves, &plain()).unwrap();
    }
}

#[test]
fn bad_inputs_are_errors() {
    let x = axis("x", 3, 0.0, 1.0);
    let y = axis("y", 2, 0.0, 1.0);
    let ok = tmp("ok.svg");
    let err = heat_map(&ok, "t", &x, &y, &[0.0; 5], "z", &[], &plain()).unwrap_err();
    assert!(err.to_string().contains("3 × 2 = 6"), "{err}");
    let err = category_map(&ok, "t", &x, &y, &[0; 5], &["a"], &[], &plain()).unwrap_err();
    assert!(err.to_string().contains("labels has 5 values"), "{err}");
    let err = category_map(
        &ok,
        "t",
        &x,
        &y,
        &[0, 0, 0, 0, 0, 2],
        &["a", "b"],
        &[],
        &plain(),
    );
    assert!(err.unwrap_err().to_string().contains("out of range"));
    let bent = GridAxis {
        label: "bent".into(),
        values: vec![0.0, 1.0, 0.5],
    };
    let err = heat_map(&ok, "t", &bent, &y, &[0.0; 6], "z", &[], &plain()).unwrap_err();
    assert!(err.to_string().contains("monotone"), "{err}");
    let err = heat_map(&tmp("x.jpg"), "t", &x, &y, &[0.0; 6], "z", &[], &plain()).unwrap_err();
    assert!(err.to_string().contains(".svg or .png"), "{err}");

    for name in ["/nonexistent/dir/x.svg", "/nonexistent/dir/x.png"] {
        let path = Path::new(name);
        let err = line_plot(path, "t", "x", &one("y", sample_series()), &plain()).unwrap_err();
        assert!(matches!(err, Error::Plot { .. }));
        assert!(err.to_string().contains(name), "{err}");
    }
}

#[test]
fn category_legend_lists_present_categories_only() {
    let path = tmp("cat.svg");
    let x = axis("F_E", 4, -1.0, 1.0);
    let y = axis("F_N", 3, -1.0, 1.0);
    let labels = [0, 0, 2, 2, 0, 2, 2, 2, 0, 0, 0, 0];
    category_map(
        &path,
        "Regimes",
        &x,
        &y,
        &labels,
        &["alpha", "beta", "gamma"],
        &[],
        &plain(),
    )
    .unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(svg.contains("alpha") && svg.contains("gamma"));
    assert!(!svg.contains("beta"));
}

#[test]
fn tick_labels_are_short() {
    let f = tick_formatter(&(0.0..1.0));
    assert_eq!(f(&0.30000000000000004), "0.3");
    assert_eq!(f(&1.0), "1");
    assert_eq!(f(&-1e-17), "0");
    let f = tick_formatter(&(0.0..2e-4));
    assert_eq!(f(&1.5e-4), "1.5e−4");
    assert_eq!(f(&-1.5e-4), "−1.5e−4");
    let f = tick_formatter(&(-3e6..3e6));
    assert_eq!(f(&2e6), "2e6");
    let f = tick_formatter(&(0.0..250.0));
    assert_eq!(f(&50.0), "50");
    assert_eq!(f(&-0.0), "0");
    let f = tick_formatter(&(-1.0..1.0));
    assert_eq!(f(&-0.5), "−0.5");
}

#[test]
fn cells_and_colours() {
    assert_eq!(cell_edges(&[1.0, 2.0, 4.0]), vec![0.5, 1.5, 3.0, 5.0]);
    assert_eq!(cell_edges(&[2.0]), vec![1.0, 3.0]);
    assert_eq!(cell_edges(&[0.0]), vec![-0.5, 0.5]);
    let s = ColourScale::new(&[-1.0, 2.0, f64::NAN]).unwrap();
    assert!(s.diverging);
    assert_eq!(s.colour(0.0), RGBColor(255, 255, 255));
    let neg = s.colour(-1.0);
    let pos = s.colour(2.0);
    assert!(neg.2 > neg.0 && pos.0 > pos.2);
    let s = ColourScale::new(&[0.0, 1.0]).unwrap();
    assert!(!s.diverging);
    assert!(ColourScale::new(&[f64::NAN]).is_none());
}

#[test]
fn overlays_are_clipped() {
    let pieces = clip_polyline(&[(-1.0, 0.5), (2.0, 0.5)], &(0.0..1.0), &(0.0..1.0));
    assert_eq!(pieces, vec![vec![(0.0, 0.5), (1.0, 0.5)]]);
    let pieces = clip_polyline(&[(2.0, 2.0), (3.0, 3.0)], &(0.0..1.0), &(0.0..1.0));
    assert!(pieces.is_empty());
    let pieces = clip_polyline(
        &[(0.5, 0.5), (0.5, 2.0), (0.6, 0.5), (0.7, 0.5)],
        &(0.0..1.0),
        &(0.0..1.0),
    );
    assert_eq!(pieces.len(), 2);
}

/// Renders sample figures for a visual check:
/// `QCT_PLOT_SAMPLES=/tmp/plot-samples cargo test --release --lib plot -- --ignored`.
#[test]
#[ignore]
fn render_samples() {
    let dir = std::path::PathBuf::from(
        std::env::var("QCT_PLOT_SAMPLES").unwrap_or("/tmp/plot-samples".into()),
    );
    std::fs::create_dir_all(&dir).unwrap();
    let x = axis("F_E = Δβ", 41, -1.0, 1.0);
    let y = axis("F_N = −Δ(βμ)", 41, -1.0, 1.0);
    let mut labels = Vec::new();
    for &fe in &x.values {
        for &fn_ in &y.values {
            let angle = fn_.atan2(fe);
            let r = (fe * fe + fn_ * fn_).sqrt();
            labels.push(if r < 0.15 {
                5
            } else {
                ((angle + std::f64::consts::PI) / (2.0 * std::f64::consts::PI) * 5.0) as usize % 5
            });
        }
    }
    let categories = [
        "heat engine",
        "refrigerator",
        "heat pump",
        "accelerator",
        "heater",
        "linear response",
    ];
    let wedge = |slope: f64, name: &str| Curve {
        name: name.into(),
        points: vec![(-2.0, -2.0 * slope), (2.0, 2.0 * slope)],
    };
    let overlays = [wedge(0.5, "F_N/F_E = 1/2"), wedge(2.0, "F_N/F_E = 2")];
    for ext in ["svg", "png"] {
        line_plot(
            &dir.join(format!("line.{ext}")),
            "Power output vs bias",
            "β Δμ",
            &one("P (Γ ε_b)", sample_series()),
            &plain(),
        )
        .unwrap();
        diverging_map(&dir.join(format!("heat.{ext}"))).unwrap();
        category_map(
            &dir.join(format!("regimes.{ext}")),
            "Transport regimes",
            &x,
            &y,
            &labels,
            &categories,
            &overlays,
            &plain(),
        )
        .unwrap();
    }
    let single = axis("x", 1, 3.0, 3.0);
    let y = axis("y", 3, 0.0, 1e-4);
    heat_map(
        &dir.join("single.svg"),
        "1 × 3",
        &single,
        &y,
        &[1.0, 2.0, f64::NAN],
        "z",
        &[],
        &plain(),
    )
    .unwrap();
}
