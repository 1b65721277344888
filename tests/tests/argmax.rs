//! `argmax` without branches is the `argmax` of one comparison after
//! another: the first of equal logits wins, a NaN never wins, all NaN gives
//! 0, on arrays built to hit ties, signed zeros, infinities and NaNs; and
//! the argmax of the lanes (`adder::lanes::argmax`) is it in every lane.

use adder::LANES;
use adder::tokens::argmax;

/// The plain definition: the first index whose logit no other exceeds,
/// NaNs skipped.
fn by_scan(logits: &[f32]) -> usize {
    let mut best: Option<usize> = None;
    for (i, &x) in logits.iter().enumerate() {
        if x.is_nan() {
            continue;
        }
        if best.is_none_or(|b| x > logits[b]) {
            best = Some(i);
        }
    }
    best.unwrap_or(0)
}

#[test]
fn argmax_is_the_first_largest_logit_and_never_a_nan() {
    let values = [
        f32::NAN,
        f32::NEG_INFINITY,
        -1.0,
        -0.0,
        0.0,
        1.0,
        1.0 + f32::EPSILON,
        f32::INFINITY,
    ];
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut lanes = [[0.0f32; LANES]; 10];
    for round in 0..200_000 {
        let mut logits = [0.0f32; 10];
        for logit in &mut logits {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            *logit = values[(state % values.len() as u64) as usize];
        }
        assert_eq!(argmax(&logits), by_scan(&logits), "{logits:?}");
        // Every LANES rounds, those rounds side by side.
        let lane = round % LANES;
        for (v, logit) in logits.iter().enumerate() {
            lanes[v][lane] = *logit;
        }
        if lane == LANES - 1 {
            let found = adder::lanes::argmax(&lanes);
            for (lane, index) in found.iter().enumerate() {
                let alone = adder::lanes::lane(&lanes, lane);
                assert_eq!(usize::from(*index), by_scan(&alone), "{alone:?}");
            }
        }
    }
    assert_eq!(adder::lanes::argmax(&[[f32::NAN; LANES]; 10]), [0; LANES]);
    assert_eq!(argmax(&[f32::NAN; 10]), 0);
    assert_eq!(argmax(&[0.0f32, -0.0]), 0);
    assert_eq!(argmax(&[-0.0f32, 0.0]), 0);
    assert_eq!(argmax(&[f32::NAN, f32::NEG_INFINITY]), 1);
    // Beyond 64 logits, the scan itself.
    let mut long = [0.0f32; 70];
    long[66] = 1.0;
    assert_eq!(argmax(&long), 66);
}
