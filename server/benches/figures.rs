//! In-process figures (issues 4 and 5): the progress roll-up of 100,000 milestones, the render
//! of each chart's SVG (and a PNG) with realistic data, and rebuilding a strategy as of a past
//! day from a real SQLite file with 10 versions per milestone. Prints the median and the
//! fastest of repeated runs.
//!   cargo bench -p server --bench figures
use app::{
    charts,
    domain::{Milestone, plan, progress, schedule::Distribution},
    i18n::Locale,
    store::{Store, scale},
};
use std::time::{Duration, Instant};

fn measure(name: &str, runs: usize, mut work: impl FnMut()) {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .collect();
    times.sort();
    println!(
        "{name:<52} median {:>9.3} ms   fastest {:>9.3} ms   ({runs} runs)",
        times[runs / 2].as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3
    );
}

fn main() {
    let now = chrono::Utc::now();
    for n in [2_500usize, 100_000] {
        let mut strategy = scale::structure();
        let subgoals: Vec<_> = strategy
            .fields
            .iter_mut()
            .flat_map(|f| f.needs.iter_mut())
            .flat_map(|n| n.subgoals.iter_mut())
            .collect();
        let count = subgoals.len();
        let mut subgoals = subgoals;
        for i in 0..n {
            let (_, data) = scale::history(i as u64, i + 1, 4, now).pop().unwrap();
            std::sync::Arc::make_mut(&mut subgoals[i % count].milestones).push(Milestone {
                id: i as i64 + 1,
                version: 4,
                example: true,
                data,
            });
        }
        measure(
            &format!("roll-up of {n} milestones (whole strategy)"),
            31,
            || {
                std::hint::black_box(progress::of_strategy(std::hint::black_box(&strategy)));
            },
        );
        let field = &strategy.fields[0];
        let bars: Vec<charts::Bar> = field
            .needs
            .iter()
            .map(|need| charts::Bar {
                label: need.title.clone(),
                value: progress::of_need(need),
            })
            .collect();
        measure(
            &format!("chart SVG: progress per need ({} bars)", bars.len()),
            101,
            || {
                std::hint::black_box(charts::progress_per_need(
                    "chart-field-1",
                    &field.title,
                    &bars,
                    Locale::de,
                    charts::WIDE_WIDTH,
                ));
            },
        );
        let today = now.date_naive();
        let need = &field.needs[0];
        let milestones: usize = need.subgoals.iter().map(|s| s.milestones.len()).sum();
        let shares = plan::shares(need, &Default::default());
        let points = plan::burn_up(&shares, today);
        let forecast = plan::forecast(&shares, today);
        let draw = |points: &[plan::BurnUpPoint]| {
            charts::burnup::svg(
                "b",
                &need.title,
                points,
                today,
                false,
                forecast,
                Locale::de,
                charts::FILE_WIDTH,
            )
        };
        measure(
            &format!(
                "chart SVG: burn-up ({milestones} milestones, {} points)",
                points.len()
            ),
            101,
            || {
                let shares = plan::shares(need, &Default::default());
                let points = plan::burn_up(&shares, today);
                std::hint::black_box(draw(&points));
            },
        );
        let svg = draw(&points);
        measure("chart PNG: burn-up (resvg, 720 × 384)", 11, || {
            std::hint::black_box(server::png::render(&svg, 1).unwrap());
        });
        measure(
            &format!("chart SVG: timeline ({milestones} milestones)"),
            31,
            || {
                std::hint::black_box(charts::timeline::svg(
                    "t",
                    &need.title,
                    &need.subgoals,
                    today,
                    Locale::de,
                    charts::WIDE_WIDTH,
                ));
            },
        );
        measure(
            &format!("chart SVG: states ({} needs)", field.needs.len()),
            101,
            || {
                let rows: Vec<(String, Distribution)> = field
                    .needs
                    .iter()
                    .map(|n| (n.title.clone(), Distribution::of(n, today)))
                    .collect();
                std::hint::black_box(charts::states::svg(
                    "s",
                    &field.title,
                    &rows,
                    Locale::de,
                    charts::WIDE_WIDTH,
                ));
            },
        );
        let days: Vec<chrono::NaiveDate> = (0..13)
            .map(|m| today - chrono::Days::new(30 * (12 - m)))
            .collect();
        let series: Vec<charts::over_time::Series> = field
            .needs
            .iter()
            .map(|n| charts::over_time::Series {
                label: n.title.clone(),
                values: vec![progress::of_need(n); days.len()],
            })
            .collect();
        measure(
            &format!(
                "chart SVG: progress over time ({} needs × 13)",
                series.len()
            ),
            101,
            || {
                std::hint::black_box(charts::over_time::svg(
                    "o",
                    &field.title,
                    &days,
                    &series,
                    Locale::de,
                    charts::WIDE_WIDTH,
                ));
            },
        );
    }

    // An indicator with a reading each month for five years.
    let today = now.date_naive();
    let indicator = app::domain::Indicator {
        id: 1,
        version: 1,
        data: app::domain::IndicatorData {
            name: "Schulen mit WLAN".into(),
            unit: "Schulen".into(),
            direction: app::domain::Direction::Rising,
            baseline: app::domain::indicator::Point {
                value: 12.0,
                on: today - chrono::Days::new(5 * 365),
            },
            target: app::domain::indicator::Point {
                value: 65.0,
                on: today + chrono::Days::new(365),
            },
        },
        measures_progress: true,
        readings: (0..60)
            .map(|m| app::domain::Reading {
                id: m,
                on: today - chrono::Days::new(30 * (60 - m as u64)),
                value: 12.0 + 0.5 * m as f64,
                note: None,
            })
            .collect(),
    };
    measure("chart SVG: indicator trend (60 readings)", 101, || {
        std::hint::black_box(charts::indicator::svg(
            "i",
            &indicator,
            Locale::de,
            charts::WIDE_WIDTH,
        ));
    });

    // Rebuilding a strategy as of a past day, from a real database with 10 versions per
    // milestone (as `meilenstein demo --scale N --changes 10` makes it).
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        for n in [2_500usize, 100_000] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("bench.db");
            let store = Store::open(path.to_str().unwrap()).await.unwrap();
            let start = Instant::now();
            let id = store.install_scale(n, 10, now).await.unwrap();
            println!(
                "(scale data: {n} milestones × 10 versions written in {:.1} s)",
                start.elapsed().as_secs_f64()
            );
            let current = store.strategy(id).await.unwrap().unwrap();
            for (label, moment) in [
                ("now", now + chrono::Duration::seconds(1)),
                ("a year ago", now - chrono::Duration::days(365)),
            ] {
                let rebuilt = store.strategy_as_of(id, moment).await.unwrap().unwrap();
                if label == "now" {
                    assert_eq!(rebuilt, *current, "as of now is today's tree");
                }
                measure(
                    &format!("as-of rebuild, {n} milestones × 10, {label}"),
                    7,
                    || {
                        let _ =
                            std::hint::black_box(runtime_block(store.strategy_as_of(id, moment)));
                    },
                );
            }
        }
    });
}

/// Runs a future to completion from inside the benchmark's runtime.
fn runtime_block<F: std::future::Future>(future: F) -> F::Output {
    tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(future))
}
