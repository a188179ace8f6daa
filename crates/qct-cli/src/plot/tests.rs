//! Tests of the figures: determinism, degenerate and bad inputs, layout helpers.

use super::axes::{self, tick_formatter};
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

/// The `points` of every `<polyline>` of an SVG, in pixels.
fn polylines(svg: &str) -> Vec<Vec<(f64, f64)>> {
    svg.split("<polyline points=\"")
        .skip(1)
        .map(|rest| {
            rest.split('"')
                .next()
                .unwrap()
                .split(' ')
                .map(|p| {
                    let (x, y) = p.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect()
        })
        .collect()
}

/// A straight line through many points is drawn straight: every vertex lies on the line
/// through the (also rounded) end points to within twice the rounding to the 0.05 px grid,
/// 0.05 (1 + |slope|) px (integer pixel coordinates, the stair steps of the old figures,
/// allow 1 + |slope| px), and vertices fall between pixels.
#[test]
fn svg_lines_have_sub_pixel_coordinates() {
    let path = tmp("straight.svg");
    let line = Series {
        name: "y = 0.37 x".into(),
        points: (0..200).map(|k| (k as f64, 0.37 * k as f64)).collect(),
    };
    line_plot(&path, "t", "x", &one("y", vec![line]), &plain()).unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    let data = polylines(&svg).into_iter().max_by_key(Vec::len).unwrap();
    assert_eq!(data.len(), 200);
    let (a, b) = (data[0], data[199]);
    let slope = ((b.1 - a.1) / (b.0 - a.0)).abs();
    let bound = 0.05 * (1.0 + slope) * (1.0 + 1e-9);
    let worst = data
        .iter()
        .map(|p| {
            let t = (p.0 - a.0) / (b.0 - a.0);
            (a.1 + t * (b.1 - a.1) - p.1).abs()
        })
        .fold(0.0, f64::max);
    assert!(worst <= bound, "off the line by {worst} px > {bound}");
    let fractional = data.iter().filter(|p| p.1.fract() != 0.0).count();
    assert!(
        fractional > 150,
        "only {fractional} of 200 vertices off the pixel grid"
    );
}

/// Reads an RGB PNG: (width, height, pixels, pixels per metre).
fn read_png(path: &Path) -> (u32, u32, Vec<u8>, Option<u32>) {
    let decoder = ::png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let dims = reader.info().pixel_dims.map(|d| d.xppu);
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf, dims)
}

/// PNG lines are antialiased: a diagonal line in the first palette colour is surrounded by
/// pixels of intermediate shades between it and the white background (an aliased line has
/// only the two).
#[test]
fn png_lines_are_antialiased_and_sized_by_dpi() {
    let path = tmp("aa.png");
    let line = Series {
        name: "diagonal".into(),
        points: vec![(0.0, 0.0), (1.0, 1.0)],
    };
    let style = Style {
        size: Some((400, 300)),
        dpi: 192.0,
        ..Style::default()
    };
    line_plot(&path, "", "", &one("", vec![line]), &style).unwrap();
    let (w, h, rgb, per_metre) = read_png(&path);
    assert_eq!((w, h), (800, 600));
    assert_eq!(per_metre, Some((192.0f64 / 0.0254).round() as u32));
    // Pixels on the segment from white (255, 255, 255) to the line colour (0, 114, 178):
    // red falls from 255 to 0 as blue falls from 255 to 178.
    let blend = |p: &[u8]| {
        let t = 1.0 - p[0] as f64 / 255.0;
        let expected_blue = 255.0 - t * (255.0 - 178.0);
        let expected_green = 255.0 - t * (255.0 - 114.0);
        (p[2] as f64 - expected_blue).abs() < 12.0 && (p[1] as f64 - expected_green).abs() < 12.0
    };
    let shades = rgb
        .chunks(3)
        .filter(|p| p[0] > 30 && p[0] < 225 && blend(p))
        .count();
    assert!(shades > 300, "only {shades} antialiased edge pixels");
}

/// Small multiples share the x axis: one y-axis label per panel, x tick labels once.
#[test]
fn one_panel_per_unit() {
    let path = tmp("panels.svg");
    let series = |name: &str| Series {
        name: name.into(),
        points: vec![(0.0, 1.0), (10.0, 3.0)],
    };
    let panels = vec![
        Panel {
            y_label: "J_N^l (1/time)".into(),
            series: vec![series("J_N^l")],
        },
        Panel {
            y_label: "P (energy/time)".into(),
            series: vec![series("P")],
        },
    ];
    line_plot(&path, "t", "ε_b (energy)", &panels, &plain()).unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(svg.contains(">P (energy/time)</tspan>"), "{svg}");
    assert!(svg.contains("> (1/time)</tspan>"), "{svg}");
    // The x tick label "10" appears once (bottom panel only); the axis label once.
    assert_eq!(svg.matches(">10</tspan>").count(), 1, "{svg}");
    assert_eq!(svg.matches(">ε</tspan>").count(), 1);
    // Real subscripts and stacked superscripts: N and l start at the same x.
    let n = svg.split(">N</tspan>").next().unwrap();
    let l = svg.split(">l</tspan>").next().unwrap();
    let x_of = |s: &str| {
        s.rsplit("x=\"")
            .next()
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(x_of(n), x_of(l));
}

/// Log axes: ticks at decades labelled 10^k, non-positive values left out, and map axes
/// with values ≤ 0 refused.
#[test]
fn log_axes() {
    let path = tmp("log.svg");
    let line = Series {
        name: "x²".into(),
        points: (-3..=30)
            .map(|k| (0.1 * k as f64, (0.1 * k as f64).powi(2)))
            .collect(),
    };
    let style = Style {
        log_x: true,
        log_y: true,
        ..Style::default()
    };
    line_plot(&path, "t", "x", &one("y", vec![line]), &style).unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    for exponent in ["−2", "−1", "0"] {
        assert!(
            svg.contains(&format!(">{exponent}</tspan>")),
            "10^{exponent}: {svg}"
        );
    }
    // x ≤ 0 are gaps: 30 positive points, log-log slope 2 between the vertices.
    let data = polylines(&svg).into_iter().max_by_key(Vec::len).unwrap();
    assert_eq!(data.len(), 30);
    let slope = |p: (f64, f64), q: (f64, f64)| (q.1 - p.1) / (q.0 - p.0);
    let (s1, s2) = (slope(data[0], data[10]), slope(data[10], data[29]));
    assert!(
        (s1 - s2).abs() < 0.01 * s1.abs(),
        "not a straight line: {s1} vs {s2}"
    );

    let x = axis("x", 3, 0.0, 1.0);
    let y = axis("y", 2, 1.0, 2.0);
    let err = heat_map(&path, "t", &x, &y, &[1.0; 6], "z", &[], &style).unwrap_err();
    assert!(err.to_string().contains("log scale"), "{err}");
    assert_eq!(
        axes::log_ticks(&(-3.0..3.0), 8),
        vec![-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0]
    );
    assert_eq!(axes::decade_label(-3.0), "10^{−3}");
    assert_eq!(axes::decade_label(2f64.log10()), "2");
    assert_eq!(axes::decade_label(-(50f64.log10())), "0.02");
}

/// A size that leaves no room for the plot, and a resolution out of range, are errors.
#[test]
fn sizes_and_resolutions_are_checked() {
    let path = tmp("small.svg");
    let style = Style {
        size: Some((200, 100)),
        ..Style::default()
    };
    let err = line_plot(&path, "t", "x", &one("y", sample_series()), &style).unwrap_err();
    assert!(err.to_string().contains("200x100"), "{err}");
    let style = Style {
        dpi: 5000.0,
        ..Style::default()
    };
    let err = line_plot(&path, "t", "x", &one("y", sample_series()), &style).unwrap_err();
    assert!(err.to_string().contains("dpi"), "{err}");
    let style = Style {
        size: Some((640, 480)),
        ..Style::default()
    };
    line_plot(&path, "t", "x", &one("y", sample_series()), &style).unwrap();
    let svg = std::fs::read_to_string(&path).unwrap();
    assert!(svg.contains("width=\"640\" height=\"480\""), "{svg}");
}
