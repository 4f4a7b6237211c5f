//! The physical limit a page is measured against: a bare axum server that answers every GET
//! with the very same bytes (and content type) from memory, and any other request (a save)
//! with a short JSON answer, as a save's is: the floor the load with writes is measured
//! against (bench/run.sh).
//!   cargo run --release -p reference -- FILE CONTENT-TYPE ADDR
use axum::{
    Router,
    body::Bytes,
    http::{Method, header},
    response::IntoResponse,
};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, file, content_type, addr] = &args[..] else {
        eprintln!("usage: reference FILE CONTENT-TYPE ADDR");
        std::process::exit(2);
    };
    let body: &'static [u8] = std::fs::read(file).expect("the file").leak();
    let content_type: &'static str = content_type.clone().leak();
    // The body is read (as the app reads a save's form): one left unread ends the connection.
    let app = Router::new().fallback(move |method: Method, _body: Bytes| async move {
        if method == Method::GET || method == Method::HEAD {
            ([(header::CONTENT_TYPE, content_type)], body).into_response()
        } else {
            (
                [(header::CONTENT_TYPE, "application/json")],
                SAVED.as_bytes(),
            )
                .into_response()
        }
    });
    let listener = tokio::net::TcpListener::bind(addr.as_str()).await.unwrap();
    axum::serve(listener, app).await.unwrap();
}

/// About as long as the app's answer to a recorded milestone.
const SAVED: &str = r#"{"Saved":{"id":100001,"version":1,"example":false,"title":"Lastprobe 1","due":"2030-01-31","status":"planned","done_on":null,"weight":1,"note":""}}"#;
