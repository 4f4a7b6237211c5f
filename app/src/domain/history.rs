//! The state of a strategy at any past moment, rebuilt from its kept revisions.
//!
//! Every change to a milestone and to the structure (fields, needs, sub-goals) is kept with
//! the moment it was recorded. "As of" a moment means what Meilenstein showed then: for each
//! item its last revision recorded before that moment. An item first recorded later did not
//! exist yet; a milestone whose last revision is its deletion is gone. Business dates inside
//! the content (`due`, `done_on`) play no part in this choice: a milestone recorded on
//! 5 December as reached on 20 November is not reached as of 30 November.

use super::{
    Field, Indicator, IndicatorData, Milestone, MilestoneData, Need, Reading, Strategy, SubGoal,
};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Which level of the structure a node revision belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NodeKind {
    Field,
    Need,
    SubGoal,
}

impl NodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Field => "field",
            NodeKind::Need => "need",
            NodeKind::SubGoal => "subgoal",
        }
    }

    pub fn parse(text: &str) -> Option<NodeKind> {
        [NodeKind::Field, NodeKind::Need, NodeKind::SubGoal]
            .into_iter()
            .find(|k| k.as_str() == text)
    }
}

/// One recorded state of a field, need or sub-goal.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeRevision {
    /// Recording order: of two revisions of one node, the higher is the later.
    pub seq: i64,
    pub kind: NodeKind,
    pub id: i64,
    /// The strategy of a field, the field of a need, the need of a sub-goal.
    pub parent_id: i64,
    pub position: i64,
    pub recorded_at: DateTime<Utc>,
    pub title: String,
    /// A field's goal, a sub-goal's owner.
    pub detail: Option<String>,
    /// A sub-goal's weight.
    pub weight: Option<f64>,
    /// Archived from this revision on (until a later one restores it).
    pub archived: bool,
}

/// One recorded state of a milestone.
#[derive(Clone, Debug, PartialEq)]
pub struct MilestoneRevision {
    pub milestone_id: i64,
    pub subgoal_id: i64,
    pub version: i64,
    pub recorded_at: DateTime<Utc>,
    /// This revision records the milestone's deletion.
    pub deleted: bool,
    pub example: bool,
    pub data: MilestoneData,
}

/// What is not kept with its history: the strategy's id, title, city, period and
/// description, and each field's foundations ("Worauf wir aufbauen"). Past views show them as
/// they are now.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Fixed {
    pub id: i64,
    pub title: String,
    pub about: super::About,
    pub builds_on: HashMap<i64, Vec<String>>,
}

/// The strategy as it was shown just before `moment`: every node and milestone in its last
/// revision recorded earlier, lists in their stored order (milestones in the order they were
/// recorded). Revisions may come in any order; ones recorded at or after `moment` are ignored.
/// A part archived then is in the tree, marked (`Strategy::without_archived` leaves it out).
pub fn as_of(
    fixed: &Fixed,
    nodes: &[NodeRevision],
    milestones: &[MilestoneRevision],
    moment: DateTime<Utc>,
) -> Strategy {
    let mut latest_nodes: HashMap<(NodeKind, i64), &NodeRevision> = HashMap::new();
    for node in nodes.iter().filter(|n| n.recorded_at < moment) {
        let slot = latest_nodes.entry((node.kind, node.id)).or_insert(node);
        if node.seq > slot.seq {
            *slot = node;
        }
    }
    let mut latest_milestones: HashMap<i64, &MilestoneRevision> = HashMap::new();
    for revision in milestones.iter().filter(|m| m.recorded_at < moment) {
        let slot = latest_milestones
            .entry(revision.milestone_id)
            .or_insert(revision);
        if revision.version > slot.version {
            *slot = revision;
        }
    }

    let mut milestones_of: HashMap<i64, Vec<Milestone>> = HashMap::new();
    let mut alive: Vec<&MilestoneRevision> = latest_milestones
        .into_values()
        .filter(|m| !m.deleted)
        .collect();
    alive.sort_by_key(|m| m.milestone_id);
    for revision in alive {
        milestones_of
            .entry(revision.subgoal_id)
            .or_default()
            .push(Milestone {
                id: revision.milestone_id,
                version: revision.version,
                example: revision.example,
                data: revision.data.clone(),
            });
    }

    let mut children: HashMap<(NodeKind, i64), Vec<&NodeRevision>> = HashMap::new();
    for node in latest_nodes.into_values() {
        children
            .entry((node.kind, node.parent_id))
            .or_default()
            .push(node);
    }
    for list in children.values_mut() {
        list.sort_by_key(|n| (n.position, n.id));
    }
    let mut take =
        |kind: NodeKind, parent: i64| children.remove(&(kind, parent)).unwrap_or_default();

    let mut fields = Vec::new();
    for field in take(NodeKind::Field, fixed.id) {
        let mut needs = Vec::new();
        for need in take(NodeKind::Need, field.id) {
            let subgoals = take(NodeKind::SubGoal, need.id)
                .into_iter()
                .map(|s| SubGoal {
                    archived: s.archived,
                    id: s.id,
                    title: s.title.clone(),
                    owner: s.detail.clone(),
                    weight: s.weight.unwrap_or(1.0),
                    indicators: Vec::new(),
                    milestones: milestones_of.remove(&s.id).unwrap_or_default().into(),
                })
                .collect();
            needs.push(Need {
                archived: need.archived,
                id: need.id,
                title: need.title.clone(),
                subgoals,
            });
        }
        fields.push(Field {
            archived: field.archived,
            id: field.id,
            title: field.title.clone(),
            goal: field.detail.clone(),
            builds_on: fixed.builds_on.get(&field.id).cloned().unwrap_or_default(),
            needs,
        });
    }
    Strategy {
        about: fixed.about.clone(),
        id: fixed.id,
        title: fixed.title.clone(),
        fields,
    }
}

/// One recorded state of an indicator (its readings are kept on their own).
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorRevision {
    pub indicator_id: i64,
    pub subgoal_id: i64,
    pub version: i64,
    pub recorded_at: DateTime<Utc>,
    /// This revision records the indicator's deletion.
    pub deleted: bool,
    pub measures_progress: bool,
    pub data: IndicatorData,
}

/// A reading with the moments it was recorded and, if so, removed.
#[derive(Clone, Debug, PartialEq)]
pub struct KeptReading {
    pub indicator_id: i64,
    pub recorded_at: DateTime<Utc>,
    pub removed_at: Option<DateTime<Utc>>,
    pub reading: Reading,
}

/// Each sub-goal's indicators as shown just before `moment`: each indicator in its last
/// revision recorded earlier (gone if that is its deletion), with the readings recorded
/// earlier and not yet removed then. Lists in the order the indicators were created.
pub fn indicators_as_of(
    revisions: &[IndicatorRevision],
    readings: &[KeptReading],
    moment: DateTime<Utc>,
) -> HashMap<i64, Vec<Indicator>> {
    let mut latest: HashMap<i64, &IndicatorRevision> = HashMap::new();
    for revision in revisions.iter().filter(|r| r.recorded_at < moment) {
        let slot = latest.entry(revision.indicator_id).or_insert(revision);
        if revision.version > slot.version {
            *slot = revision;
        }
    }
    let mut readings_of: HashMap<i64, Vec<Reading>> = HashMap::new();
    for kept in readings
        .iter()
        .filter(|r| r.recorded_at < moment && r.removed_at.is_none_or(|removed| removed >= moment))
    {
        readings_of
            .entry(kept.indicator_id)
            .or_default()
            .push(kept.reading.clone());
    }
    let mut alive: Vec<&IndicatorRevision> = latest.into_values().filter(|r| !r.deleted).collect();
    alive.sort_by_key(|r| r.indicator_id);
    let mut of_subgoal: HashMap<i64, Vec<Indicator>> = HashMap::new();
    for revision in alive {
        let mut readings = readings_of
            .remove(&revision.indicator_id)
            .unwrap_or_default();
        readings.sort_by_key(|r| (r.on, r.id));
        of_subgoal
            .entry(revision.subgoal_id)
            .or_default()
            .push(Indicator {
                id: revision.indicator_id,
                version: revision.version,
                data: revision.data.clone(),
                measures_progress: revision.measures_progress,
                readings,
            });
    }
    of_subgoal
}

/// Gives each sub-goal of `strategy` its indicators from `of_subgoal`.
pub fn attach_indicators(strategy: &mut Strategy, mut of_subgoal: HashMap<i64, Vec<Indicator>>) {
    for subgoal in strategy
        .fields
        .iter_mut()
        .flat_map(|f| f.needs.iter_mut())
        .flat_map(|n| n.subgoals.iter_mut())
    {
        subgoal.indicators = of_subgoal.remove(&subgoal.id).unwrap_or_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Status, progress};
    use chrono::NaiveDate;

    fn at(day: u32, hour: u32) -> DateTime<Utc> {
        NaiveDate::from_ymd_opt(2026, 3, day)
            .unwrap()
            .and_hms_opt(hour, 0, 0)
            .unwrap()
            .and_utc()
    }

    fn node(
        seq: i64,
        kind: NodeKind,
        id: i64,
        parent_id: i64,
        when: DateTime<Utc>,
    ) -> NodeRevision {
        NodeRevision {
            seq,
            kind,
            id,
            parent_id,
            position: 0,
            recorded_at: when,
            title: format!("{} {id} (rev {seq})", kind.as_str()),
            detail: None,
            weight: Some(1.0),
            archived: false,
        }
    }

    fn data(status: Status, done_on: Option<u32>) -> MilestoneData {
        MilestoneData {
            title: "WLAN in der Grundschule".into(),
            due: NaiveDate::from_ymd_opt(2026, 3, 20).unwrap(),
            status,
            done_on: done_on.map(|d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap()),
            weight: 1.0,
            note: None,
        }
    }

    fn revision(id: i64, version: i64, when: DateTime<Utc>, status: Status) -> MilestoneRevision {
        MilestoneRevision {
            milestone_id: id,
            subgoal_id: 3,
            version,
            recorded_at: when,
            deleted: false,
            example: false,
            data: data(status, (status == Status::Done).then_some(1)),
        }
    }

    fn fixed() -> Fixed {
        Fixed {
            id: 1,
            title: "Digitalstrategie".into(),
            about: Default::default(),
            builds_on: HashMap::from([(1, vec!["Schulcloud".to_owned()])]),
        }
    }

    /// Field 1 → need 2 → sub-goal 3, recorded on 1 March; the sub-goal renamed on 10 March.
    fn structure() -> Vec<NodeRevision> {
        vec![
            node(1, NodeKind::Field, 1, 1, at(1, 9)),
            node(2, NodeKind::Need, 2, 1, at(1, 9)),
            node(3, NodeKind::SubGoal, 3, 2, at(1, 9)),
            node(4, NodeKind::SubGoal, 3, 2, at(10, 9)),
        ]
    }

    /// Milestone 7: planned (2 March), in progress (5 March), done (12 March); milestone 8:
    /// recorded 3 March, deleted 6 March.
    fn milestones() -> Vec<MilestoneRevision> {
        let mut deleted = revision(8, 2, at(6, 9), Status::Planned);
        deleted.deleted = true;
        vec![
            revision(7, 3, at(12, 9), Status::Done),
            revision(7, 1, at(2, 9), Status::Planned),
            revision(8, 1, at(3, 9), Status::Planned),
            revision(7, 2, at(5, 9), Status::InProgress),
            deleted,
        ]
    }

    fn only_subgoal(strategy: &Strategy) -> &SubGoal {
        &strategy.fields[0].needs[0].subgoals[0]
    }

    #[test]
    fn before_the_first_change_there_is_nothing() {
        let s = as_of(&fixed(), &structure(), &milestones(), at(1, 8));
        assert_eq!(s.id, 1);
        assert!(s.fields.is_empty());
        assert_eq!(progress::of_strategy(&s), None);
    }

    #[test]
    fn between_changes_each_item_is_in_its_last_earlier_revision() {
        let s = as_of(&fixed(), &structure(), &milestones(), at(4, 0));
        let sub = only_subgoal(&s);
        assert_eq!(sub.title, "subgoal 3 (rev 3)");
        let ids: Vec<(i64, i64, Status)> = sub
            .milestones
            .iter()
            .map(|m| (m.id, m.version, m.data.status))
            .collect();
        assert_eq!(ids, [(7, 1, Status::Planned), (8, 1, Status::Planned)]);
        assert_eq!(s.fields[0].builds_on, ["Schulcloud"]);

        // After the deletion and the start of work, before the sub-goal was renamed.
        let s = as_of(&fixed(), &structure(), &milestones(), at(9, 0));
        let sub = only_subgoal(&s);
        assert_eq!(sub.title, "subgoal 3 (rev 3)");
        assert_eq!(sub.milestones.len(), 1);
        assert_eq!(sub.milestones[0].data.status, Status::InProgress);
        assert_eq!(progress::of_strategy(&s), Some(0.0));
    }

    #[test]
    fn today_everything_recorded_counts() {
        let s = as_of(&fixed(), &structure(), &milestones(), at(27, 23));
        let sub = only_subgoal(&s);
        assert_eq!(sub.title, "subgoal 3 (rev 4)");
        assert_eq!(sub.milestones.len(), 1);
        assert_eq!(sub.milestones[0].version, 3);
        assert_eq!(progress::of_strategy(&s), Some(100.0));
    }

    #[test]
    fn an_archived_part_is_marked_from_its_archiving_and_unmarked_when_restored() {
        let mut nodes = structure();
        // The need archived on 15 March, restored on 20 March.
        let mut archived = node(5, NodeKind::Need, 2, 1, at(15, 9));
        archived.archived = true;
        nodes.push(archived);
        nodes.push(node(6, NodeKind::Need, 2, 1, at(20, 9)));
        let before = as_of(&fixed(), &nodes, &milestones(), at(15, 8));
        assert!(!before.fields[0].needs[0].archived);
        assert_eq!(before.clone().without_archived(), before);

        let during = as_of(&fixed(), &nodes, &milestones(), at(16, 0));
        assert!(during.fields[0].needs[0].archived);
        assert!(during.has_archived());
        // Its sub-goal is still in the tree under it (an export shows where it was) ...
        assert_eq!(during.fields[0].needs[0].subgoals.len(), 1);
        // ... but what pages show has neither, and no figure counts them.
        let shown = during.without_archived();
        assert!(shown.fields[0].needs.is_empty());
        assert_eq!(progress::of_strategy(&shown), None);

        let after = as_of(&fixed(), &nodes, &milestones(), at(21, 0));
        assert!(!after.has_archived());
        assert_eq!(progress::of_strategy(&after), Some(100.0));
    }

    #[test]
    fn a_revision_recorded_exactly_at_the_moment_is_not_yet_shown() {
        let s = as_of(&fixed(), &structure(), &milestones(), at(12, 9));
        assert_eq!(
            only_subgoal(&s).milestones[0].data.status,
            Status::InProgress
        );
    }

    #[test]
    fn a_late_report_of_an_earlier_success_counts_from_when_it_was_recorded() {
        // Recorded on 12 March as done on 1 March: as of 11 March it is not done.
        let s = as_of(&fixed(), &structure(), &milestones(), at(11, 23));
        assert_ne!(only_subgoal(&s).milestones[0].data.status, Status::Done);
    }

    #[test]
    fn lists_keep_their_stored_order_whatever_the_order_of_revisions() {
        let mut nodes = structure();
        let mut second = node(5, NodeKind::Need, 9, 1, at(2, 9));
        second.position = 1;
        nodes.push(second);
        nodes.reverse();
        let s = as_of(&fixed(), &nodes, &milestones(), at(27, 0));
        let needs: Vec<i64> = s.fields[0].needs.iter().map(|n| n.id).collect();
        assert_eq!(needs, [2, 9]);
        assert!(s.fields[0].needs[1].subgoals.is_empty());
    }

    #[test]
    fn indicators_and_readings_count_from_when_they_were_recorded_until_removed() {
        use crate::domain::{Direction, indicator::Point};
        let data = |target: f64| IndicatorData {
            name: "Schulen mit WLAN".into(),
            unit: "Schulen".into(),
            direction: Direction::Rising,
            baseline: Point {
                value: 12.0,
                on: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            },
            target: Point {
                value: target,
                on: NaiveDate::from_ymd_opt(2028, 12, 31).unwrap(),
            },
        };
        let revision = |version, when, measures, deleted, target| IndicatorRevision {
            indicator_id: 7,
            subgoal_id: 3,
            version,
            recorded_at: when,
            deleted,
            measures_progress: measures,
            data: data(target),
        };
        let revisions = [
            revision(2, at(5, 9), true, false, 65.0),
            revision(1, at(2, 9), false, false, 60.0),
            revision(3, at(20, 9), true, true, 65.0),
        ];
        let reading = |id, day, value, recorded: DateTime<Utc>, removed| KeptReading {
            indicator_id: 7,
            recorded_at: recorded,
            removed_at: removed,
            reading: Reading {
                id,
                on: NaiveDate::from_ymd_opt(2026, 2, day).unwrap(),
                value,
                note: None,
            },
        };
        let readings = [
            reading(1, 1, 30.0, at(3, 9), None),
            // A typing error, removed on the 10th and recorded again.
            reading(2, 15, 400.0, at(6, 9), Some(at(10, 9))),
            reading(3, 15, 40.0, at(10, 9), None),
        ];
        let shown = |moment| indicators_as_of(&revisions, &readings, moment);
        assert!(shown(at(2, 8)).is_empty(), "before it was recorded");
        let first = &shown(at(2, 10))[&3][0];
        assert_eq!(
            (first.data.target.value, first.measures_progress),
            (60.0, false)
        );
        assert!(first.readings.is_empty());
        let typo = &shown(at(7, 0))[&3][0];
        assert_eq!(typo.current(), 400.0);
        assert_eq!(typo.progress(), 100.0);
        let mended = &shown(at(11, 0))[&3][0];
        let values: Vec<f64> = mended.readings.iter().map(|r| r.value).collect();
        assert_eq!(values, [30.0, 40.0]);
        assert_eq!(mended.version, 2);
        assert!(shown(at(21, 0)).is_empty(), "deleted on the 20th");

        // The chosen indicator measures the sub-goal's progress.
        let mut s = as_of(&fixed(), &structure(), &milestones(), at(11, 0));
        attach_indicators(&mut s, shown(at(11, 0)));
        let expected = (40.0 - 12.0) / (65.0 - 12.0) * 100.0;
        let measured = progress::of_subgoal(only_subgoal(&s)).unwrap();
        assert!((measured - expected).abs() < 1e-9);
    }
}
