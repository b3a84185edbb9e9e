//! `firebreak serve --demo`: about 30 realistic incidents, so a new user
//! sees a living registry. They go through the service like any other
//! input, so they obey every rule. Times are relative to now.
use app::model::Caller;
use app::model::{IncidentInput, TimelineInput};
use app::port::{Actor, Channel};
use chrono::{Duration, SubsecRound, Utc};

use crate::service::IncidentService;

/// (title, severity, services, tags, summary, days ago, minutes to detect,
/// acknowledge, mitigate and resolve, counted from the start; 0 = not yet).
type Seed = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    [i64; 4],
);

const SEEDS: &[Seed] = &[
    (
        "Checkout returns 502 for card payments",
        "SEV1",
        "checkout,payments",
        "deploy,rollback",
        "A deploy of the payments client pinned an old TLS library. Card payments failed at the gateway handshake; rolling back restored service.",
        2,
        [3, 6, 24, 95],
    ),
    (
        "DNS resolution failures in eu-west",
        "SEV1",
        "edge,dns",
        "dns,network",
        "The internal resolver pool in eu-west ran out of file descriptors after a config push raised the cache size. Lookups timed out for every service in the region.",
        9,
        [2, 4, 41, 180],
    ),
    (
        "Login latency above 5 s",
        "SEV2",
        "auth",
        "database,capacity",
        "A missing index on the sessions table made logins scan the whole table once traffic doubled after a marketing email.",
        14,
        [12, 15, 38, 240],
    ),
    (
        "Search results empty for new listings",
        "SEV3",
        "search,catalog",
        "indexing",
        "The indexer stalled on a malformed listing and stopped advancing. New listings did not appear in search for six hours.",
        17,
        [190, 200, 260, 300],
    ),
    (
        "Expired TLS certificate on api.example.com",
        "SEV1",
        "api,edge",
        "certificate",
        "The certificate for the public API expired at midnight UTC. Renewal had been failing silently since the ACME account key was rotated.",
        23,
        [1, 3, 19, 60],
    ),
    (
        "Email notifications delayed by two hours",
        "SEV3",
        "notifications",
        "queue,dependency",
        "Our email provider throttled us after a bounce spike. The queue backed up; we moved to the secondary provider.",
        26,
        [45, 60, 130, 400],
    ),
    (
        "Mobile app crashes on launch for Android 15",
        "SEV2",
        "mobile",
        "release",
        "A release used an API missing on Android 15. Crash rate reached 18% of launches before the staged rollout was halted.",
        31,
        [30, 35, 90, 1440],
    ),
    (
        "Payment webhooks processed twice",
        "SEV2",
        "payments,billing",
        "idempotency,data",
        "A retry storm after a timeout change made the webhook consumer process events twice. 214 customers were charged twice and refunded.",
        38,
        [60, 70, 110, 2880],
    ),
    (
        "Database failover took 14 minutes",
        "SEV2",
        "database",
        "failover,hardware",
        "The primary lost a disk. Failover waited on a replica that was 9 minutes behind because of a long-running analytics query.",
        44,
        [1, 2, 14, 200],
    ),
    (
        "Image uploads fail with 413",
        "SEV3",
        "media",
        "config",
        "A proxy config change lowered the body limit to 1 MB. Uploads of photos larger than that failed.",
        49,
        [20, 25, 35, 50],
    ),
    (
        "Leap second skew in job scheduler",
        "SEV4",
        "scheduler",
        "time",
        "Two nodes disagreed about time after an NTP source misbehaved. A handful of jobs ran twice; all were idempotent.",
        57,
        [300, 320, 330, 600],
    ),
    (
        "Dashboard shows stale metrics",
        "SEV4",
        "observability",
        "monitoring-gap",
        "The metrics pipeline dropped data silently when a partition filled. Nobody noticed for a day because no alert watched freshness.",
        63,
        [1400, 1420, 1450, 1500],
    ),
    (
        "Checkout slow during flash sale",
        "SEV2",
        "checkout,inventory",
        "capacity",
        "Inventory reservations serialized on one hot row during the flash sale. p99 latency reached 9 s.",
        70,
        [5, 8, 55, 180],
    ),
    (
        "Outage of third-party maps provider",
        "SEV3",
        "store-locator",
        "dependency",
        "The maps provider had a regional outage. Store locator pages showed an error; we added a static fallback.",
        77,
        [10, 12, 150, 160],
    ),
    (
        "Partial data loss in analytics export",
        "SEV2",
        "analytics",
        "data-migration",
        "A migration dropped a column before the backfill finished. Two days of export data were rebuilt from raw events.",
        85,
        [600, 620, 700, 4000],
    ),
    (
        "Admin panel accessible without MFA",
        "SEV1",
        "admin,auth",
        "security",
        "A routing change exposed an admin endpoint without the MFA check. No misuse was found in the logs.",
        92,
        [240, 242, 250, 720],
    ),
    (
        "API rate limiter blocks all traffic",
        "SEV1",
        "api",
        "config,rate-limiting",
        "A rate-limit rule meant for one abusive client was applied globally. Every API client got 429 for 11 minutes.",
        101,
        [2, 3, 11, 30],
    ),
    (
        "Queue consumers stuck after deploy",
        "SEV3",
        "orders",
        "deploy,queue",
        "Consumers deadlocked on startup after a dependency upgrade changed the default prefetch. Orders were delayed but not lost.",
        108,
        [15, 20, 45, 90],
    ),
    (
        "Intermittent 500s from recommendations",
        "SEV4",
        "recommendations",
        "dependency",
        "A cache node flapped. Recommendations fell back to bestsellers; most users saw no error.",
        115,
        [30, 60, 120, 180],
    ),
    (
        "Cross-region replication lag of 40 minutes",
        "SEV3",
        "database",
        "network,replication",
        "A saturated interconnect delayed replication. Reads from the secondary region were stale.",
        123,
        [25, 30, 75, 300],
    ),
    (
        "Password reset links invalid",
        "SEV3",
        "auth,notifications",
        "config",
        "A secret rotation invalidated reset tokens already sent. Users had to request new links.",
        131,
        [90, 95, 100, 140],
    ),
    (
        "CDN purge removed all cached assets",
        "SEV2",
        "edge,web",
        "human-process,cdn",
        "A purge meant for one path was run against the whole zone. Origin load spiked 30x and pages loaded slowly for 25 minutes.",
        140,
        [2, 4, 25, 60],
    ),
    (
        "Background jobs starved by cron burst",
        "SEV4",
        "scheduler",
        "capacity",
        "Thousands of cron jobs scheduled at midnight crowded out interactive jobs for ten minutes.",
        152,
        [10, 15, 20, 40],
    ),
    (
        "Kubernetes node pool upgrade evicted databases",
        "SEV2",
        "platform,database",
        "maintenance,capacity",
        "A node pool upgrade ignored a pod disruption budget. Two database replicas were evicted at once.",
        166,
        [3, 5, 22, 120],
    ),
    (
        "Billing invoices with wrong currency",
        "SEV2",
        "billing",
        "data,deploy",
        "A locale change formatted invoice totals in the wrong currency for Swiss customers. Invoices were reissued.",
        181,
        [1440, 1450, 1500, 5000],
    ),
    (
        "Feature flag service outage",
        "SEV2",
        "flags",
        "dependency,network",
        "The flag service was unreachable; clients defaulted to 'off' and hid the new checkout for everyone.",
        197,
        [4, 6, 33, 70],
    ),
    (
        "Disk full on log aggregation cluster",
        "SEV4",
        "observability",
        "capacity,monitoring-gap",
        "Log retention was not applied to a new index. Disks filled and new logs were dropped for 3 hours.",
        214,
        [180, 190, 200, 260],
    ),
    (
        "Web checkout broken in Safari",
        "SEV3",
        "web,checkout",
        "release,browser",
        "A JavaScript syntax not yet supported by older Safari broke the checkout button.",
        233,
        [120, 125, 140, 160],
    ),
    (
        "Status page not updated during outage",
        "SEV4",
        "status-page",
        "process,communication",
        "During INC-2 the status page stayed green for 40 minutes because the comms lead role was unassigned.",
        5,
        [40, 45, 0, 0],
    ),
    (
        "Elevated error rate on order history",
        "SEV3",
        "orders",
        "database",
        "Order history queries time out for accounts with more than 10k orders. Investigating a pagination fix.",
        0,
        [5, 9, 0, 0],
    ),
];

const PEOPLE: &[&str] = &[
    "Ana Souza",
    "Kenji Watanabe",
    "Priya Raman",
    "Tomás Ortega",
    "Lena Fischer",
    "Sam Okafor",
];

/// Declares the demo incidents if the registry is empty. Returns how many.
pub async fn seed_if_empty(service: &IncidentService) -> anyhow::Result<usize> {
    if service.store().count_incidents().await? > 0 {
        return Ok(0);
    }
    let now = Utc::now().trunc_subsecs(0);
    let system = Actor::new(Caller::System, Channel::Cli);
    for (n, (title, severity, services, tags, summary, days_ago, minutes)) in
        SEEDS.iter().enumerate()
    {
        let started = now - Duration::days(*days_ago) - Duration::minutes(minutes[3].max(90) + 30);
        let at = |m: i64| (m > 0).then(|| (started + Duration::minutes(m)).to_rfc3339());
        let resolved = minutes[3] > 0;
        let input = IncidentInput {
            title: (*title).into(),
            severity: (*severity).into(),
            summary: format!("{summary}\n\n**What fixed it:** see the timeline."),
            status: Some(
                if resolved {
                    "resolved"
                } else if minutes[1] > 0 {
                    "identified"
                } else {
                    "investigating"
                }
                .into(),
            ),
            services: services.split(',').map(String::from).collect(),
            tags: tags.split(',').map(String::from).collect(),
            commander: Some(PEOPLE[n % PEOPLE.len()].into()),
            comms_lead: Some(PEOPLE[(n + 2) % PEOPLE.len()].into()),
            customer_impact: Some(format!(
                "Customers of {} saw errors or delays.",
                services.replace(',', " and ")
            )),
            started_at: Some(started.to_rfc3339()),
            detected_at: at(minutes[0]),
            declared_at: at(minutes[0] + 1),
            acknowledged_at: at(minutes[1]),
            mitigated_at: at(minutes[2]),
            resolved_at: at(minutes[3]),
            repeat_of: (n == 12).then(|| "3".to_string()),
            ..Default::default()
        };
        let incident = service.create(input, &system).await?;
        let notes = [
            (
                minutes[0],
                "alert",
                format!(
                    "Alert fired: error rate on {} above threshold.",
                    services.split(',').next().unwrap_or("service")
                ),
            ),
            (
                minutes[1],
                "note",
                format!("{} is investigating.", PEOPLE[n % PEOPLE.len()]),
            ),
            (
                minutes[2],
                "action_taken",
                "Mitigation applied; watching the dashboards.".to_string(),
            ),
        ];
        for (minute, kind, body) in notes.into_iter().filter(|(m, _, _)| *m > 0) {
            let entry = TimelineInput {
                kind: Some(kind.into()),
                body,
                occurred_at: at(minute),
            };
            service
                .add_entry(&incident.id.to_string(), entry, &system)
                .await?;
        }
    }
    Ok(SEEDS.len())
}
