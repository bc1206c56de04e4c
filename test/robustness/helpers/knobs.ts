// The suite's two knobs, read once: ROBUSTNESS_SEED=<n>|random replays or varies every generator
// (the seed is printed), ROBUSTNESS_SCALE=<x> multiplies the generated case counts.
export const SEED = process.env.ROBUSTNESS_SEED === 'random' ? Date.now() % 2 ** 31 : Number(process.env.ROBUSTNESS_SEED ?? 42_026);
export const SCALE = Number(process.env.ROBUSTNESS_SCALE ?? 1);
