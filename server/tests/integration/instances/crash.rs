//! Instances killed with SIGKILL during writes catch up, and every index
//! converges to the database.
use super::*;

/// What a write loop did.
#[derive(Default)]
struct Tally {
    written: AtomicUsize,
    /// Requests that got no answer (the instance was killed).
    unanswered: AtomicUsize,
    /// Answers other than 201: always a server bug here.
    refused: Mutex<Vec<String>>,
}

/// Writes incidents through `base` until `stop`, pausing `pause` between.
async fn write_loop(
    api: Client,
    base: String,
    tag: &'static str,
    tally: Arc<Tally>,
    stop: Arc<AtomicBool>,
    pause: Duration,
) {
    let mut n = 0;
    while !stop.load(Ordering::Relaxed) {
        let title = format!("Writer {tag} incident {}", word("loop", n));
        match create(&api, &base, &title).await {
            Ok(_) => {
                tally.written.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) if e.starts_with("no answer") => {
                tally.unanswered.fetch_add(1, Ordering::Relaxed);
            }
            Err(e) => tally.refused.lock().unwrap().push(e),
        }
        n += 1;
        tokio::time::sleep(pause).await;
    }
}

/// Waits until `tally` has written `more` incidents beyond now.
async fn wait_for_writes(tally: &Tally, more: usize, what: &str) {
    let target = tally.written.load(Ordering::Relaxed) + more;
    let deadline = Instant::now() + PROGRESS_WITHIN;
    while tally.written.load(Ordering::Relaxed) < target {
        assert!(
            Instant::now() < deadline,
            "{what}: {more} more writes did not happen within {PROGRESS_WITHIN:?}; refused: {:?}",
            tally.refused.lock().unwrap()
        );
        tokio::time::sleep(POLL).await;
    }
}

/// How many incidents one instance's index holds; `None` without an answer.
async fn index_total(api: &Client, instance: &Instance) -> Option<u64> {
    index_count(api, &instance.url(""))
        .await
        .unwrap_or_else(|e| panic!("instance {}: {e}", instance.name))
}

/// Every incident id, from the database (through `instance`'s list).
async fn database_ids(api: &Client, instance: &Instance) -> BTreeSet<i64> {
    let mut ids = BTreeSet::new();
    loop {
        let url = instance.url(&format!("/api/v1/incidents?limit=200&offset={}", ids.len()));
        let page = get_json(api, &url).await;
        let items = page["items"].as_array().unwrap();
        ids.extend(items.iter().map(|i| i["id"].as_i64().unwrap()));
        if items.is_empty() || ids.len() as u64 >= page["total"].as_u64().unwrap() {
            return ids;
        }
    }
}

/// Every incident id in `instance`'s search index.
async fn indexed_ids(api: &Client, instance: &Instance) -> BTreeSet<i64> {
    let mut ids = BTreeSet::new();
    loop {
        let url = instance.url(&format!(
            "/api/v1/search?q=&sort=date&limit=100&offset={}",
            ids.len()
        ));
        let page = get_json(api, &url).await;
        let hits = page["hits"].as_array().unwrap();
        ids.extend(hits.iter().map(|h| h["id"].as_i64().unwrap()));
        if hits.is_empty() || ids.len() as u64 >= page["total"].as_u64().unwrap() {
            return ids;
        }
    }
}

/// Polls until every instance's index counts `expected` incidents; returns
/// how long each took from `since`.
async fn converge(
    cluster: &Cluster,
    expected: u64,
    since: Instant,
) -> BTreeMap<&'static str, Duration> {
    let deadline = since + CONVERGES_WITHIN;
    let mut took = BTreeMap::new();
    while took.len() < cluster.instances.len() {
        for instance in &cluster.instances {
            if took.contains_key(instance.name) {
                continue;
            }
            if index_total(&cluster.api, instance).await == Some(expected) {
                took.insert(instance.name, since.elapsed());
            }
        }
        if Instant::now() > deadline {
            let mut totals = Vec::new();
            for instance in &cluster.instances {
                totals.push((instance.name, index_total(&cluster.api, instance).await));
            }
            panic!(
                "indexes did not converge to {expected} incidents within {CONVERGES_WITHIN:?}: \
                 {totals:?}\n{}",
                logs(cluster)
            );
        }
        tokio::time::sleep(POLL).await;
    }
    took
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_killed_with_sigkill_catch_up_and_every_index_converges() {
    if skip() {
        return;
    }
    let _turn = TURN.lock().await;
    let mut cluster = cluster().await;
    let api = cluster.api.clone();
    let stop = Arc::new(AtomicBool::new(false));
    let (through_a, through_b) = (Arc::new(Tally::default()), Arc::new(Tally::default()));
    let writer_a = tokio::spawn(write_loop(
        api.clone(),
        cluster.instances[0].url(""),
        "A",
        through_a.clone(),
        stop.clone(),
        Duration::from_millis(10),
    ));
    let writer_b = tokio::spawn(write_loop(
        api.clone(),
        cluster.instances[1].url(""),
        "B",
        through_b.clone(),
        stop.clone(),
        Duration::from_millis(60),
    ));
    wait_for_writes(&through_a, 10, "writes through A before the kill").await;

    // C dies; the others keep writing, and one incident is written only now.
    cluster.instances[2].kill();
    wait_for_writes(&through_a, 15, "writes through A while C is down").await;
    let late_word = word("numbat", 0);
    let late = create(
        &api,
        &cluster.instances[1].url(""),
        &format!("Queue {late_word} backlog"),
    )
    .await
    .expect("a write through B while C is down");
    wait_for_writes(&through_a, 10, "more writes through A while C is down").await;

    // C comes back on its own data directory while the writing goes on,
    // and finds what was written while it was down.
    let restarted = Instant::now();
    cluster.instances[2].restart().await;
    let late = Written {
        word: late_word,
        id: late["id"].as_i64().unwrap(),
        at: restarted,
        count: 0,
    };
    let c = &cluster.instances[2];
    let deadline = restarted + CONVERGES_WITHIN;
    while !finds(&api, &c.url(""), &late).await.unwrap() {
        assert!(
            Instant::now() < deadline,
            "C never found {:?} after its restart\n{}",
            late.word,
            logs(&cluster)
        );
        tokio::time::sleep(POLL).await;
    }
    let c_caught_up = restarted.elapsed();
    wait_for_writes(&through_a, 10, "writes through A after C is back").await;

    // D joins with an empty data directory while the writing goes on: it
    // builds its index from the incidents, then follows the outbox.
    let url = database_url(cluster.database.path()).await.unwrap();
    cluster.instances.push(Instance::start("D", &url).await);
    wait_for_writes(&through_a, 10, "writes through A after D joined").await;

    // A dies in the middle of its write loop; B goes on writing.
    cluster.instances[0].kill();
    wait_for_writes(&through_b, 5, "writes through B after A died").await;
    stop.store(true, Ordering::Relaxed);
    writer_a.await.unwrap();
    writer_b.await.unwrap();
    let restarted_a = Instant::now();
    cluster.instances[0].restart().await;

    // Every index converges to the database, A's too.
    let expected =
        get_json(&api, &cluster.instances[1].url("/api/v1/incidents?limit=1")).await["total"]
            .as_u64()
            .unwrap();
    let took = converge(&cluster, expected, restarted_a).await;
    let in_database = database_ids(&api, &cluster.instances[1]).await;
    assert_eq!(in_database.len() as u64, expected);
    for instance in &cluster.instances {
        assert_eq!(
            indexed_ids(&api, instance).await,
            in_database,
            "the incidents in {}'s index",
            instance.name
        );
    }
    for tally in [&through_a, &through_b] {
        assert!(
            tally.refused.lock().unwrap().is_empty(),
            "a live instance refused a write: {:?}",
            tally.refused.lock().unwrap()
        );
    }
    assert_eq!(through_b.unanswered.load(Ordering::Relaxed), 0);
    println!(
        "{expected} incidents ({} through A, {} unanswered after A died; {} through B); \
         C found the write made while it was down {c_caught_up:?} after its restart began; \
         D joined during the writes; after A's restart began, each index matched the \
         database after {took:?}",
        through_a.written.load(Ordering::Relaxed),
        through_a.unanswered.load(Ordering::Relaxed),
        through_b.written.load(Ordering::Relaxed),
    );
}
