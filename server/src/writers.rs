//! Requests that may write (anything but GET and HEAD) are answered on threads of their own.
//!
//! Each step of a save (finding its session, its statements' round trips to the database's
//! connection thread, its answer) wakes the task that answers it. Answered on the threads that
//! serve pages, each wake-up waited in their queue behind every page request that came in
//! meanwhile: under the load with writes of docs/PERFORMANCE.md, saves took a second and held
//! up the saves behind them (issue #18). On threads that answer only requests that may write,
//! a save goes on as soon as its step is done. The page threads only read the request and
//! send the answer.

use axum::{
    extract::Request,
    http::{Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// The threads writes are answered on: as many as there are cores, so that the work of one
/// request (an uploaded file read, say) does not hold up the others.
static WRITERS: std::sync::LazyLock<tokio::runtime::Runtime> = std::sync::LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores)
        .thread_name("write")
        .enable_all()
        .build()
        .expect("the write threads start")
});

/// Answers a request that may write on the write threads; any other where it came.
pub async fn answer(request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    // Timed for docs/PERFORMANCE.md's breakdown of saves under load (`SERVER_LOG=warn,
    // server::writers=debug bench/run.sh …`): from arrival to a write thread, and to answered.
    let arrived = std::time::Instant::now();
    let answered = WRITERS.spawn(async move {
        let started = arrived.elapsed();
        let response = next.run(request).await;
        tracing::debug!(
            started_ms = started.as_secs_f64() * 1000.0,
            answered_ms = arrived.elapsed().as_secs_f64() * 1000.0,
            "write answered"
        );
        response
    });
    match answered.await {
        Ok(response) => response,
        Err(error) => {
            tracing::error!("answering a write failed: {error}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
