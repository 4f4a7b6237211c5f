//! In-process figures (issue 5): the progress roll-up of 100,000 milestones and the render of
//! each chart's SVG with realistic data. Prints the median and the fastest of repeated runs.
//!   cargo bench -p server --bench figures
use app::{
    charts,
    domain::{Milestone, progress},
    i18n::Locale,
    store::scale,
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
            subgoals[i % count].milestones.push(Milestone {
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
                ));
            },
        );
    }
}
