// Open bugs (reported, each with its failing test in regressions.test.ts) that the schedule-equivalence property
// tolerates meanwhile, so that it keeps finding new ones. When a bug is fixed, delete its entry (and the code that
// reads it): the property covers that ground again.

export const KNOWN_BUGS = {
  /**
   * Bug 12: a fused Func computed inside a consumer loop recovers its outer variable as t / (inner extent); when
   * that extent is not one value over the enclosing loops (two different accesses, or a GuardWithIf/Predicate
   * split of the consumer), the quotient is unbounded and realize fails with "Input buffer … / Func … may be
   * accessed in an unbounded way". Tolerated when a Func other than the output is fused ("unbounded-fuse").
   */
  unboundedFuse: true,
};
