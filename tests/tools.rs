//! `dedup eval` and `dedup explain` end to end: the real binary on the
//! sample corpus and on small fixtures written here.

mod util;

use std::path::Path;

use util::Workdir;

fn sample() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample"))
}

fn sample_gold() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample-gold.csv"))
}

const STORY: &str = "The central bank raised its key interest rate by half a point on Thursday, \
    the third increase this year, citing stubborn inflation in services and housing. \
    Economists had expected a smaller move. The bank's governor said further increases \
    could not be ruled out if wage growth stayed strong through the summer months.";

const OTHER: &str = "Heavy rain flooded the old town overnight and closed two bridges. \
    Firefighters pumped water out of cellars until the morning, and the mayor asked \
    residents to stay away from the river banks while the level keeps rising.";

#[test]
fn eval_scores_the_sample_against_its_gold() {
    let wd = Workdir::new();
    wd.run(&["run", sample().to_str().unwrap(), "-o", "out", "-q"])
        .expect_code(0);
    let run = wd.run(&[
        "eval",
        "--gold",
        sample_gold().to_str().unwrap(),
        "out/clusters.csv",
    ]);
    run.expect_code(0);
    let out = run.stdout();
    for want in [
        "pairwise",
        "precision",
        "recall",
        "ARI",
        "B-cubed",
        "worst false merges",
        "worst misses",
    ] {
        assert!(out.contains(want), "{want} missing\n{}", run.description);
    }
    // The folder works as well as the file, and JSON carries the figures.
    let run = wd.run(&[
        "eval",
        "--gold",
        sample_gold().to_str().unwrap(),
        "out",
        "--json",
    ]);
    run.expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(json["documents"], 47);
    assert!(
        json["precision"].as_f64().unwrap() >= 0.99,
        "{}",
        run.stdout()
    );
    assert!(json["recall"].as_f64().unwrap() >= 0.9, "{}", run.stdout());
}

#[test]
fn eval_names_false_merges_and_misses_with_paths() {
    let wd = Workdir::new();
    wd.write(
        "out/clusters.csv",
        "doc_id,path,cluster_id\nx/a.txt,x/a.txt,1\nx/b.txt,x/b.txt,1\ny/c.txt,y/c.txt,2\ny/d.txt,y/d.txt,3\n",
    );
    // Gold by path: a and b are different stories, c and d one story.
    wd.write(
        "gold.csv",
        "path,cluster\nx/a.txt,s1\nx/b.txt,s2\ny/c.txt,s3\ny/d.txt,s3\n",
    );
    let run = wd.run(&["eval", "--gold", "gold.csv", "out/clusters.csv"]);
    run.expect_code(0);
    let out = run.stdout();
    assert!(out.contains("precision 0.0000"), "{out}");
    assert!(out.contains("recall 0.0000"), "{out}");
    assert!(out.contains("x/a.txt") && out.contains("x/b.txt"), "{out}");
    assert!(out.contains("y/c.txt") && out.contains("y/d.txt"), "{out}");
}

#[test]
fn eval_refuses_a_gold_without_keys() {
    let wd = Workdir::new();
    wd.write("out/clusters.csv", "doc_id,path,cluster_id\na,a,1\n");
    wd.write("gold.csv", "name,cluster\na,s1\n");
    let run = wd.run(&["eval", "--gold", "gold.csv", "out/clusters.csv"]);
    run.expect_code(2);
    assert!(
        run.stderr().contains("doc_id or a path column"),
        "{}",
        run.description
    );
    let run = wd.run(&["eval", "--gold", "missing.csv", "out/clusters.csv"]);
    run.expect_code(2);
    assert!(run.stderr().contains("missing.csv"), "{}", run.description);
}

#[test]
fn explain_two_files() {
    let wd = Workdir::new();
    wd.write("a.txt", STORY);
    wd.write(
        "b.txt",
        format!("{STORY}\n\nSign up for our newsletter to get the latest news in your inbox."),
    );
    wd.write("c.txt", OTHER);
    let run = wd.run(&["explain", "a.txt", "b.txt"]);
    run.expect_code(0);
    let out = run.stdout();
    assert!(out.contains("verdict: copies"), "{}", run.description);
    assert!(out.contains("estimate") && out.contains("Jaccard") && out.contains("containment"));
    assert!(out.contains("The central bank raised"), "{out}");
    assert!(
        out.contains("lexicon:promo"),
        "the promo cut is shown\n{out}"
    );
    let run = wd.run(&["explain", "a.txt", "c.txt", "--json"]);
    run.expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(json["is_copy"], false);
    assert!(json["jaccard"].as_f64().unwrap() < 0.1);
}

#[test]
fn explain_documents_of_a_run() {
    let wd = Workdir::new();
    wd.write("in/wire/story.txt", STORY);
    wd.write(
        "in/daily/story-copy.txt",
        format!("{STORY}\n\nSign up for our newsletter to get the latest news in your inbox."),
    );
    wd.write("in/daily/flood.txt", OTHER);
    wd.run(&["run", "in", "-o", "out", "-q"]).expect_code(0);
    let run = wd.run(&[
        "explain",
        "out",
        "wire/story.txt",
        "daily/story-copy.txt",
        "--input",
        "in",
    ]);
    run.expect_code(0);
    let out = run.stdout();
    assert!(out.contains("verdict: copies"), "{}", run.description);
    assert!(out.contains("one cluster"), "{out}");
    assert!(out.contains("lexicon:promo"), "{out}");
    let run = wd.run(&[
        "explain",
        "out",
        "wire/story.txt",
        "daily/flood.txt",
        "--input",
        "in",
    ]);
    run.expect_code(0);
    assert!(
        run.stdout().contains("kept them apart"),
        "{}",
        run.description
    );
    // With documents.csv the run's own text is used.
    wd.run(&["run", "in", "-o", "docs", "-q", "--documents"])
        .expect_code(0);
    let run = wd.run(&["explain", "docs", "wire/story.txt", "daily/story-copy.txt"]);
    assert!(
        run.stdout().contains("documents.csv"),
        "{}",
        run.description
    );
    // A name that is not in the run is an error that says so.
    let run = wd.run(&["explain", "out", "wire/story.txt", "nope.txt"]);
    run.expect_code(2);
    assert!(run.stderr().contains("nope.txt"), "{}", run.description);
}
