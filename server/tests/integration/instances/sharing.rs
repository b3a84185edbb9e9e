//! Writes, searches, sessions and versions shared by three instances.
use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_instances_share_writes_searches_sessions_and_versions() {
    if skip() {
        return;
    }
    let _turn = TURN.lock().await;
    let cluster = cluster().await;
    let [a, b, c] = &cluster.instances[..] else {
        unreachable!()
    };
    let api = &cluster.api;

    // One write at a time through A, each timed on its own; B and C read
    // it from the shared database at once.
    let mut one_by_one: BTreeMap<&str, Duration> = BTreeMap::new();
    let mut count = 0;
    for n in 0..5 {
        let word = word("quenda", n);
        let title = format!("Checkout {word} errors");
        let created = create(api, &a.url(""), &title)
            .await
            .expect("a write through A");
        let at = Instant::now();
        count += 1;
        let id = created["id"].as_i64().unwrap();
        for other in [b, c] {
            let read = get_json(api, &other.url(&format!("/api/v1/incidents/{id}"))).await;
            assert_eq!(read["title"], title.as_str(), "read on {}", other.name);
            assert_eq!(read["version"], 1);
        }
        let written = Written {
            word,
            id,
            at,
            count,
        };
        let delays = searchable_everywhere(&cluster, &[written]).await;
        for (name, delay) in delays {
            let worst = one_by_one.entry(name).or_default();
            *worst = (*worst).max(delay);
        }
    }

    // A burst of writes without waiting, each timed from its own answer.
    let mut burst = Vec::new();
    for n in 0..10 {
        let word = word("dunnart", n);
        let created = create(api, &a.url(""), &format!("Payments {word} timeouts"))
            .await
            .expect("a write through A");
        let at = Instant::now();
        count += 1;
        let id = created["id"].as_i64().unwrap();
        burst.push(Written {
            word,
            id,
            at,
            count,
        });
    }
    let in_burst = searchable_everywhere(&cluster, &burst).await;
    println!(
        "largest write→searchable delay per instance, writes through A: \
         one at a time {one_by_one:?}; in a burst of 10 {in_burst:?}"
    );

    // A session made by signing in on A is the session on B and C; signing
    // out on B ends it everywhere.
    let anonymous = client(HeaderMap::new());
    let login = anonymous
        .post(a.url("/api/v1/login"))
        .json(&json!({"email": EMAIL, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let browser = client(header(COOKIE, &session_cookie(&login)));
    for other in [b, c] {
        let me = get_json(&browser, &other.url("/api/v1/me")).await;
        assert_eq!(me["email"], EMAIL, "the session on {}", other.name);
    }
    let logout = browser.post(b.url("/api/v1/logout")).send().await.unwrap();
    assert_eq!(logout.status(), StatusCode::NO_CONTENT);
    for any in [a, b, c] {
        let me = browser.get(any.url("/api/v1/me")).send().await.unwrap();
        assert_eq!(me.status(), StatusCode::UNAUTHORIZED, "on {}", any.name);
    }

    // A stale write: B read version 1, A saved version 2, B's save of
    // version 1 is refused.
    let created = create(api, &a.url(""), "Contested title").await.unwrap();
    let path = format!("/api/v1/incidents/{}", created["id"]);
    let read_by_b = get_json(api, &b.url(&path)).await;
    assert_eq!(read_by_b["version"], 1);
    let saved = api
        .patch(a.url(&path))
        .json(&json!({"version": 1, "title": "Title from A"}))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::OK);
    let stale = api
        .patch(b.url(&path))
        .json(&json!({"version": read_by_b["version"], "title": "Title from B"}))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let conflict: Value = stale.json().await.unwrap();
    assert_eq!(conflict["current_version"], 2, "{conflict}");
    let on_c = get_json(api, &c.url(&path)).await;
    assert_eq!(on_c["title"], "Title from A");
    assert_eq!(on_c["version"], 2);
}
