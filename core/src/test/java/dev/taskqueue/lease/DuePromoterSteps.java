package dev.taskqueue.lease;

import dev.taskqueue.schedule.DuePromoter;
import dev.taskqueue.support.LeaseFixture;

/** Promotes whatever is scheduled, moving the test's clock to when it is due. */
final class DuePromoterSteps {
  private final LeaseFixture f;
  private final DuePromoter promoter;

  DuePromoterSteps(LeaseFixture f) {
    this.f = f;
    this.promoter = new DuePromoter(f.session.redis(), f.keys, f.clock);
  }

  void promoteAllDue(String queue) {
    promoter
        .nextDue(queue)
        .ifPresent(
            due -> {
              if (due.isAfter(f.clock.instant())) {
                f.clock.set(due);
              }
              promoter.promote(queue, 100);
            });
  }
}
