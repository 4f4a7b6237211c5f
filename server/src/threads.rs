//! The priorities of the server's threads (their nice values, which the system's scheduler
//! goes by when more threads want a core than there are).
//!
//! A save holds the one write turn while its statements go to the database's connection thread
//! and back; every moment that it waits for a core, all saves behind it wait too. So the
//! threads that answer writes ([`crate::writers`]) and the database's connection threads run
//! at the normal priority, those that answer page requests a little lower, and those that
//! render pages lower still ([`crate::page_cache`]). Under no load nothing changes: a thread
//! that wants a core gets one.

/// The nice value of the threads that answer page requests.
const ANSWERING_PAGES: i32 = 5;
/// The nice value of the threads that render pages.
const RENDERING: i32 = 10;

/// Called by each thread that answers page requests, as it starts.
pub fn answering_pages() {
    set_nice(ANSWERING_PAGES);
}

/// Called by each thread that renders pages, as it starts.
pub fn rendering() {
    set_nice(RENDERING);
}

/// Sets the calling thread's nice value (a higher value is a lower priority). A thread may
/// always lower its own priority.
fn set_nice(nice: i32) {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority changes only the scheduling priority of the calling thread (on
    // Linux `who = 0` is the calling thread, not the whole process).
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS as _, 0, nice);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = nice;
}
