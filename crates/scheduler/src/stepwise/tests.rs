use super::*;

fn at(text: &str) -> LocalDateTime {
    LocalDateTime::parse(text).unwrap()
}

#[test]
fn isoformat_round_trips() {
    for text in ["2026-11-22T06:36:31.629275", "2024-02-29T00:00:00"] {
        assert_eq!(at(text).isoformat(), text);
    }
    assert_eq!(at("2024-01-02 03:04").isoformat(), "2024-01-02T03:04:00");
    assert_eq!(at("2024-01-02T03:04:05.123").microsecond, 123_000);
    for bad in ["", "2023-02-29T00:00:00", "2024-01-02T24:00:00", "2024-1-02T00:00:00", "x"] {
        assert_eq!(LocalDateTime::parse(bad), None, "{bad}");
    }
}

#[test]
fn cache_age_is_python_timedelta_text() {
    let then = at("2024-01-01T00:00:00.900000");
    assert_eq!(cache_age(&at("2024-01-01T00:00:01.000000"), &then), "0:00:00");
    assert_eq!(cache_age(&at("2024-01-02T01:02:03.900000"), &then), "1 day, 1:02:03");
    assert_eq!(cache_age(&at("2024-03-01T00:00:00.900000"), &then), "60 days, 0:00:00");
    assert_eq!(cache_age(&at("2023-12-31T23:59:50.900000"), &then), "-1 day, 23:59:50");
}

fn cache() -> (tempfile::TempDir, CacheDir) {
    let dir = tempfile::tempdir().unwrap();
    let cache = CacheDir::from_ini(dir.path(), None);
    (dir, cache)
}

#[test]
fn stops_at_failure_then_resumes_from_it() {
    let (_dir, cache) = cache();
    let now = at("2026-11-22T06:36:31.629275");
    let ids = ["t::a", "t::b", "t::c"];
    let mut first = Stepwise::load(&cache, StepwiseOptions::default(), &now);
    assert_eq!(first.select(&ids, &now), 0);
    assert_eq!(first.report_lines(), ["stepwise: no previously failed tests, not skipping."]);
    assert_eq!(first.record_test("t::a", Phase::Call, Outcome::Passed), None);
    assert_eq!(first.record_test("t::b", Phase::Call, Outcome::Failed), Some(STEPWISE_STOP));
    first.save(&cache, &now).unwrap();
    let written = std::fs::read_to_string(cache.path.join("v/cache/stepwise")).unwrap();
    assert_eq!(
        written,
        "{\n  \"last_failed\": \"t::b\",\n  \"last_test_count\": 3,\n  \"last_cache_date_str\": \"2026-11-22T06:36:31.629275\"\n}"
    );

    let later = at("2026-11-22T06:37:32.000000");
    let mut second = Stepwise::load(&cache, StepwiseOptions::default(), &later);
    assert_eq!(second.select(&ids, &later), 1);
    assert_eq!(
        second.report_lines(),
        ["stepwise: skipping 1 already passed items (cache from 0:01:00 ago, use --sw-reset to discard)."]
    );
    assert_eq!(second.record_test("t::b", Phase::Call, Outcome::Passed), None);
    assert_eq!(second.last_failed, None);

    let mut changed = Stepwise::load(&cache, StepwiseOptions::default(), &later);
    assert_eq!(changed.select(&ids[..2], &later), 0);
    assert_eq!(changed.report_lines(), ["stepwise: test count changed, not skipping (now 2 tests, previously 3)."]);
}

#[test]
fn skip_lets_one_failure_through() {
    let (_dir, cache) = cache();
    let now = at("2026-01-01T00:00:00");
    let mut sw = Stepwise::load(&cache, StepwiseOptions { skip: true, reset: false }, &now);
    assert_eq!(sw.record_test("t::a", Phase::Call, Outcome::Failed), None);
    assert_eq!(sw.record_test("t::b", Phase::Setup, Outcome::Failed), Some(STEPWISE_STOP));
    assert_eq!(sw.last_failed.as_deref(), Some("t::b"));
}

#[test]
fn reset_and_bad_cache_entries() {
    let (_dir, cache) = cache();
    let now = at("2026-01-01T00:00:00");
    cache
        .set_text(
            STEPWISE_KEY,
            r#"{"last_failed": "t::b", "last_test_count": 2, "last_cache_date_str": "2026-01-01T00:00:00"}"#,
        )
        .unwrap();
    let mut reset = Stepwise::load(&cache, StepwiseOptions { skip: false, reset: true }, &now);
    assert_eq!(reset.select(&["t::a", "t::b"], &now), 0);
    assert_eq!(reset.report_lines(), ["stepwise: resetting state, not skipping."]);

    for (content, message) in [
        (r#"{"last_failed": null}"#, "KeyError: 'last_test_count'"),
        ("[1]", "TypeError: list indices must be integers or slices, not str"),
        ("7", "TypeError: 'int' object is not subscriptable"),
    ] {
        cache.set_text(STEPWISE_KEY, content).unwrap();
        let sw = Stepwise::load(&cache, StepwiseOptions::default(), &now);
        assert_eq!(sw.report_lines(), [format!("stepwise: error reading cache, discarding ({message})")]);
    }
    cache.set_text(STEPWISE_KEY, "{}").unwrap();
    assert!(Stepwise::load(&cache, StepwiseOptions::default(), &now).report_lines().is_empty());
}
