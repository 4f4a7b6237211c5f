//! The physical limit a page is measured against: a bare axum server that answers every
//! request with the very same bytes (and content type) from memory.
//!   cargo run --release -p reference -- FILE CONTENT-TYPE ADDR
use axum::{Router, http::header, routing::get};

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, file, content_type, addr] = &args[..] else {
        eprintln!("usage: reference FILE CONTENT-TYPE ADDR");
        std::process::exit(2);
    };
    let body: &'static [u8] = std::fs::read(file).expect("the file").leak();
    let content_type: &'static str = content_type.clone().leak();
    let app = Router::new().fallback(get(move || async move {
        ([(header::CONTENT_TYPE, content_type)], body)
    }));
    let listener = tokio::net::TcpListener::bind(addr.as_str()).await.unwrap();
    axum::serve(listener, app).await.unwrap();
}
