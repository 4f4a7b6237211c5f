//! Requests that may write (anything but GET and HEAD) are answered on threads of their own.
//!
//! A save is about ten statements in one transaction, each a hop to the database's connection
//! and back, and it holds the write turn throughout. Answered on the threads that serve pages,
//! each hop back waited in their queue behind every page request that came in meanwhile: under
//! the load with writes a save held the turn for several milliseconds, and the saves waiting
//! for it queued (issue #18). On threads that answer only requests that may write, the task
//! holding the turn is woken as soon as its statement is done, and the turn passes at once to
//! the next save waiting for it.

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

/// Starts the write threads at the priority of the calling thread, which they keep (a thread
/// may lower its priority but not raise it again, and a new thread takes its creator's): the
/// server calls this before it starts the threads that answer pages, which run lower.
pub fn start() {
    std::sync::LazyLock::force(&WRITERS);
}

/// Answers a request that may write on the write threads; any other where it came.
pub async fn answer(request: Request, next: Next) -> Response {
    if matches!(*request.method(), Method::GET | Method::HEAD) {
        return next.run(request).await;
    }
    match WRITERS.spawn(next.run(request)).await {
        Ok(response) => response,
        Err(error) => {
            tracing::error!("answering a write failed: {error}");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
