//! Inputs that fuzzing (see `fuzz/README.md`) found to break an invariant,
//! kept as regression tests. Each case names its target and what broke.

use dedup::normalize::{NormalizeConfig, Normalizer, PunctStyle};

/// Target `normalize`: `clean` was not idempotent when an invisible
/// character followed a period ("e .\0": the space before the period was
/// kept on the first pass, because look-ahead saw the NUL, and dropped on the
/// second).
#[test]
fn normalize_space_before_period_then_invisible() {
    let cases: &[&str] = &[
        "e .\0",
        "e .\u{200B}",
        "a ,\u{00AD}",
        "x .\u{200B}\u{FEFF} y",
    ];
    for punct in [PunctStyle::Straight, PunctStyle::Curly, PunctStyle::Keep] {
        let normalizer = Normalizer::new(NormalizeConfig { punct });
        for input in cases {
            let once = normalizer.clean(input);
            assert_eq!(normalizer.clean(&once), once, "{input:?} ({punct:?})");
        }
    }
    assert_eq!(Normalizer::default().clean("e .\0"), "e.");
}
