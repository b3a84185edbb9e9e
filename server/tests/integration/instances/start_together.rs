//! Instances started at the same moment on a new database.
use super::*;

/// The first admin's invitation link in an instance's log, if it printed one.
fn invitation_link(log: &str) -> Option<String> {
    let start = log.find("/invite/")?;
    let link = log[start..].split_whitespace().next()?;
    Some(link.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_started_at_once_on_a_new_database_all_serve_and_one_invitation_works() {
    if skip() {
        return;
    }
    let _turn = TURN.lock().await;
    let database = tempfile::tempdir().expect("temp dir");
    let url = database_url(database.path())
        .await
        .expect("a PostgreSQL database");
    // All three migrate and prepare the first admin at the same moment.
    let (a, b, c) = tokio::join!(
        Instance::start("A", &url),
        Instance::start("B", &url),
        Instance::start("C", &url)
    );
    let links: Vec<String> = [&a, &b, &c]
        .iter()
        .filter_map(|i| invitation_link(&i.log_tail()))
        .collect();
    assert_eq!(links.len(), 1, "one instance prints the link: {links:?}");
    let accepted = client(HeaderMap::new())
        .post(c.url(&links[0]))
        .form(&[
            ("password", "first admin password"),
            ("confirm_password", "first admin password"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        accepted.status(),
        StatusCode::SEE_OTHER,
        "the printed link works on any instance"
    );
}
