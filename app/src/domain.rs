//! Pure rules of Meilenstein: the strategy tree, progress roll-up, schedule states, validation
//! and the strategy document format. No I/O here: this compiles for the server and for wasm32
//! and is the most tested part of the house.

pub mod access;
pub mod accessibility;
pub mod bulk;
pub mod document;
pub mod history;
pub mod indicator;
pub mod milestone;
pub mod plan;
pub mod progress;
pub mod quality;
pub mod reminders;
pub mod report;
pub mod rhythm;
pub mod schedule;
pub mod strategy;
pub mod structure_sheet;
pub mod validation;

pub use indicator::{Direction, Indicator, IndicatorData, Reading};
pub use milestone::{MilestoneData, MilestoneInput, Status};
pub use progress::Progress;
pub use schedule::ScheduleState;
pub use strategy::{About, Field, Milestone, Need, Period, Strategy, SubGoal};
pub use validation::{FieldError, Problem};

#[cfg(test)]
mod properties;
