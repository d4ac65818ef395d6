//! Service-level figures from counters: per clock how many stopped and how many of those in
//! time, and a histogram of how long they took (so the median and the 90th percentile come
//! from a few counter rows, never from the tickets).

use crate::UserId;

/// Upper bounds of the duration buckets, in minutes; the last bucket is everything longer.
pub const BUCKET_UPPER_MINUTES: [i64; 11] =
    [15, 30, 60, 120, 240, 480, 1440, 2880, 5760, 10080, 20160];

/// The bucket of a duration.
pub fn bucket(minutes: i64) -> i16 {
    let at = BUCKET_UPPER_MINUTES
        .iter()
        .position(|upper| minutes <= *upper)
        .unwrap_or(BUCKET_UPPER_MINUTES.len());
    i16::try_from(at).unwrap_or(i16::MAX)
}

/// The `p`-th percentile (0–100) of a histogram (`(bucket, count)`), as the upper bound of the
/// bucket it falls in: "at most this many minutes". `None` with no data or in the open last
/// bucket (longer than two weeks).
pub fn percentile(histogram: &[(i16, i64)], p: i64) -> Option<i64> {
    let total: i64 = histogram.iter().map(|(_, n)| n).sum();
    if total == 0 {
        return None;
    }
    let mut counts = [0i64; BUCKET_UPPER_MINUTES.len() + 1];
    for (b, n) in histogram {
        if let Some(slot) = usize::try_from(*b).ok().and_then(|i| counts.get_mut(i)) {
            *slot += n;
        }
    }
    // The smallest bucket whose running count reaches p % of the total.
    let wanted = ((total * p + 99) / 100).max(1);
    let mut seen = 0;
    for (i, n) in counts.iter().enumerate() {
        seen += n;
        if seen >= wanted {
            return BUCKET_UPPER_MINUTES.get(i).copied();
        }
    }
    None
}

/// One clock's figures over a period.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClockStats {
    /// Clocks that stopped in the period (first answers; closings).
    pub stopped: i64,
    /// Of those, stopped before their due time.
    pub met: i64,
    /// Median and 90th percentile of the time taken, as a bucket's upper bound in minutes.
    pub median_minutes: Option<i64>,
    pub p90_minutes: Option<i64>,
}

impl ClockStats {
    /// The share met, in percent (`None` when nothing stopped).
    pub fn compliance_percent(&self) -> Option<f64> {
        (self.stopped > 0).then(|| (self.met as f64 * 1000.0 / self.stopped as f64).round() / 10.0)
    }
}

/// Compliance of one agent or one category.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupCompliance {
    /// The agent's or category's id; `None`: nobody held it / no category.
    pub id: Option<i64>,
    pub name: Option<String>,
    pub first_response: ClockStats,
    pub resolution: ClockStats,
}

/// Service-level figures over the last `days` days.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceLevelStats {
    pub days: u32,
    pub first_response: ClockStats,
    pub resolution: ClockStats,
    pub by_agent: Vec<GroupCompliance>,
    pub by_category: Vec<GroupCompliance>,
}

/// One counter row summed over a period: agent (0: nobody), category (0: none), clock (0:
/// first response, 1: resolution), stopped, met.
pub type LevelRow = (i64, i64, i16, i64, i64);

/// One histogram row summed over a period: clock, bucket, tickets.
pub type TimeRow = (i16, i16, i64);

fn add(into: &mut ClockStats, stopped: i64, met: i64) {
    into.stopped += stopped;
    into.met += met;
}

/// Groups summed per key (agent or category), in key order, 0 (none) last.
fn grouped(rows: &[LevelRow], key: impl Fn(&LevelRow) -> i64) -> Vec<GroupCompliance> {
    let mut groups: std::collections::BTreeMap<(bool, i64), GroupCompliance> = Default::default();
    for r in rows {
        let k = key(r);
        let g = groups
            .entry((k == 0, k))
            .or_insert_with(|| GroupCompliance {
                id: (k != 0).then_some(k),
                ..GroupCompliance::default()
            });
        let clock = if r.2 == 0 {
            &mut g.first_response
        } else {
            &mut g.resolution
        };
        add(clock, r.3, r.4);
    }
    groups.into_values().collect()
}

/// The figures of a period from its counter rows; names are the caller's to fill in.
pub fn assemble(days: u32, levels: &[LevelRow], times: &[TimeRow]) -> ServiceLevelStats {
    let mut out = ServiceLevelStats {
        days,
        by_agent: grouped(levels, |r| r.0),
        by_category: grouped(levels, |r| r.1),
        ..ServiceLevelStats::default()
    };
    for r in levels {
        let clock = if r.2 == 0 {
            &mut out.first_response
        } else {
            &mut out.resolution
        };
        add(clock, r.3, r.4);
    }
    for (clock, stats) in [(0, &mut out.first_response), (1, &mut out.resolution)] {
        let histogram: Vec<(i16, i64)> = times
            .iter()
            .filter(|t| t.0 == clock)
            .map(|t| (t.1, t.2))
            .collect();
        stats.median_minutes = percentile(&histogram, 50);
        stats.p90_minutes = percentile(&histogram, 90);
    }
    out
}

/// The agent of a group (`None`: nobody held the tickets).
pub fn agent_of(g: &GroupCompliance) -> Option<UserId> {
    g.id.map(UserId)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counters_sum_per_agent_per_category_and_overall() {
        let levels = [
            (5, 1, 0, 4, 3),
            (5, 2, 1, 2, 1),
            (6, 1, 1, 3, 3),
            (0, 0, 0, 1, 0),
        ];
        let times = [(0, 0, 3), (0, 3, 2), (1, 6, 5)];
        let s = assemble(30, &levels, &times);
        assert_eq!((s.first_response.stopped, s.first_response.met), (5, 3));
        assert_eq!((s.resolution.stopped, s.resolution.met), (5, 4));
        assert_eq!(s.first_response.median_minutes, Some(15));
        assert_eq!(s.first_response.p90_minutes, Some(120));
        assert_eq!(s.resolution.median_minutes, Some(1440));
        let agents: Vec<Option<i64>> = s.by_agent.iter().map(|g| g.id).collect();
        assert_eq!(agents, [Some(5), Some(6), None], "nobody last");
        assert_eq!(s.by_agent[0].resolution.compliance_percent(), Some(50.0));
        let categories: Vec<Option<i64>> = s.by_category.iter().map(|g| g.id).collect();
        assert_eq!(categories, [Some(1), Some(2), None]);
        assert_eq!(s.by_category[0].resolution.stopped, 3);
    }

    #[test]
    fn durations_fall_in_buckets_and_percentiles_read_their_bounds() {
        assert_eq!(bucket(0), 0);
        assert_eq!(bucket(15), 0);
        assert_eq!(bucket(16), 1);
        assert_eq!(bucket(1440), 6);
        assert_eq!(bucket(100_000), 11);
        // 10 answers: 6 within 15 min, 3 within an hour, 1 after two days.
        let h = [(0, 6), (2, 3), (7, 1)];
        assert_eq!(percentile(&h, 50), Some(15));
        assert_eq!(percentile(&h, 90), Some(60));
        assert_eq!(percentile(&h, 100), Some(2880));
        assert_eq!(percentile(&[], 50), None);
        assert_eq!(percentile(&[(11, 3)], 50), None, "longer than two weeks");
        let c = ClockStats {
            stopped: 3,
            met: 2,
            ..ClockStats::default()
        };
        assert_eq!(c.compliance_percent(), Some(66.7));
        assert_eq!(ClockStats::default().compliance_percent(), None);
    }
}
